import type { Queue } from 'bullmq';
import type { DomainEvent, EventListener } from '../events/domain-events';
import type { LifecycleJob } from '../queues/queues';

/**
 * A snooze schedules its wake: a delayed `wake` job whose id is the conversation and the time, so the same snooze
 * handed twice queues one job, and a re-snooze adds its own while the earlier job, finding the snooze no longer
 * due, does nothing (snooze-wake.ts).
 */
export class LifecycleListener implements EventListener {
  readonly name = 'lifecycle';

  constructor(private readonly queue: Queue<LifecycleJob>) {}

  async handle(events: DomainEvent[]): Promise<void> {
    const jobs = [];
    for (const e of events) {
      if (e.type !== 'conversation.status_changed' || e.data.to !== 'snoozed' || !e.data.snoozedUntil || !e.conversationId) continue;
      const at = new Date(e.data.snoozedUntil);
      jobs.push({
        name: 'wake',
        data: { conversationId: e.conversationId, at: at.toISOString() },
        opts: { jobId: wakeJobId(e.conversationId, at), delay: Math.max(0, at.getTime() - Date.now()) },
      });
    }
    if (jobs.length) await this.queue.addBulk(jobs);
  }
}

/** BullMQ job ids may not contain ':'. */
export function wakeJobId(conversationId: string, at: Date): string {
  return `wake-${conversationId}-${at.getTime()}`;
}
