import { pickRoundRobin, type AssignmentCandidate } from './round-robin.strategy';

export type { AssignmentCandidate };

/** How an inbox hands out conversations. `manual`: nobody is chosen; agents pick from the queue. */
export const ROUTING_STRATEGIES = ['round_robin', 'least_busy', 'manual'] as const;
export type RoutingStrategy = (typeof ROUTING_STRATEGIES)[number];

/**
 * Least busy: the agent with the fewest open conversations for their capacity goes next (a share, so an agent
 * of capacity 6 with 3 open is as busy as one of capacity 2 with 1); ties go round robin. Pure.
 */
export function pickLeastBusy(candidates: AssignmentCandidate[]): string | null {
  const withRoom = candidates.filter((c) => c.openCount < c.capacity);
  if (!withRoom.length) return null;
  const load = (c: AssignmentCandidate) => c.openCount / c.capacity;
  const least = Math.min(...withRoom.map(load));
  return pickRoundRobin(withRoom.filter((c) => load(c) === least));
}

/** The agent a strategy picks among those online and under capacity, or null (the conversation waits). */
export function pickAgent(strategy: RoutingStrategy, candidates: AssignmentCandidate[]): string | null {
  switch (strategy) {
    case 'round_robin':
      return pickRoundRobin(candidates);
    case 'least_busy':
      return pickLeastBusy(candidates);
    case 'manual':
      return null;
  }
}
