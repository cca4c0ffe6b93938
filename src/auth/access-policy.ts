import type { Conversation } from '../database/entities';

export interface Viewer {
  id: string;
  role: 'admin' | 'agent';
  teamIds: string[];
}

/**
 * Who may see a conversation, decided in this one place for both the REST API and the socket:
 * admins see everything; an agent sees conversations assigned to them, unassigned ones (the queue), and
 * those of their teams.
 */
export function canSeeConversation(viewer: Viewer, c: Pick<Conversation, 'assigneeId' | 'teamId'>): boolean {
  if (viewer.role === 'admin') return true;
  if (c.assigneeId === null || c.assigneeId === viewer.id) return true;
  return c.teamId !== null && viewer.teamIds.includes(c.teamId);
}

/**
 * Who reads an activity entry's note (a transfer's): its receiving side — the agent it went to, or the members of
 * the team it went to —, the agent who wrote it, and admins. Mirrored by `noteRooms` (src/realtime/rooms.ts).
 */
export function canReadActivityNote(
  viewer: Viewer,
  a: { actorAgentId: string | null; data: { noteForAgentId?: string | null; noteForTeamId?: string | null } },
): boolean {
  if (viewer.role === 'admin' || viewer.id === a.actorAgentId) return true;
  if (a.data.noteForAgentId) return viewer.id === a.data.noteForAgentId;
  return !!a.data.noteForTeamId && viewer.teamIds.includes(a.data.noteForTeamId);
}
