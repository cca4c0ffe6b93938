import type { DataSource, EntityManager } from 'typeorm';
import { queryReturning } from '../database/sql';
import { notFound } from '../errors/domain-errors';
import type { NewDomainEvent } from '../events/domain-events';
import { recordEvents } from '../events/outbox';

/**
 * Who belongs to which inbox (a channel account). An agent sees and is routed only the conversations of their
 * inboxes; admins see every inbox but are routed only their own.
 *
 * The default, for a small team: a new inbox starts with every agent, and a new agent starts in every inbox
 * (unless the admin names theirs). Upgrading made everyone a member of everything too, so nothing disappears
 * by surprise; an admin narrows membership down where it matters, rather than having to remember to add
 * everyone each time they connect a channel or hire someone (an inbox nobody belongs to only queues).
 *
 * Changes lock the inbox rows they touch (FOR NO KEY UPDATE: webhooks inserting conversations of the inbox are
 * not held up), so an inbox's membership and an agent's inboxes changed at once serialise instead of mixing.
 * An agent taken out of an inbox loses its open conversations there: they go back to the inbox's queue.
 */
export class InboxMembersService {
  constructor(private readonly ds: DataSource) {}

  /** The members of an inbox. */
  async members(channelId: string): Promise<string[]> {
    await this.liveChannels(this.ds.manager, [channelId]);
    const rows: Array<{ agent_id: string }> = await this.ds.query(`SELECT agent_id FROM inbox_members WHERE channel_id = $1 ORDER BY agent_id`, [channelId]);
    return rows.map((r) => r.agent_id);
  }

  /** Each agent's inboxes (deleted channels left out). */
  inboxesByAgent(agentIds?: string[]): Promise<Map<string, string[]>> {
    return inboxesByAgent(this.ds.manager, agentIds);
  }

  /** Replaces an inbox's members; the last of two concurrent replacements wins whole. */
  async setMembers(channelId: string, agentIds: string[], byAgentId: string): Promise<string[]> {
    const ids = [...new Set(agentIds)].sort();
    await this.ds.transaction(async (m) => {
      await this.liveChannels(m, [channelId], true);
      await this.agentsExist(m, ids);
      const before: Array<{ agent_id: string }> = await m.query(`SELECT agent_id FROM inbox_members WHERE channel_id = $1`, [channelId]);
      const was = new Set(before.map((r) => r.agent_id));
      const removed = [...was].filter((a) => !ids.includes(a));
      const added = ids.filter((a) => !was.has(a));
      if (removed.length) await m.query(`DELETE FROM inbox_members WHERE channel_id = $1 AND agent_id = ANY($2::uuid[])`, [channelId, removed]);
      await insertMembers(m, [channelId], added);
      await this.changed(m, [{ channelId, agentIds: [...added, ...removed], removed }], byAgentId);
    });
    return ids;
  }

  /** Replaces the inboxes an agent belongs to. */
  async setInboxes(agentId: string, channelIds: string[], byAgentId: string): Promise<string[]> {
    const ids = [...new Set(channelIds)].sort();
    await this.ds.transaction(async (m) => {
      await this.agentsExist(m, [agentId]);
      const before: Array<{ channel_id: string }> = await m.query(
        `SELECT im.channel_id FROM inbox_members im JOIN channels ch ON ch.id = im.channel_id WHERE im.agent_id = $1 AND ch.deleted_at IS NULL`,
        [agentId],
      );
      const was = new Set(before.map((r) => r.channel_id));
      const removed = [...was].filter((c) => !ids.includes(c));
      const added = ids.filter((c) => !was.has(c));
      // In id order, like every other change: two of them never wait on each other crosswise.
      await this.liveChannels(m, [...new Set([...ids, ...removed])].sort(), true);
      if (removed.length) await m.query(`DELETE FROM inbox_members WHERE agent_id = $1 AND channel_id = ANY($2::uuid[])`, [agentId, removed]);
      await insertMembers(m, added, [agentId]);
      await this.changed(
        m,
        [...added, ...removed].map((channelId) => ({ channelId, agentIds: [agentId], removed: removed.includes(channelId) ? [agentId] : [] })),
        byAgentId,
      );
    });
    return ids;
  }

  /** Conversations taken off those who left go back to the queue; then the events, so sockets and routing follow. */
  private async changed(m: EntityManager, changes: Array<{ channelId: string; agentIds: string[]; removed: string[] }>, byAgentId: string): Promise<void> {
    const events: NewDomainEvent[] = [];
    for (const change of changes) {
      if (change.removed.length) {
        const taken = await queryReturning<{ id: string; team_id: string | null; previous: string }>(
          m,
          `UPDATE conversations c SET assignee_id = NULL, waiting_since = coalesce(c.waiting_since, now()), updated_at = now()
           FROM conversations old WHERE old.id = c.id AND c.channel_id = $1 AND c.assignee_id = ANY($2::uuid[]) AND c.status <> 'resolved'
           RETURNING c.id, c.team_id, old.assignee_id AS previous`,
          [change.channelId, change.removed],
        );
        for (const t of taken) {
          events.push({
            type: 'conversation.assigned',
            conversationId: t.id,
            data: { assigneeId: null, previousAssigneeId: t.previous, teamId: t.team_id, previousTeamId: t.team_id, byAgentId },
          });
        }
      }
      if (change.agentIds.length)
        events.push({ type: 'inbox.members_changed', conversationId: null, data: { channelId: change.channelId, agentIds: change.agentIds, byAgentId } });
    }
    await recordEvents(m, events);
  }

  /** The channels exist and are not deleted (404 otherwise); `lock`: their rows are held until commit. */
  private async liveChannels(m: EntityManager, channelIds: string[], lock = false): Promise<void> {
    if (!channelIds.length) return;
    const found: Array<{ id: string }> = await m.query(
      `SELECT id FROM channels WHERE id = ANY($1::uuid[]) AND deleted_at IS NULL ORDER BY id ${lock ? 'FOR NO KEY UPDATE' : ''}`,
      [channelIds],
    );
    if (found.length !== channelIds.length) throw notFound('channel not found');
  }

  private async agentsExist(m: EntityManager, agentIds: string[]): Promise<void> {
    if (!agentIds.length) return;
    const found: Array<{ id: string }> = await m.query(`SELECT id FROM agents WHERE id = ANY($1::uuid[])`, [agentIds]);
    if (found.length !== agentIds.length) throw notFound('agent not found');
  }
}

/** A new inbox starts with every agent (see above); their open sockets join its rooms. */
export async function joinEveryAgent(m: EntityManager, channelId: string): Promise<void> {
  const rows: Array<{ agent_id: string }> = await m.query(
    `INSERT INTO inbox_members (channel_id, agent_id) SELECT $1, id FROM agents ON CONFLICT DO NOTHING RETURNING agent_id`,
    [channelId],
  );
  if (rows.length)
    await recordEvents(m, [
      { type: 'inbox.members_changed', conversationId: null, data: { channelId, agentIds: rows.map((r) => r.agent_id), byAgentId: null } },
    ]);
}

/** A new agent's inboxes: those named, else every inbox (see above). Unknown or deleted channels: 404. */
export async function joinInboxes(m: EntityManager, agentId: string, channelIds: string[] | undefined): Promise<void> {
  if (channelIds === undefined) {
    await m.query(`INSERT INTO inbox_members (channel_id, agent_id) SELECT id, $1 FROM channels WHERE deleted_at IS NULL ON CONFLICT DO NOTHING`, [agentId]);
    return;
  }
  const ids = [...new Set(channelIds)];
  if (!ids.length) return;
  const found: Array<{ id: string }> = await m.query(`SELECT id FROM channels WHERE id = ANY($1::uuid[]) AND deleted_at IS NULL`, [ids]);
  if (found.length !== ids.length) throw notFound('channel not found');
  await insertMembers(m, ids, [agentId]);
}

async function insertMembers(m: EntityManager, channelIds: string[], agentIds: string[]): Promise<void> {
  if (!channelIds.length || !agentIds.length) return;
  await m.query(
    `INSERT INTO inbox_members (channel_id, agent_id) SELECT c, a FROM unnest($1::uuid[]) c CROSS JOIN unnest($2::uuid[]) a ON CONFLICT DO NOTHING`,
    [channelIds, agentIds],
  );
}

/**
 * The live inboxes of each agent (all agents, or these), oldest channel first; `m` may be a transaction's manager
 * (the realtime listener reads through the relay's).
 */
export async function inboxesByAgent(m: EntityManager, agentIds?: string[]): Promise<Map<string, string[]>> {
  const rows: Array<{ agent_id: string; channel_id: string }> = await m.query(
    `SELECT im.agent_id, im.channel_id FROM inbox_members im JOIN channels ch ON ch.id = im.channel_id
     WHERE ch.deleted_at IS NULL AND ($1::uuid[] IS NULL OR im.agent_id = ANY($1::uuid[])) ORDER BY ch.created_at, ch.id`,
    [agentIds ?? null],
  );
  const out = new Map<string, string[]>();
  for (const r of rows) out.set(r.agent_id, [...(out.get(r.agent_id) ?? []), r.channel_id]);
  return out;
}
