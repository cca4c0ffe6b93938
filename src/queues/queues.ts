import { createHash } from 'node:crypto';
import { Queue, type ConnectionOptions } from 'bullmq';
import { z } from 'zod';
import { inboundEventSchema, type InboundEvent, type SendResult } from '../../connectors/contract';

export const QUEUE_NAMES = {
  inbound: 'inbound',
  outbound: 'outbound',
  assignment: 'assignment',
  autoReplies: 'auto-replies',
  events: 'events',
  lifecycle: 'lifecycle',
} as const;

/** What the inbound queue carries. Dates travel through Redis as ISO strings. */
export interface InboundJob {
  channelId: string;
  receivedAt: string;
  event: InboundEvent;
}

/** Job data as read back from Redis: the contract's event schema turns its ISO strings back into Dates. */
export const inboundJobSchema = z.object({
  channelId: z.string(),
  receivedAt: z.iso.datetime({ offset: true }),
  event: inboundEventSchema,
});

export interface OutboundJob {
  messageId: string;
  /** The send slot this job booked under the platform's rate limits (epoch ms), while it waits for it. */
  slotAt?: number;
  /** The platform's answer when the send went through but PostgreSQL could not record it yet. */
  sent?: SendResult;
}

export interface AssignmentJob {
  /** `assign` jobs: the conversation that needs an agent. `serve` jobs have none. */
  conversationId?: string;
  /** `presence-check` jobs: the agent whose last socket closed. */
  agentId?: string;
}

/** `wake` jobs (delayed until a snooze ends) carry the conversation and the time; `sweep` jobs carry nothing. */
export interface LifecycleJob {
  conversationId?: string;
  /** ISO: the snoozedUntil the job was scheduled for. */
  at?: string;
}

/** A customer's message that may call for an automatic answer (out of office, greeting). */
export interface AutoReplyJob {
  conversationId: string;
  messageId: string;
}

export interface Queues {
  inbound: Queue<InboundJob>;
  outbound: Queue<OutboundJob>;
  assignment: Queue<AssignmentJob>;
  autoReplies: Queue<AutoReplyJob>;
  /** Relay runs: nudges after commits and the periodic sweep (src/events). */
  events: Queue;
  /** Snoozes ending and the lifecycle sweep (src/lifecycle). */
  lifecycle: Queue<LifecycleJob>;
  close(): Promise<void>;
}

/** Completed jobs are kept a while for inspection; the database, not the job id, is the final dedupe. */
const KEEP = { removeOnComplete: { age: 3600, count: 10_000 }, removeOnFail: { age: 7 * 24 * 3600 } };

export function createQueues(connection: ConnectionOptions, prefix: string): Queues {
  const opts = { connection, prefix };
  const inbound = new Queue<InboundJob>(QUEUE_NAMES.inbound, {
    ...opts,
    defaultJobOptions: { ...KEEP, attempts: 8, backoff: { type: 'exponential', delay: 1000 } },
  });
  const outbound = new Queue<OutboundJob>(QUEUE_NAMES.outbound, { ...opts, defaultJobOptions: KEEP });
  const assignment = new Queue<AssignmentJob>(QUEUE_NAMES.assignment, {
    ...opts,
    defaultJobOptions: { ...KEEP, attempts: 5, backoff: { type: 'exponential', delay: 500 } },
  });
  const autoReplies = new Queue<AutoReplyJob>(QUEUE_NAMES.autoReplies, {
    ...opts,
    defaultJobOptions: { ...KEEP, attempts: 5, backoff: { type: 'exponential', delay: 500 } },
  });
  const events = new Queue(QUEUE_NAMES.events, { ...opts, defaultJobOptions: { removeOnComplete: true, removeOnFail: 100 } });
  const lifecycle = new Queue<LifecycleJob>(QUEUE_NAMES.lifecycle, {
    ...opts,
    defaultJobOptions: { ...KEEP, attempts: 5, backoff: { type: 'exponential', delay: 1000 } },
  });
  return {
    inbound,
    outbound,
    assignment,
    autoReplies,
    events,
    lifecycle,
    async close() {
      await Promise.all([inbound.close(), outbound.close(), assignment.close(), autoReplies.close(), events.close(), lifecycle.close()]);
    },
  };
}

/**
 * Queues one stored reply for sending. The job id is the message's, so queueing a reply twice (the API and the
 * pending sweeper) sends it once; `platform` backoff is the outbound worker's strategy (honours retry_after).
 */
export function enqueueReply(queues: Pick<Queues, 'outbound'>, messageId: string, attempts: number, sent?: SendResult) {
  return queues.outbound.add('send', { messageId, ...(sent ? { sent } : {}) }, { jobId: replyJobId(messageId), attempts, backoff: { type: 'platform' } });
}

/**
 * Queues messages already stored `pending`, after their transaction committed. Best effort: with Redis down
 * they stay pending and the pending sweeper queues them later.
 */
export async function enqueueStoredReplies(queues: Pick<Queues, 'outbound'>, messageIds: readonly string[], attempts: number): Promise<void> {
  for (const id of messageIds) await enqueueReply(queues, id, attempts).catch(() => undefined);
}

/**
 * Removes a reply's outbound job when it is completed or failed, answering its data; a waiting or active job is
 * left. Queueing a reply again needs this first: BullMQ keeps a finished job (an hour when completed, a week
 * when failed) and silently ignores a new one with its id.
 */
export async function removeFinishedReplyJob(queues: Pick<Queues, 'outbound'>, messageId: string): Promise<OutboundJob | null> {
  const job = await queues.outbound.getJob(replyJobId(messageId));
  if (!job) return null;
  const state = await job.getState();
  if (state !== 'completed' && state !== 'failed') return null;
  // remove() refuses a job that is locked (active): a finished job has no lock, so this only races a re-run.
  await job.remove().catch(() => undefined);
  return job.data;
}

/** The outbound job id of one reply. */
export function replyJobId(messageId: string): string {
  return `out-${messageId}`;
}

/**
 * The deterministic job id of an inbound event: a platform retrying a webhook produces the same id, so BullMQ
 * drops the repeat while the first job exists. (BullMQ job ids may not contain ':', hence the hash.)
 */
export function inboundJobId(channelId: string, event: InboundEvent): string | undefined {
  const key = dedupeKey(event);
  if (!key) return undefined;
  return `in-${createHash('sha256').update(`${channelId}\n${key}`).digest('hex').slice(0, 40)}`;
}

function dedupeKey(event: InboundEvent): string | undefined {
  switch (event.type) {
    case 'message':
      return `message\n${event.externalId}`;
    case 'edit':
      return `edit\n${event.externalId}\n${event.editedAt?.toISOString() ?? event.text}`;
    case 'status':
      return `status\n${event.threadExternalId ?? ''}\n${event.platformMessageId}\n${event.status}`;
    case 'subscription':
      return `subscription\n${event.sender.externalId}\n${event.blocked}\n${event.at?.toISOString() ?? ''}`;
    case 'ignored':
      return undefined;
  }
}
