import type { Job } from 'bullmq';
import type { DataSource } from 'typeorm';
import type { Logger } from '../logging/logger';
import { inboundJobSchema, type InboundJob } from '../queues/queues';
import { keepDeadLetter } from './dead-letters';
import { InboundService, ReceiptBeforeMessageError } from './inbound.service';
import { TooDeeplyNestedError } from './sanitize';

/** How long a receipt may wait for the send it confirms to be recorded. */
const RECEIPT_PATIENCE_MS = 60_000;

/**
 * Stores one inbound event. What follows (realtime, routing...) reacts to the domain events the store
 * recorded, so this handler knows nothing of it.
 *
 * Parley answered 200 for this event, so it must not vanish: a job that can never succeed (corrupt data, an
 * event nested too deep) and a job failing on its last attempt leave a dead letter with the job's data and the
 * error, which an admin can see and replay (GET /api/v1/dead-letters), and then end.
 */
export function inboundProcessor(d: { ds: DataSource; logger: Logger }) {
  const inbound = new InboundService(d.ds);
  return async (job: Job<InboundJob>): Promise<void> => {
    // Ingest validated the event: a job that does not parse now is corrupt and will never parse.
    const parsed = inboundJobSchema.safeParse(job.data);
    if (!parsed.success) return deadLetter(d, job, `inbound job does not match the event schema: ${parsed.error.message}`);
    const { event } = parsed.data;
    // A receipt can overtake the send it confirms: ReceiptBeforeMessageError makes the job retry with backoff,
    // for a while. A receipt still unmatched after that is for a message Parley never sent (another tool on
    // the same account): dropped, not retried for minutes.
    try {
      const outcome = await inbound.store(parsed.data.channelId, event, new Date(parsed.data.receivedAt));
      d.logger.debug(
        { jobId: job.id, channelId: parsed.data.channelId, type: event.type, messageId: outcome.messageId, stored: outcome.stored },
        'inbound stored',
      );
    } catch (err) {
      if (err instanceof ReceiptBeforeMessageError && Date.now() - Date.parse(parsed.data.receivedAt) > RECEIPT_PATIENCE_MS) {
        d.logger.debug({ channelId: parsed.data.channelId }, 'receipt for a message Parley did not send: dropped');
        return;
      }
      const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      if (err instanceof TooDeeplyNestedError || lastAttempt) return deadLetter(d, job, (err as Error).message);
      throw err;
    }
  };
}

/** Keeps the job as a dead letter and ends it. If even that fails (the database is down), the job fails as before. */
async function deadLetter(d: { ds: DataSource; logger: Logger }, job: Job<InboundJob>, error: string): Promise<void> {
  const channelId = typeof job.data?.channelId === 'string' ? job.data.channelId : undefined;
  if (!channelId) throw new Error(`inbound job ${job.id} has no channel: ${error}`);
  const id = await keepDeadLetter(d.ds, {
    channelId,
    kind: 'failed',
    error,
    contentType: 'application/json',
    body: Buffer.from(JSON.stringify(job.data)),
  });
  d.logger.error(
    { jobId: job.id, channelId, deadLetterId: id, attemptsMade: job.attemptsMade + 1, err: error },
    'inbound job failed for good: kept as dead letter',
  );
}

/** Failures worth no error line: a receipt waiting for its send is expected to retry. */
export function isExpectedInboundFailure(err: Error): boolean {
  return err instanceof ReceiptBeforeMessageError;
}
