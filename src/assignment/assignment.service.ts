import type { DataSource } from 'typeorm';
import { Conversation } from '../database/entities';
import { pickRoundRobin, type AssignmentCandidate } from './round-robin.strategy';

export interface AssignmentOutcome {
  conversation: Conversation;
  previousAssigneeId: string | null;
}

/**
 * Applies the assignment strategy to an unassigned conversation. Claiming the conversation is a row lock
 * (FOR UPDATE SKIP LOCKED: another worker already handling it means there is nothing to do), and the online
 * agents' rows are locked so that two conversations assigned at once see each other's round-robin step.
 */
export class AssignmentService {
  constructor(private readonly ds: DataSource) {}

  async autoAssign(conversationId: string): Promise<AssignmentOutcome | null> {
    return this.ds.transaction(async (m) => {
      const [claimed] = await m.query(
        `SELECT id, team_id FROM conversations WHERE id = $1 AND assignee_id IS NULL AND status <> 'resolved' FOR UPDATE SKIP LOCKED`,
        [conversationId],
      );
      if (!claimed) return null;
      const teamFilter = claimed.team_id ? `AND a.id IN (SELECT agent_id FROM team_members WHERE team_id = $1)` : '';
      const agents: Array<{ id: string; capacity: number; last_assigned_at: Date | null }> = await m.query(
        `SELECT a.id, a.capacity, a.last_assigned_at FROM agents a
         WHERE a.availability = 'online' AND a.disabled_at IS NULL ${teamFilter}
         ORDER BY a.id FOR UPDATE`,
        claimed.team_id ? [claimed.team_id] : [],
      );
      if (!agents.length) return null;
      const counts: Array<{ assignee_id: string; n: string }> = await m.query(
        `SELECT assignee_id, count(*) AS n FROM conversations WHERE assignee_id = ANY($1) AND status IN ('open', 'pending') GROUP BY assignee_id`,
        [agents.map((a) => a.id)],
      );
      const openCount = new Map(counts.map((c) => [c.assignee_id, Number(c.n)]));
      const candidates: AssignmentCandidate[] = agents.map((a) => ({
        id: a.id,
        capacity: a.capacity,
        openCount: openCount.get(a.id) ?? 0,
        lastAssignedAt: a.last_assigned_at,
      }));
      const agentId = pickRoundRobin(candidates);
      if (!agentId) return null;
      await m.query(`UPDATE conversations SET assignee_id = $2, updated_at = now() WHERE id = $1`, [conversationId, agentId]);
      await m.query(`UPDATE agents SET last_assigned_at = clock_timestamp() WHERE id = $1`, [agentId]);
      return { conversation: await m.findOneByOrFail(Conversation, { id: conversationId }), previousAssigneeId: null };
    });
  }
}
