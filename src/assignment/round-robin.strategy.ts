/** An agent as assignment strategies see them. */
export interface AssignmentCandidate {
  id: string;
  capacity: number;
  openCount: number;
  lastAssignedAt: Date | null;
}

/**
 * Round robin among agents with room: the one who was given a conversation longest ago goes next (never
 * assigned counts as longest ago; ties by id so the order is stable). Pure.
 */
export function pickRoundRobin(candidates: AssignmentCandidate[]): string | null {
  const withRoom = candidates.filter((c) => c.openCount < c.capacity);
  if (!withRoom.length) return null;
  withRoom.sort((a, b) => {
    const ta = a.lastAssignedAt?.getTime() ?? -Infinity;
    const tb = b.lastAssignedAt?.getTime() ?? -Infinity;
    return ta === tb ? a.id.localeCompare(b.id) : ta - tb;
  });
  return withRoom[0].id;
}
