import { DelayedError, UnrecoverableError, type Job } from 'bullmq';
import { ConnectorError, type RateLimit } from '../../connectors/contract';
import type { Logger } from '../logging/logger';
import type { OutboundJob } from '../queues/queues';
import type { RateLimitedKey, RateLimiter } from '../queues/rate-limiter';
import type { OutboundService, SendTarget } from './outbound.service';

export interface OutboundJobDeps {
  outbound: OutboundService;
  rateLimiter: RateLimiter;
  /** The platform's declared sending limits for a channel type. */
  rateLimitsOf(channelType: string): { perThread?: RateLimit; perAccount?: RateLimit } | undefined;
  logger: Logger;
  attempts: number;
}

/** Sends one stored reply. Retryable failures throw (the queue backs off); the rest end in `failed`. */
export function outboundProcessor(d: OutboundJobDeps) {
  return async (job: Job<OutboundJob>, token?: string): Promise<void> => {
    const attempts = job.opts.attempts ?? d.attempts;
    let outcome;
    try {
      outcome = await d.outbound.deliver(job.data.messageId, job.attemptsMade + 1 >= attempts, (t) => throttle(d, job, t), {
        recalled: () => job.data.sent,
        remember: (sent) => job.updateData({ ...job.data, sent }),
      });
    } catch (err) {
      const e = err as ConnectorError;
      d.logger.warn(
        { jobId: job.id, messageId: job.data.messageId, code: e.code, retryAfterMs: e.retryAfterMs, attempt: job.attemptsMade + 1 },
        `send failed, will retry: ${e.message}`,
      );
      throw err;
    }
    if (outcome.kind === 'skipped' || outcome.kind === 'sent') return;
    if (outcome.kind === 'wait') {
      // Not a failure: the send waits for its slot without using up an attempt.
      await job.moveToDelayed(Date.now() + outcome.waitMs, token);
      throw new DelayedError();
    }
    d.logger.warn({ messageId: outcome.message.id, reason: outcome.message.failureReason }, 'message failed');
    throw new UnrecoverableError(outcome.message.failureReason ?? 'failed');
  };
}

/** Honour the platform's retry_after when it gives one; otherwise back off exponentially (capped). */
export function outboundBackoff(backoffMs: number) {
  return (attemptsMade: number, _type?: string, err?: Error): number => {
    const wait = err instanceof ConnectorError ? err.retryAfterMs : undefined;
    if (wait !== undefined) return wait;
    return Math.min(backoffMs * 2 ** Math.max(0, attemptsMade - 1), 10 * 60_000);
  };
}

/**
 * How long this send must wait for the platform's declared limits. A job books its slot once, remembers it
 * in its data and is delayed until then; when it runs again it sends without booking a second slot.
 */
async function throttle(d: OutboundJobDeps, job: Job<OutboundJob>, t: SendTarget): Promise<number> {
  if (job.data.slotAt !== undefined) {
    const { slotAt, ...rest } = job.data;
    await job.updateData(rest);
    if (Date.now() >= slotAt - 5) return 0;
  }
  const limits = d.rateLimitsOf(t.channelType);
  if (!limits) return 0;
  const keys: RateLimitedKey[] = [];
  if (limits.perThread) keys.push({ key: `${t.channelId}:thread:${t.threadId}`, limit: limits.perThread });
  if (limits.perAccount) keys.push({ key: `${t.channelId}:account`, limit: limits.perAccount });
  const wait = await d.rateLimiter.book(keys);
  if (wait > 0) await job.updateData({ ...job.data, slotAt: Date.now() + wait });
  return wait;
}
