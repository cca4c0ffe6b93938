import { DelayedError, type Job } from 'bullmq';
import type { LifecycleJob } from '../queues/queues';
import type { IdleResolver } from './idle-resolve';
import type { SnoozeWaker } from './snooze-wake';

/**
 * `wake`: a snooze's time has come (delayed job). `sweep` (a job scheduler, one run per interval across all
 * workers): wake snoozes whose job was lost, and resolve idle conversations.
 */
export function lifecycleProcessor(waker: SnoozeWaker, idle: IdleResolver) {
  return async (job: Job<LifecycleJob>, token?: string): Promise<void> => {
    if (job.name === 'sweep') {
      await waker.wakeDue();
      await idle.resolveIdle();
      return;
    }
    if (job.name !== 'wake' || !job.data.conversationId) return;
    const { remainingMs } = await waker.wake(job.data.conversationId, job.data.at ? new Date(job.data.at) : undefined);
    // Ran before the database's clock reached the time (clocks differ a little): come back then.
    if (remainingMs > 0 && token) {
      await job.moveToDelayed(Date.now() + remainingMs, token);
      throw new DelayedError();
    }
  };
}
