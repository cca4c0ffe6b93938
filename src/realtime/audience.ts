import type { Conversation } from '../database/entities';

/**
 * Who may see a conversation, decided in this one place for both the REST API and the socket:
 * admins see everything; an agent sees conversations assigned to them, unassigned ones (the queue), and
 * those of their teams.
 */
export const ROOMS = {
  admins: 'admins',
  agents: 'agents',
  agent: (id: string) => `agent:${id}`,
  team: (id: string) => `team:${id}`,
};

/** Rooms to notify about a conversation; `previousAssigneeId` also tells an agent it lost one. */
export function conversationRooms(c: Pick<Conversation, 'assigneeId' | 'teamId'>, previousAssigneeId?: string | null): string[] {
  const rooms = [ROOMS.admins];
  rooms.push(c.assigneeId ? ROOMS.agent(c.assigneeId) : ROOMS.agents);
  if (c.teamId) rooms.push(ROOMS.team(c.teamId));
  if (previousAssigneeId && previousAssigneeId !== c.assigneeId) rooms.push(ROOMS.agent(previousAssigneeId));
  return rooms;
}

export interface Viewer {
  id: string;
  role: 'admin' | 'agent';
  teamIds: string[];
}

export function canSeeConversation(viewer: Viewer, c: Pick<Conversation, 'assigneeId' | 'teamId'>): boolean {
  if (viewer.role === 'admin') return true;
  if (c.assigneeId === null || c.assigneeId === viewer.id) return true;
  return c.teamId !== null && viewer.teamIds.includes(c.teamId);
}

export function viewerRooms(viewer: Viewer): string[] {
  const rooms = [ROOMS.agents, ROOMS.agent(viewer.id), ...viewer.teamIds.map(ROOMS.team)];
  if (viewer.role === 'admin') rooms.push(ROOMS.admins);
  return rooms;
}
