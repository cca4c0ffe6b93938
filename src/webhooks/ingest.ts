import { UnparseableWebhookError, type InboundEvent, type WebhookReply, type WebhookRequest } from '../../connectors/contract';
import type { AppContext } from '../app/context';
import { DeadLetter, type Channel } from '../database/entities';
import { inboundJobId } from '../queues/queues';

/** Platforms retry slow webhooks; an enqueue that cannot finish in this time answers 503 instead. */
const ENQUEUE_TIMEOUT_MS = 5000;

/**
 * The one inbound path, for HTTP webhooks and for WhatsApp Web session events alike: handshake, verify the
 * signature on the raw body, parse, enqueue with a deterministic job id, and only then answer 200.
 * - a bad signature: 401, nothing stored;
 * - a payload that can never parse: kept in dead_letters, 200 (so the platform stops retrying);
 * - verification that cannot run, or Redis unreachable: 503 (the platform redelivers).
 */
export async function ingestWebhook(ctx: AppContext, channel: Channel, request: WebhookRequest): Promise<WebhookReply> {
  const connector = ctx.channels.connectorFor(channel);
  const log = ctx.logger.child({ channelId: channel.id, channelType: channel.type });

  const handshake = connector.handshake?.(request);
  if (handshake) return handshake;
  if (request.method !== 'POST') return { status: 405, body: { error: 'webhooks are POSTed' } };

  try {
    if (!(await connector.verify(request))) {
      log.warn({ bytes: request.rawBody.length }, 'webhook signature rejected');
      return { status: 401, body: { error: 'invalid signature' } };
    }
  } catch (err) {
    log.error({ err: (err as Error).message }, 'webhook verification failed to run: answering 503');
    return { status: 503, body: { error: 'cannot verify right now, retry later' } };
  }

  let events: InboundEvent[];
  try {
    events = connector.parse(request);
  } catch (err) {
    const reason = err instanceof UnparseableWebhookError ? err.message : `parser error: ${(err as Error).message}`;
    const contentType = request.headers['content-type'];
    await ctx.ds.getRepository(DeadLetter).insert({
      channelId: channel.id,
      error: reason,
      contentType: typeof contentType === 'string' ? contentType : null,
      body: request.rawBody,
    });
    log.warn({ reason }, 'webhook payload stored as dead letter');
    return { status: 200, body: { ok: true, stored: 'dead_letter' } };
  }

  const receivedAt = new Date().toISOString();
  try {
    await withTimeout(
      Promise.all(
        events
          .filter((e) => e.type !== 'ignored')
          .map((event) => ctx.queues.inbound.add(event.type, { channelId: channel.id, receivedAt, event }, { jobId: inboundJobId(channel.id, event) })),
      ),
      ENQUEUE_TIMEOUT_MS,
    );
  } catch (err) {
    log.error({ err: (err as Error).message }, 'could not enqueue webhook: answering 503 so the platform retries');
    return { status: 503, body: { error: 'temporarily unavailable, retry later' } };
  }
  log.debug({ events: events.map((e) => e.type) }, 'webhook accepted');
  return connector.webhookResponse?.(events) ?? { status: 200, body: { ok: true } };
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    }),
  ]);
}
