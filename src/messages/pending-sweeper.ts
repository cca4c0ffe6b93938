import type { DataSource } from 'typeorm';
import { recordEvents } from '../events/outbox';
import type { Logger } from '../logging/logger';
import { enqueueReply, replyJobId, type Queues } from '../queues/queues';

/**
 * How many times a reply is queued again after its job ended without a result before it is failed instead. A
 * reply that kills its worker every time, or whose result is never recorded, would otherwise be sent again at
 * every sweep, forever; failed, the agent sees it with the reason and can retry it (which starts the count again).
 */
export const MAX_REVIVALS = 5;

/** What the agent reads on a reply the sweeper gave up on. */
export function gaveUpReason(revivals: number): string {
  return (
    `sending stopped without a result ${revivals} times (a worker stopped mid-send, or its result could not be stored): ` +
    'given up, so it is not sent again and again; it may have reached the customer'
  );
}

/**
 * Replies are stored `pending` in PostgreSQL before they are queued. If queueing failed (Redis was down when
 * the agent pressed send) the reply is still there: this sweep queues every reply left pending for a while.
 * The deterministic job id (`out-<message id>`) makes queueing an already-queued reply a no-op, which is also
 * why a job that already finished must be removed first (removeFinishedReplyJob). A reply can be pending with a
 * finished job when the job stalled twice (its worker was killed) or its result could not be written
 * (PostgreSQL was down). Each such revival is counted in the message row (`sweeper_revivals`); past
 * `maxRevivals` the reply is failed with the reason and its `message.status_changed` event. A revival that only
 * records a send the platform already took (the job kept its answer) sends nothing, and is not counted.
 */
export function startPendingSweeper(
  ds: DataSource,
  queues: Queues,
  opts: { attempts: number; everyMs: number; olderThanMs: number; maxRevivals?: number },
  logger: Logger,
) {
  const maxRevivals = opts.maxRevivals ?? MAX_REVIVALS;
  let running = false;
  const sweep = async () => {
    if (running) return;
    running = true;
    try {
      const rows: Array<{ id: string }> = await ds.query(
        `SELECT id FROM messages WHERE status = 'pending' AND direction = 'outbound' AND is_private = false
           AND created_at < now() - ($1::int * interval '1 millisecond') ORDER BY created_at LIMIT 500`,
        [opts.olderThanMs],
      );
      let revived = 0;
      let gaveUp = 0;
      for (const { id } of rows) {
        const job = await queues.outbound.getJob(replyJobId(id));
        const state = job ? await job.getState() : 'missing';
        // Waiting, delayed or running: left to it.
        if (state !== 'completed' && state !== 'failed' && state !== 'missing' && state !== 'unknown') continue;
        const sent = job?.data.sent;
        if (!sent) {
          const verdict = await countRevival(ds, id, maxRevivals);
          if (verdict === 'gone') continue;
          if (verdict === 'gave_up') {
            gaveUp++;
            continue;
          }
        }
        if (state !== 'missing') revived++;
        // The finished job, read above, goes first (as removeFinishedReplyJob does; remove() refuses a locked job).
        if (job && (state === 'completed' || state === 'failed')) await job.remove().catch(() => undefined);
        // A send that went through but was never recorded is recorded by the new job, not sent again.
        await enqueueReply(queues, id, opts.attempts, sent);
      }
      if (revived) logger.warn({ count: revived }, 'pending replies whose job had finished were queued again');
      if (gaveUp) logger.warn({ count: gaveUp, maxRevivals }, 'pending replies queued again too often were failed');
      if (rows.length) logger.debug({ count: rows.length }, 'pending replies re-queued');
    } catch (err) {
      logger.warn({ err: (err as Error).message }, 'pending sweep failed; will try again');
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void sweep(), opts.everyMs);
  timer.unref();
  void sweep();
  return { stop: () => clearInterval(timer), sweep };
}

/**
 * One more revival of a pending reply, or, past the cap, its failure with the reason and its event; in one
 * transaction under the row's lock, so a job recording its result meanwhile wins (the reply is no longer pending).
 */
async function countRevival(ds: DataSource, messageId: string, maxRevivals: number): Promise<'revive' | 'gave_up' | 'gone'> {
  return ds.transaction(async (m) => {
    const [row]: Array<{ conversation_id: string; revivals: number }> = await m.query(
      `SELECT conversation_id, sweeper_revivals AS revivals FROM messages WHERE id = $1 AND status = 'pending' FOR UPDATE`,
      [messageId],
    );
    if (!row) return 'gone';
    if (row.revivals >= maxRevivals) {
      await m.query(`UPDATE messages SET status = 'failed', failure_reason = $2, send_attempted_at = NULL WHERE id = $1`, [
        messageId,
        gaveUpReason(row.revivals),
      ]);
      await recordEvents(m, [{ type: 'message.status_changed', conversationId: row.conversation_id, data: { messageId, status: 'failed' } }]);
      return 'gave_up';
    }
    await m.query(`UPDATE messages SET sweeper_revivals = sweeper_revivals + 1 WHERE id = $1`, [messageId]);
    return 'revive';
  });
}
