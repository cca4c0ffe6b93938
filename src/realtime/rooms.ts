import type { ConversationAccess, Viewer } from '../auth/access-policy';

/**
 * The socket.io rooms an event goes to. They mirror the access policy (src/auth/access-policy.ts): a
 * conversation's rooms are exactly those of the viewers who may see it. socket.io sends to the union of rooms,
 * so "a member of the inbox AND (assignee, or of the team, or the queue)" becomes rooms per inbox that name the
 * second half: `inbox:X` (its queue), `inbox:X:agent:A`, `inbox:X:team:T`; an agent's sockets join those of
 * their inboxes only.
 */
export const ROOMS = {
  admins: 'admins',
  /** Every socket of one agent: to reach them (re-rooming, ending), never to send conversations. */
  agent: (id: string) => `agent:${id}`,
  inbox: (channelId: string) => `inbox:${channelId}`,
  inboxAgent: (channelId: string, agentId: string) => `inbox:${channelId}:agent:${agentId}`,
  inboxTeam: (channelId: string, teamId: string) => `inbox:${channelId}:team:${teamId}`,
  /** The sockets opened with one bearer token (the api_tokens row id), so revoking it reaches them. */
  token: (id: string) => `token:${id}`,
};

/** Rooms to notify about a conversation; `previousAssigneeId` also tells an agent it lost one (if they may still see its inbox). */
export function conversationRooms(c: ConversationAccess, previousAssigneeId?: string | null): string[] {
  const rooms = [ROOMS.admins];
  rooms.push(c.assigneeId ? ROOMS.inboxAgent(c.channelId, c.assigneeId) : ROOMS.inbox(c.channelId));
  if (c.teamId) rooms.push(ROOMS.inboxTeam(c.channelId, c.teamId));
  if (previousAssigneeId && previousAssigneeId !== c.assigneeId) rooms.push(ROOMS.inboxAgent(c.channelId, previousAssigneeId));
  return rooms;
}

/**
 * Rooms that may receive an activity entry's note: they mirror canReadActivityNote (src/auth/access-policy.ts)
 * within the conversation's inbox, so a reader must also be a member of it, as over REST.
 */
export function noteRooms(
  channelId: string,
  a: { actorAgentId: string | null; data: { noteForAgentId?: string | null; noteForTeamId?: string | null } },
): string[] {
  const rooms = [ROOMS.admins];
  if (a.actorAgentId) rooms.push(ROOMS.inboxAgent(channelId, a.actorAgentId));
  if (a.data.noteForAgentId) rooms.push(ROOMS.inboxAgent(channelId, a.data.noteForAgentId));
  else if (a.data.noteForTeamId) rooms.push(ROOMS.inboxTeam(channelId, a.data.noteForTeamId));
  return rooms;
}

/** The rooms of a viewer's sockets (besides their token's). */
export function viewerRooms(viewer: Viewer): string[] {
  const rooms = [ROOMS.agent(viewer.id)];
  if (viewer.role === 'admin') rooms.push(ROOMS.admins);
  for (const inbox of viewer.inboxIds) {
    rooms.push(ROOMS.inbox(inbox), ROOMS.inboxAgent(inbox, viewer.id), ...viewer.teamIds.map((t) => ROOMS.inboxTeam(inbox, t)));
  }
  return rooms;
}

/**
 * Every room an agent's sockets could be in, given every inbox and team: what to leave before joining the
 * rooms they now belong to, when their access changes (a socket elsewhere cannot be asked which rooms it is in).
 */
export function possibleViewerRooms(agentId: string, allInboxIds: string[], allTeamIds: string[]): string[] {
  return viewerRooms({ id: agentId, role: 'admin', teamIds: allTeamIds, inboxIds: allInboxIds });
}
