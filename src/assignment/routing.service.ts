import type { DataSource, EntityManager } from 'typeorm';
import { availableAgentSql } from '../agents/availability';
import type { AutoReplyService } from '../auto-replies/auto-reply.service';
import { Channel, Conversation } from '../database/entities';
import { queryReturning } from '../database/sql';
import { recordEvents } from '../events/outbox';
import { estimateWaitMinutes } from './queue-estimate';
import { readRoutingSettings, type RoutingSettings } from './routing-settings';
import { pickAgent, type AssignmentCandidate } from './strategies';

/** How many recent assignments the wait estimate looks at. */
const RECENT_ASSIGNMENTS = 20;

/**
 * Routing and the waiting queue. A conversation needing an agent joins its inbox's queue; the queue is served
 * oldest first, one conversation per transaction, while an agent who is online, present and under capacity can
 * take it. Serving an inbox holds a lock on it (so nobody jumps the queue), claims the conversation with a row
 * lock and locks the candidate agents' rows (so two workers never give one conversation to two agents, nor an
 * agent more than their capacity).
 */
export class RoutingService {
  constructor(
    private readonly ds: DataSource,
    private readonly autoReplies: AutoReplyService,
  ) {}

  /** A customer wrote on an unassigned conversation: queue it, serve its inbox, and tell the customer if they wait. */
  async route(conversationId: string): Promise<void> {
    const [joined] = await queryReturning<{ channel_id: string }>(
      this.ds,
      `UPDATE conversations SET waiting_since = now() WHERE id = $1 AND waiting_since IS NULL AND assignee_id IS NULL AND status <> 'resolved'
       RETURNING channel_id`,
      [conversationId],
    );
    const channelId = joined?.channel_id ?? (await this.waitingIn(conversationId));
    if (!channelId) return;
    await this.serveQueue(channelId);
    if (joined) await this.announce(conversationId);
  }

  /**
   * A customer wrote on a resolved or snoozed conversation, which was reopened with its agent still on it. The
   * agent keeps it when they are online, present, enabled, a member of the inbox and under capacity (this conversation aside);
   * otherwise it is unassigned and routed like a new one. Checked under the conversation's and the agent's row
   * locks, as routing assigns, so a returning conversation never takes an agent past their capacity.
   */
  async returnToPrevious(conversationId: string): Promise<void> {
    const unassigned = await this.ds.transaction(async (m) => {
      const [c] = await m.query(`SELECT id, channel_id, assignee_id, team_id, status FROM conversations WHERE id = $1 FOR UPDATE`, [conversationId]);
      if (!c || c.status === 'resolved') return false;
      if (!c.assignee_id) return true;
      // Still a member of the inbox, as routing's candidates must be: leaving an inbox hands back only unresolved
      // conversations, so a resolved one may still name an agent who can no longer see it.
      const [agent] = await m.query(
        `SELECT a.capacity, (SELECT count(*)::int FROM conversations WHERE assignee_id = a.id AND status IN ('open', 'pending') AND id <> $2) AS open
         FROM agents a JOIN inbox_members im ON im.agent_id = a.id AND im.channel_id = $3
         WHERE a.id = $1 AND ${availableAgentSql('a')} FOR UPDATE OF a FOR SHARE OF im`,
        [c.assignee_id, conversationId, c.channel_id],
      );
      if (agent && agent.open < agent.capacity) return false;
      await m.query(`UPDATE conversations SET assignee_id = NULL, updated_at = now() WHERE id = $1`, [conversationId]);
      await recordEvents(m, [
        {
          type: 'conversation.assigned',
          conversationId,
          data: { assigneeId: null, previousAssigneeId: c.assignee_id, teamId: c.team_id, previousTeamId: c.team_id, byAgentId: null },
        },
      ]);
      return true;
    });
    if (unassigned) await this.route(conversationId);
  }

  /** Serves every inbox that has someone waiting (an agent came online or freed capacity). */
  async serveAll(): Promise<number> {
    const rows: Array<{ channel_id: string }> = await this.ds.query(
      `SELECT DISTINCT channel_id FROM conversations WHERE waiting_since IS NOT NULL AND assignee_id IS NULL`,
    );
    let assigned = 0;
    for (const r of rows) assigned += await this.serveQueue(r.channel_id);
    return assigned;
  }

  /** Assigns waiting conversations of one inbox, oldest first, until nobody can take the next one. */
  async serveQueue(channelId: string): Promise<number> {
    let assigned = 0;
    while (await this.ds.transaction((m) => this.assignNext(m, channelId))) assigned++;
    return assigned;
  }

  private async assignNext(m: EntityManager, channelId: string): Promise<boolean> {
    await m.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`queue:${channelId}`]);
    const [next] = await m.query(
      `SELECT c.id, c.team_id, c.waiting_since, ch.routing FROM conversations c JOIN channels ch ON ch.id = c.channel_id
       WHERE c.channel_id = $1 AND c.waiting_since IS NOT NULL AND c.assignee_id IS NULL AND c.status <> 'resolved'
       ORDER BY c.waiting_since, c.id LIMIT 1 FOR UPDATE OF c`,
      [channelId],
    );
    if (!next) return false;
    const settings = readRoutingSettings(next.routing);
    // A conversation given to a team (a transfer) goes to that team's members, before the inbox's own team.
    const agentId = pickAgent(settings.strategy, await this.candidates(m, channelId, next.team_id ?? settings.teamId));
    if (!agentId) return false;
    await m.query(`UPDATE conversations SET assignee_id = $2, waiting_since = NULL, assigned_at = now(), updated_at = now() WHERE id = $1`, [next.id, agentId]);
    await m.query(`UPDATE agents SET last_assigned_at = clock_timestamp() WHERE id = $1`, [agentId]);
    await recordEvents(m, [
      {
        type: 'conversation.assigned',
        conversationId: next.id,
        data: { assigneeId: agentId, previousAssigneeId: null, teamId: next.team_id, previousTeamId: next.team_id, byAgentId: null },
      },
    ]);
    return true;
  }

  /**
   * Agents who may take a conversation of this inbox now: available (agents/availability.ts), members of the
   * inbox and of the team if there is one. Their rows are locked until the assignment commits, and their
   * membership rows shared-locked, so an agent taken out of the inbox meanwhile is either not chosen or has the
   * conversation taken back by that change (inbox-members.service.ts), never kept without seeing it.
   */
  private async candidates(m: EntityManager, channelId: string, teamId: string | null): Promise<AssignmentCandidate[]> {
    const agents: Array<{ id: string; capacity: number; last_assigned_at: Date | null }> = await m.query(
      `SELECT a.id, a.capacity, a.last_assigned_at FROM agents a JOIN inbox_members im ON im.agent_id = a.id AND im.channel_id = $1
       WHERE ${availableAgentSql('a')}
         AND ($2::uuid IS NULL OR a.id IN (SELECT agent_id FROM team_members WHERE team_id = $2))
       ORDER BY a.id FOR UPDATE OF a FOR SHARE OF im`,
      [channelId, teamId],
    );
    if (!agents.length) return [];
    const counts: Array<{ assignee_id: string; n: number }> = await m.query(
      `SELECT assignee_id, count(*)::int AS n FROM conversations WHERE assignee_id = ANY($1) AND status IN ('open', 'pending') GROUP BY assignee_id`,
      [agents.map((a) => a.id)],
    );
    const open = new Map(counts.map((c) => [c.assignee_id, c.n]));
    return agents.map((a) => ({ id: a.id, capacity: a.capacity, openCount: open.get(a.id) ?? 0, lastAssignedAt: a.last_assigned_at }));
  }

  private async waitingIn(conversationId: string): Promise<string | undefined> {
    const [row] = await this.ds.query(`SELECT channel_id FROM conversations WHERE id = $1 AND waiting_since IS NOT NULL AND assignee_id IS NULL`, [
      conversationId,
    ]);
    return row?.channel_id;
  }

  /**
   * A customer who has just started waiting hears their place and the expected wait — or, beyond the inbox's
   * maximum queue length, that the team is fully busy (the conversation still waits its turn). Outside the
   * inbox's working hours the out-of-office reply speaks instead (auto-replies); a greeting due goes first.
   */
  private async announce(conversationId: string): Promise<void> {
    const written = await this.ds.transaction(async (m) => {
      const conversation = await m.findOne(Conversation, { where: { id: conversationId }, lock: { mode: 'pessimistic_write' } });
      if (!conversation?.waitingSince || conversation.assigneeId) return [];
      const channel = await m.findOneByOrFail(Channel, { id: conversation.channelId });
      if (this.autoReplies.closedNow(channel)) return [];
      const greeting = await this.autoReplies.greetIfDue(m, conversation, channel);
      return [...(greeting ? [greeting] : []), ...(await this.queueMessage(m, conversation, channel))];
    });
    await this.autoReplies.queue(written);
  }

  /** The place in the queue and the expected wait, or "fully busy" beyond the maximum; nothing when not announced. */
  private async queueMessage(m: EntityManager, conversation: Conversation, channel: Channel): Promise<string[]> {
    const settings: RoutingSettings = readRoutingSettings(channel.routing);
    const [{ position }] = await m.query(
      `SELECT count(*)::int AS position FROM conversations
       WHERE channel_id = $1 AND waiting_since IS NOT NULL AND assignee_id IS NULL AND status <> 'resolved'
         AND (waiting_since, id) <= (SELECT waiting_since, id FROM conversations WHERE id = $2)`,
      [channel.id, conversation.id],
    );
    if (settings.maxQueueLength !== null && position > settings.maxQueueLength) return [await this.autoReplies.write(m, conversation, 'fully_busy', {})];
    if (!settings.announceQueuePosition) return [];
    const minutes = estimateWaitMinutes(position, await this.recentAssignments(m, channel.id)) ?? Math.max(1, position * 2);
    return [await this.autoReplies.write(m, conversation, 'queue_position', { position, minutes })];
  }

  private async recentAssignments(m: EntityManager, channelId: string): Promise<Array<{ assignedAt: Date; waitedMs: number }>> {
    const rows: Array<{ assigned_at: Date; waited_ms: number }> = await m.query(
      `SELECT assigned_at, greatest(0, extract(epoch FROM assigned_at - created_at) * 1000)::float8 AS waited_ms FROM conversations
       WHERE channel_id = $1 AND assigned_at IS NOT NULL ORDER BY assigned_at DESC LIMIT ${RECENT_ASSIGNMENTS}`,
      [channelId],
    );
    return rows.map((r) => ({ assignedAt: r.assigned_at, waitedMs: r.waited_ms }));
  }
}
