import type { Queue } from 'bullmq';
import type { DomainEvent, EventListener } from '../events/domain-events';
import type { AssignmentJob } from '../queues/queues';

/**
 * Routing reacts to events: a customer writing on an unassigned conversation, or a transfer to a team, queues an
 * `assign`; a customer reopening a resolved or snoozed conversation queues a `return` (to its agent, else
 * routing); an agent becoming available, capacity freed (a conversation resolved or taken off an agent), or an
 * inbox's routing or members changed, queues a `serve` of the waiting queues. Job ids are the events', so an
 * event handed twice queues one job; the routing itself
 * re-checks everything under row locks.
 */
export class AssignmentListener implements EventListener {
  readonly name = 'assignment';

  constructor(private readonly queue: Queue<AssignmentJob>) {}

  async handle(events: DomainEvent[]): Promise<void> {
    const jobs: Array<{ name: string; data: AssignmentJob; opts: { jobId: string } }> = [];
    // A burst of messages from one customer is one routing: a conversation is routed once per batch, and not at
    // all while it already waits in the queue (capacity, not another message, is what serves a queue).
    const routed = new Set<string>();
    let serveAfter: string | undefined;
    for (const e of events) {
      if (e.type === 'message.received' && e.data.assigneeId === null && e.conversationId) {
        if (e.data.waiting || routed.has(e.conversationId)) continue;
        routed.add(e.conversationId);
        jobs.push({ name: 'assign', data: { conversationId: e.conversationId }, opts: { jobId: `assign-${e.id}` } });
      } else if (e.type === 'conversation.assigned' && e.data.transfer && e.data.assigneeId === null && e.conversationId) {
        // Transferred to a team: routed to one of its members (capacity freed by the previous agent is served too).
        jobs.push({ name: 'assign', data: { conversationId: e.conversationId }, opts: { jobId: `assign-${e.id}` } });
        if (e.data.previousAssigneeId) serveAfter = e.id;
      } else if (isReopenedByCustomer(e) && e.conversationId) {
        jobs.push({ name: 'return', data: { conversationId: e.conversationId }, opts: { jobId: `return-${e.id}` } });
      } else if (freesCapacity(e)) {
        serveAfter = e.id;
      }
    }
    // One serve of every queue covers the whole batch (it re-reads everything under locks), named after the
    // batch's last such event, so the same batch handed again queues the same job.
    if (serveAfter) jobs.push({ name: 'serve', data: {}, opts: { jobId: `serve-${serveAfter}` } });
    if (jobs.length) await this.queue.addBulk(jobs);
  }
}

/** A customer wrote on a resolved or snoozed conversation: it goes back to its agent if they can take it. */
function isReopenedByCustomer(e: DomainEvent): boolean {
  return e.type === 'conversation.status_changed' && e.data.reason === 'customer_wrote' && (e.data.from === 'resolved' || e.data.from === 'snoozed');
}

function freesCapacity(e: DomainEvent): boolean {
  switch (e.type) {
    case 'agent.availability_changed':
      return e.data.available;
    case 'inbox.routing_changed':
    case 'inbox.members_changed':
      return true;
    case 'conversation.status_changed':
      return e.data.to === 'resolved' || e.data.to === 'snoozed';
    case 'conversation.assigned':
      return e.data.previousAssigneeId !== null;
    default:
      return false;
  }
}
