import type { Queue } from 'bullmq';
import type { EntityManager } from 'typeorm';
import type { DomainEvent, EventListener } from '../events/domain-events';
import type { AutoReplyJob } from '../queues/queues';

/**
 * A customer's message may call for an automatic answer (out of office, greeting): the decision is a job on the
 * `auto-replies` queue, id'd by the event, so an event handed twice queues one job. Only conversations of
 * inboxes that greet or have working hours get one (one query per batch).
 */
export class AutoReplyListener implements EventListener {
  readonly name = 'auto-replies';

  constructor(private readonly queue: Queue<AutoReplyJob>) {}

  async handle(events: DomainEvent[], reader: EntityManager): Promise<void> {
    const received = events.filter((e) => e.type === 'message.received' && e.conversationId);
    if (!received.length) return;
    const rows: Array<{ id: string }> = await reader.query(
      `SELECT c.id FROM conversations c JOIN channels ch ON ch.id = c.channel_id
       WHERE c.id = ANY($1::uuid[]) AND (ch.greeting_enabled OR ch.working_hours IS NOT NULL)`,
      [[...new Set(received.map((e) => e.conversationId))]],
    );
    const answering = new Set(rows.map((r) => r.id));
    const jobs = received
      .filter((e) => answering.has(e.conversationId!) && e.type === 'message.received')
      .map((e) => ({
        name: 'customer-message',
        data: { conversationId: e.conversationId!, messageId: (e.data as { messageId: string }).messageId },
        opts: { jobId: `auto-${e.id}` },
      }));
    if (jobs.length) await this.queue.addBulk(jobs);
  }
}
