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
