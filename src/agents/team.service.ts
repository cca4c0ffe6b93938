import type { DataSource } from 'typeorm';
import { TeamMember } from '../database/entities';
import { notFound } from '../errors/domain-errors';
import { recordEvents } from '../events/outbox';

/**
 * Team membership. Everything a change reads goes through its transaction's manager: asking the pool for a
 * second connection inside a transaction starved the pool when a dozen changes ran at once (each held one
 * connection and waited for another), and the whole process hung.
 */
export class TeamService {
  constructor(private readonly ds: DataSource) {}

  /** Replaces a team's members. Concurrent replacements of one team are serialised on its row: the last one wins whole. */
  async setMembers(teamId: string, agentIds: string[]): Promise<string[]> {
    const ids = [...new Set(agentIds)];
    await this.ds.transaction(async (m) => {
      const team = await m.query(`SELECT id FROM teams WHERE id = $1 FOR UPDATE`, [teamId]);
      if (!team.length) throw notFound('team not found');
      const found: Array<{ id: string }> = ids.length ? await m.query(`SELECT id FROM agents WHERE id = ANY($1::uuid[])`, [ids]) : [];
      if (found.length !== ids.length) throw notFound('agent not found');
      const before = new Set((await m.find(TeamMember, { where: { teamId } })).map((t) => t.agentId));
      await m.delete(TeamMember, { teamId });
      if (ids.length)
        await m.insert(
          TeamMember,
          ids.map((agentId) => ({ teamId, agentId })),
        );
      // Whoever joined or left the team sees other conversations now: their open sockets' rooms follow.
      const changed = [...new Set([...before, ...ids])].filter((a) => before.has(a) !== ids.includes(a));
      await recordEvents(
        m,
        changed.map((agentId) => ({ type: 'agent.access_changed' as const, conversationId: null, data: { agentId, reason: 'teams_changed' as const } })),
      );
    });
    return ids;
  }
}
