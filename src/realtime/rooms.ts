import type { Viewer } from '../auth/access-policy';
import type { Conversation } from '../database/entities';

/**
 * The socket.io rooms an event goes to. They mirror the access policy (src/auth/access-policy.ts): a
 * conversation's rooms are exactly those of the viewers who may see it.
 */
export const ROOMS = {
  admins: 'admins',
  agents: 'agents',
  agent: (id: string) => `agent:${id}`,
  team: (id: string) => `team:${id}`,
  /** The sockets opened with one bearer token (the api_tokens row id), so revoking it reaches them. */
  token: (id: string) => `token:${id}`,
};

/** Rooms to notify about a conversation; `previousAssigneeId` also tells an agent it lost one. */
export function conversationRooms(c: Pick<Conversation, 'assigneeId' | 'teamId'>, previousAssigneeId?: string | null): string[] {
  const rooms = [ROOMS.admins];
  rooms.push(c.assigneeId ? ROOMS.agent(c.assigneeId) : ROOMS.agents);
  if (c.teamId) rooms.push(ROOMS.team(c.teamId));
  if (previousAssigneeId && previousAssigneeId !== c.assigneeId) rooms.push(ROOMS.agent(previousAssigneeId));
  return rooms;
}

/** Rooms that may receive an activity entry's note: they mirror canReadActivityNote (src/auth/access-policy.ts). */
export function noteRooms(a: { actorAgentId: string | null; data: { noteForAgentId?: string | null; noteForTeamId?: string | null } }): string[] {
  const rooms = [ROOMS.admins];
  if (a.actorAgentId) rooms.push(ROOMS.agent(a.actorAgentId));
  if (a.data.noteForAgentId) rooms.push(ROOMS.agent(a.data.noteForAgentId));
  else if (a.data.noteForTeamId) rooms.push(ROOMS.team(a.data.noteForTeamId));
  return rooms;
}

export function viewerRooms(viewer: Viewer): string[] {
  const rooms = [ROOMS.agents, ROOMS.agent(viewer.id), ...viewer.teamIds.map(ROOMS.team)];
  if (viewer.role === 'admin') rooms.push(ROOMS.admins);
  return rooms;
}
