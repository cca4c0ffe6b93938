import type { Conversation } from '../database/entities';

export interface Viewer {
  id: string;
  role: 'admin' | 'agent';
  teamIds: string[];
  /** The channel accounts (inboxes) the agent belongs to. */
  inboxIds: string[];
}

export type ConversationAccess = Pick<Conversation, 'channelId' | 'assigneeId' | 'teamId'>;

/**
 * Who may see a conversation, decided in this one place for both the REST API and the socket:
 * admins see everything; an agent sees only the conversations of their inboxes, and of those the ones
 * assigned to them, unassigned ones (the queue), and those of their teams.
 */
export function canSeeConversation(viewer: Viewer, c: ConversationAccess): boolean {
  if (viewer.role === 'admin') return true;
  if (!viewer.inboxIds.includes(c.channelId)) return false;
  if (c.assigneeId === null || c.assigneeId === viewer.id) return true;
  return c.teamId !== null && viewer.teamIds.includes(c.teamId);
}

/**
 * Who may see an inbox (a channel account), its settings and its place in lists: admins every one, an agent only
 * those they belong to. Another inbox answers as if it did not exist, so its name and settings do not leak.
 */
export function canSeeInbox(viewer: Viewer, channelId: string): boolean {
  return viewer.role === 'admin' || viewer.inboxIds.includes(channelId);
}

/**
 * The same rule as a SQL condition over the conversation alias `c`, for lists; null for admins (no condition).
 * The parameters are named so that a query builder can take them as they are.
 */
export function visibleConversationsSql(viewer: Viewer): { where: string; params: { me: string; teams: string[]; inboxes: string[] } } | null {
  if (viewer.role === 'admin') return null;
  return {
    where: '(c.channel_id = ANY(:inboxes) AND (c.assignee_id IS NULL OR c.assignee_id = :me OR c.team_id = ANY(:teams)))',
    params: { me: viewer.id, teams: viewer.teamIds, inboxes: viewer.inboxIds },
  };
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
