import type { Job } from 'bullmq';
import type { Presence } from '../agents/presence';
import type { AssignmentJob } from '../queues/queues';
import type { RoutingService } from './routing.service';

/**
 * `assign`: a conversation needs an agent (it joins its inbox's queue, which is then served).
 * `return`: a customer reopened a conversation: back to its agent when they can take it, else routed.
 * `serve`: an agent came online or freed capacity, so every inbox with someone waiting is served.
 * `presence-check`: an agent's last browser socket closed a while ago; if none came back, they are away.
 */
export function assignmentProcessor(routing: RoutingService, presence: Presence) {
  return async (job: Job<AssignmentJob>): Promise<void> => {
    if (job.name === 'serve') await routing.serveAll();
    else if (job.name === 'return' && job.data.conversationId) await routing.returnToPrevious(job.data.conversationId);
    else if (job.name === 'presence-check' && job.data.agentId) await presence.check(job.data.agentId);
    else if (job.data.conversationId) await routing.route(job.data.conversationId);
  };
}
