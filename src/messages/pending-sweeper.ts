import type { DataSource } from 'typeorm';
import type { Logger } from '../logging/logger';
import { enqueueReply, removeFinishedReplyJob, type Queues } from '../queues/queues';

/**
 * Replies are stored `pending` in PostgreSQL before they are queued. If queueing failed (Redis was down when
 * the agent pressed send) the reply is still there: this sweep queues every reply left pending for a while.
 * The deterministic job id (`out-<message id>`) makes queueing an already-queued reply a no-op, which is also
 * why a job that already finished must be removed first (removeFinishedReplyJob). A reply can be pending with a
 * finished job when the job stalled twice (its worker was killed) or its result could not be written
 * (PostgreSQL was down).
 */
export function startPendingSweeper(ds: DataSource, queues: Queues, opts: { attempts: number; everyMs: number; olderThanMs: number }, logger: Logger) {
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
      for (const { id } of rows) {
        const finished = await removeFinishedReplyJob(queues, id);
        if (finished) revived++;
        // A send that went through but was never recorded is recorded by the new job, not sent again.
        await enqueueReply(queues, id, opts.attempts, finished?.sent);
      }
      if (revived) logger.warn({ count: revived }, 'pending replies whose job had finished were queued again');
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
