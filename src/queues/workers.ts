import { DelayedError, UnrecoverableError, Worker, type ConnectionOptions, type Job } from 'bullmq';
import type { DataSource } from 'typeorm';
import { ConnectorError } from '../../connectors/contract';
import { AssignmentService } from '../assignment/assignment.service';
import type { Logger } from '../logging/logger';
import { InboundService, ReceiptBeforeMessageError } from '../inbox/inbound.service';
import type { OutboundService, SendTarget } from '../inbox/outbound.service';
import { connectorDefinition } from '../../connectors/registry';
import type { RateLimitedKey, RateLimiter } from './rate-limiter';
import type { EventPublisher } from '../realtime/event-publisher';
import { QUEUE_NAMES, reviveEvent, type AssignmentJob, type InboundJob, type OutboundJob, type Queues } from './queues';

/** How long a receipt may wait for the send it confirms to be recorded. */
const RECEIPT_PATIENCE_MS = 60_000;

export interface WorkerDeps {
  ds: DataSource;
  connection: ConnectionOptions;
  prefix: string;
  queues: Queues;
  events: EventPublisher;
  outbound: OutboundService;
  logger: Logger;
  concurrency: number;
  outboundAttempts: number;
  outboundBackoffMs: number;
  rateLimiter: RateLimiter;
}

/** The inbound, outbound and assignment workers of one process. */
export function startWorkers(d: WorkerDeps): { close(): Promise<void> } {
  const inboundService = new InboundService(d.ds);
  const assignment = new AssignmentService(d.ds);
  const base = { connection: d.connection, prefix: d.prefix, concurrency: d.concurrency };

  const inbound = new Worker<InboundJob>(
    QUEUE_NAMES.inbound,
    async (job) => {
      const event = reviveEvent(job.data.event);
      // A receipt can overtake the send it confirms: ReceiptBeforeMessageError makes the job retry with backoff,
      // for a while. A receipt still unmatched after that is for a message Parley never sent (another tool on
      // the same account): dropped, not retried for minutes.
      let outcome;
      try {
        outcome = await inboundService.store(job.data.channelId, event, new Date(job.data.receivedAt));
      } catch (err) {
        if (err instanceof ReceiptBeforeMessageError && Date.now() - Date.parse(job.data.receivedAt) > RECEIPT_PATIENCE_MS) {
          d.logger.debug({ channelId: job.data.channelId }, 'receipt for a message Parley did not send: dropped');
          return;
        }
        throw err;
      }
      const { message, conversation } = outcome;
      if (conversation && outcome.conversationCreated) d.events.conversationCreated(conversation);
      else if (conversation && outcome.previousStatus && outcome.previousStatus !== conversation.status) d.events.conversationUpdated(conversation);
      if (message && conversation) {
        if (outcome.messageCreated) d.events.messageCreated(message, conversation);
        else d.events.messageUpdated(message, conversation);
      }
      if (conversation) for (const other of outcome.alsoUpdated ?? []) d.events.messageUpdated(other, conversation);
      if (conversation && outcome.messageCreated && !conversation.assigneeId) {
        await d.queues.assignment.add('assign', { conversationId: conversation.id }, { jobId: `assign-${conversation.id}-${conversation.lastActivityAt.getTime()}` });
      }
      d.logger.debug({ jobId: job.id, channelId: job.data.channelId, type: event.type, messageId: message?.id }, 'inbound stored');
    },
    base,
  );

  const assign = new Worker<AssignmentJob>(
    QUEUE_NAMES.assignment,
    async (job) => {
      const result = await assignment.autoAssign(job.data.conversationId);
      if (result) d.events.conversationUpdated(result.conversation, result.previousAssigneeId);
    },
    base,
  );

  const outbound = new Worker<OutboundJob>(
    QUEUE_NAMES.outbound,
    async (job: Job<OutboundJob>, token?: string) => {
      const attempts = job.opts.attempts ?? d.outboundAttempts;
      let outcome;
      try {
        outcome = await d.outbound.deliver(job.data.messageId, job.attemptsMade + 1 >= attempts, (t) => throttle(d.rateLimiter, job, t));
      } catch (err) {
        const e = err as ConnectorError;
        d.logger.warn({ jobId: job.id, messageId: job.data.messageId, code: e.code, retryAfterMs: e.retryAfterMs, attempt: job.attemptsMade + 1 }, `send failed, will retry: ${e.message}`);
        throw err;
      }
      if (outcome.kind === 'skipped') return;
      if (outcome.kind === 'wait') {
        // Not a failure: the send waits for its slot without using up an attempt.
        await job.moveToDelayed(Date.now() + outcome.waitMs, token);
        throw new DelayedError();
      }
      d.events.messageUpdated(outcome.message, outcome.conversation);
      if (outcome.kind === 'failed') {
        d.logger.warn({ messageId: outcome.message.id, reason: outcome.message.failureReason }, 'message failed');
        throw new UnrecoverableError(outcome.message.failureReason ?? 'failed');
      }
    },
    {
      ...base,
      settings: {
        // Honour the platform's retry_after when it gives one; otherwise back off exponentially (capped).
        backoffStrategy: (attemptsMade: number, _type?: string, err?: Error) => {
          const wait = err instanceof ConnectorError ? err.retryAfterMs : undefined;
          if (wait !== undefined) return wait;
          return Math.min(d.outboundBackoffMs * 2 ** Math.max(0, attemptsMade - 1), 10 * 60_000);
        },
      },
    },
  );

  for (const w of [inbound, assign, outbound]) {
    w.on('failed', (job, err) => {
      if (w === inbound && err instanceof ReceiptBeforeMessageError) return;
      d.logger.error({ queue: w.name, jobId: job?.id, attemptsMade: job?.attemptsMade, err: err.message }, 'job failed');
    });
    w.on('error', (err) => d.logger.error({ queue: w.name, err: err.message }, 'worker error'));
  }

  return {
    async close() {
      await Promise.all([inbound.close(), assign.close(), outbound.close()]);
    },
  };
}

/**
 * How long this send must wait for the platform's declared limits. A job books its slot once, remembers it
 * in its data and is delayed until then; when it runs again it sends without booking a second slot.
 */
async function throttle(limiter: RateLimiter, job: Job<OutboundJob>, t: SendTarget): Promise<number> {
  if (job.data.slotAt !== undefined) {
    const { slotAt, ...rest } = job.data;
    await job.updateData(rest);
    if (Date.now() >= slotAt - 5) return 0;
  }
  const limits = connectorDefinition(t.channelType)?.capabilities.rateLimits;
  if (!limits) return 0;
  const keys: RateLimitedKey[] = [];
  if (limits.perThread) keys.push({ key: `${t.channelId}:thread:${t.threadId}`, limit: limits.perThread });
  if (limits.perAccount) keys.push({ key: `${t.channelId}:account`, limit: limits.perAccount });
  const wait = await limiter.book(keys);
  if (wait > 0) await job.updateData({ ...job.data, slotAt: Date.now() + wait });
  return wait;
}
