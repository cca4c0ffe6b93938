import {
  UnparseableWebhookError,
  inboundEventSchema,
  type Connector,
  type InboundEvent,
  type WebhookReply,
  type WebhookRequest,
} from '../../connectors/contract';
import type { DataSource } from 'typeorm';
import type { ChannelService } from '../channels/channel.service';
import type { Logger } from '../logging/logger';
import type { Channel } from '../database/entities';
import { inboundJobId, type InboundJob, type Queues } from '../queues/queues';
import { contentTypeOf, keepDeadLetter } from './dead-letters';
import { MAX_WEBHOOK_DEPTH, nestsDeeperThan } from './json-depth';

export interface IngestDeps {
  ds: DataSource;
  channels: ChannelService;
  queues: Pick<Queues, 'inbound'>;
  logger: Logger;
}

/** Platforms retry slow webhooks; an enqueue that cannot finish in this time answers 503 instead. */
const ENQUEUE_TIMEOUT_MS = 5000;

/**
 * The one inbound path, for HTTP webhooks and for WhatsApp Web session events alike: handshake, verify the
 * signature on the raw body, parse, enqueue with a deterministic job id, and only then answer 200.
 * - a bad signature: 401, nothing stored;
 * - a payload that can never parse, whose events fail the contract's schema (a connector bug), or that cannot be
 *   queued (nested too deep to serialise): kept in dead_letters, 200 (so the platform stops retrying; nothing is
 *   lost, the body can be replayed after a fix: POST /api/v1/dead-letters/{id}/replay);
 * - verification that cannot run, or Redis unreachable: 503 (the platform redelivers).
 */
export async function ingestWebhook(ctx: IngestDeps, channel: Channel, request: WebhookRequest): Promise<WebhookReply> {
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

  const parsed = parseForQueue(connector, channel.id, request, new Date());
  if ('error' in parsed) {
    await keepDeadLetter(ctx.ds, {
      channelId: channel.id,
      kind: 'unparseable',
      error: parsed.error,
      contentType: contentTypeOf(request.headers),
      body: request.rawBody,
    });
    log.warn({ reason: parsed.error }, 'webhook payload stored as dead letter');
    return { status: 200, body: { ok: true, stored: 'dead_letter' } };
  }

  try {
    await enqueueInbound(ctx.queues, parsed.jobs);
  } catch (err) {
    log.error({ err: (err as Error).message }, 'could not enqueue webhook: answering 503 so the platform retries');
    return { status: 503, body: { error: 'temporarily unavailable, retry later' } };
  }
  log.debug({ events: parsed.events.map((e) => e.type) }, 'webhook accepted');
  return connector.webhookResponse?.(parsed.events) ?? { status: 200, body: { ok: true } };
}

export interface QueuedInbound {
  data: InboundJob;
  jobId: string | undefined;
}

/**
 * A verified request to the jobs it becomes, or why it never can: a body nested deeper than any platform's, the
 * connector's parse (a stack overflow on a hostile payload included), the contract's schema, and the queue's own
 * JSON.stringify, which throws RangeError on a value nested tens of thousands deep (JSON.parse does not). Before
 * these checks, such a payload kept in an event (a Bot Framework conversation reference, a Telegram business
 * connection id) was answered 503 on every delivery, and redelivered forever.
 */
export function parseForQueue(
  connector: Pick<Connector, 'parse'>,
  channelId: string,
  request: WebhookRequest,
  receivedAt: Date,
): { events: InboundEvent[]; jobs: QueuedInbound[] } | { error: string } {
  if (nestsDeeperThan(request.rawBody)) return { error: `unparseable: nested deeper than ${MAX_WEBHOOK_DEPTH} levels` };
  try {
    const events = checkEvents(connector.parse(request));
    const jobs = events
      .filter((e) => e.type !== 'ignored')
      .map((event) => ({ data: { channelId, receivedAt: receivedAt.toISOString(), event }, jobId: inboundJobId(channelId, event) }));
    for (const job of jobs) JSON.stringify(job.data);
    return { events, jobs };
  } catch (err) {
    if (err instanceof UnparseableWebhookError) return { error: err.message };
    if (err instanceof RangeError) return { error: `unparseable: too deeply nested or too large (${err.message})` };
    return { error: `parser error: ${(err as Error).message}` };
  }
}

export async function enqueueInbound(queues: Pick<Queues, 'inbound'>, jobs: QueuedInbound[]): Promise<void> {
  await withTimeout(Promise.all(jobs.map((j) => queues.inbound.add(j.data.event.type, j.data, { jobId: j.jobId }))), ENQUEUE_TIMEOUT_MS);
}

/** The connector's output against the contract's schema: a connector bug must not reach the database. */
function checkEvents(events: unknown): InboundEvent[] {
  const checked = inboundEventSchema.array().safeParse(events);
  if (checked.success) return checked.data;
  const issues = checked.error.issues.slice(0, 5).map((i) => `${i.path.join('.')}: ${i.message}`);
  throw new Error(`events fail the contract schema (${issues.join('; ')})`);
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
