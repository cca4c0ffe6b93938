import type { DataSource } from 'typeorm';
import { z } from 'zod';
import { Agent, Conversation, Team } from '../database/entities';
import { CONVERSATION_STATUSES } from '../database/entities/conversation.entity';
import { conflict, invalid, notFound } from '../errors/domain-errors';
import { canSeeConversation, visibleConversationsSql, type Viewer } from '../auth/access-policy';
import { recordEvents } from '../events/outbox';
import { decodeListCursor } from './list-cursor';

export const listConversationsSchema = z.object({
  status: z.enum(CONVERSATION_STATUSES).optional(),
  /** An agent id, `me`, or `none` (unassigned). */
  assignee: z.union([z.uuid(), z.enum(['me', 'none'])]).optional(),
  channelId: z.uuid().optional(),
  teamId: z.uuid().optional(),
  contactId: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** Cursor: conversations whose last activity is before this time. */
  before: z.coerce.date().min(new Date(0)).max(new Date('9999-12-31T23:59:59Z')).optional(),
  /** Cursor: the `nextCursor` of the previous page (exact even when conversations share a time). */
  cursor: z.string().max(200).optional(),
});

export const changeStatusSchema = z
  .object({ status: z.enum(CONVERSATION_STATUSES), snoozedUntil: z.coerce.date().min(new Date(0)).max(new Date('9999-12-31T23:59:59Z')).optional() })
  .refine((v) => v.status !== 'snoozed' || v.snoozedUntil, { message: 'snoozedUntil is required to snooze', path: ['snoozedUntil'] });

export const assignSchema = z.object({ agentId: z.uuid().nullable().optional(), teamId: z.uuid().nullable().optional() });

export class ConversationService {
  constructor(private readonly ds: DataSource) {}

  async list(viewer: Viewer, f: z.infer<typeof listConversationsSchema>): Promise<Conversation[]> {
    const qb = this.ds.getRepository(Conversation).createQueryBuilder('c');
    const visible = visibleConversationsSql(viewer);
    if (visible) qb.andWhere(visible.where, visible.params);
    if (f.status) qb.andWhere('c.status = :status', { status: f.status });
    if (f.assignee === 'none') qb.andWhere('c.assignee_id IS NULL');
    else if (f.assignee) qb.andWhere('c.assignee_id = :assignee', { assignee: f.assignee === 'me' ? viewer.id : f.assignee });
    if (f.channelId) qb.andWhere('c.channel_id = :channelId', { channelId: f.channelId });
    if (f.teamId) qb.andWhere('c.team_id = :teamId', { teamId: f.teamId });
    if (f.contactId) qb.andWhere('c.contact_id = :contactId', { contactId: f.contactId });
    if (f.before) qb.andWhere('c.last_activity_at < :before', { before: f.before });
    if (f.cursor) {
      const after = decodeListCursor(f.cursor);
      qb.andWhere('(c.last_activity_at, c.id) < (:cursorAt, :cursorId)', { cursorAt: after.lastActivityAt, cursorId: after.id });
    }
    return qb.orderBy('c.last_activity_at', 'DESC').addOrderBy('c.id', 'DESC').limit(f.limit).getMany();
  }

  /** A conversation the viewer may see; 404 otherwise (not 403: do not confirm it exists). */
  async get(viewer: Viewer, id: string): Promise<Conversation> {
    const c = await this.ds.getRepository(Conversation).findOneBy({ id });
    if (!c || !canSeeConversation(viewer, c)) throw notFound('conversation not found');
    return c;
  }

  async changeStatus(viewer: Viewer, id: string, input: z.infer<typeof changeStatusSchema>): Promise<Conversation> {
    await this.get(viewer, id);
    return this.ds.transaction(async (m) => {
      const c = await m.findOneOrFail(Conversation, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (input.status !== 'resolved' && c.status === 'resolved') {
        // Reopening must not collide with a newer unresolved conversation on the same thread.
        const [other] = await m.query(`SELECT id FROM conversations WHERE channel_id = $1 AND external_thread_id = $2 AND status <> 'resolved' AND id <> $3`, [
          c.channelId,
          c.externalThreadId,
          c.id,
        ]);
        if (other) throw conflict(`a newer conversation on this thread is open: ${other.id}`);
      }
      const from = c.status;
      c.status = input.status;
      c.snoozedUntil = input.status === 'snoozed' ? input.snoozedUntil! : null;
      c.resolvedAt = input.status === 'resolved' ? new Date() : null;
      if (input.status === 'resolved') c.waitingSince = null;
      const saved = await m.save(Conversation, c);
      const snoozedUntil = c.snoozedUntil ? { snoozedUntil: c.snoozedUntil.toISOString() } : {};
      await recordEvents(m, [
        { type: 'conversation.status_changed', conversationId: c.id, data: { from, to: c.status, byAgentId: viewer.id, ...snoozedUntil } },
      ]);
      return saved;
    });
  }

  /**
   * Assign to an agent (or unassign with null) and/or a team. Agents may take a conversation or hand it to a colleague.
   * Whoever it is given to must be a member of its inbox (admins included: the inbox is where they work), checked
   * in the assigning transaction under a share lock on the membership row, as routing does: a removal from the
   * inbox at that moment either waits for the assignment and then takes the conversation back
   * (inbox-members.service.ts), or commits first and the assignment is refused. The membership row is locked
   * before the conversation, in the order the removal takes them, so the two never wait on each other crosswise.
   */
  async assign(viewer: Viewer, id: string, input: z.infer<typeof assignSchema>): Promise<Conversation> {
    const conversation = await this.get(viewer, id);
    if (input.agentId) {
      const agent = await this.ds.getRepository(Agent).findOneBy({ id: input.agentId });
      if (!agent || agent.disabledAt) throw invalid('no active agent with this id');
    }
    if (input.teamId && !(await this.ds.getRepository(Team).existsBy({ id: input.teamId }))) throw invalid('no team with this id');
    return this.ds.transaction(async (m) => {
      if (input.agentId) {
        const [member] = await m.query(`SELECT 1 FROM inbox_members WHERE channel_id = $1 AND agent_id = $2 FOR SHARE`, [
          conversation.channelId,
          input.agentId,
        ]);
        if (!member) throw invalid('this agent is not a member of the conversation’s inbox');
      }
      const c = await m.findOneOrFail(Conversation, { where: { id }, lock: { mode: 'pessimistic_write' } });
      const previous = { assigneeId: c.assigneeId, teamId: c.teamId };
      if (input.agentId !== undefined) {
        c.assigneeId = input.agentId;
        // Taken by hand: out of the waiting queue. Unassigned by hand: it waits for routing again from now.
        c.waitingSince = input.agentId ? null : (c.waitingSince ?? new Date());
        if (input.agentId && input.agentId !== previous.assigneeId) c.assignedAt = new Date();
      }
      if (input.teamId !== undefined) c.teamId = input.teamId;
      const saved = await m.save(Conversation, c);
      await recordEvents(m, [
        {
          type: 'conversation.assigned',
          conversationId: c.id,
          data: { assigneeId: c.assigneeId, previousAssigneeId: previous.assigneeId, teamId: c.teamId, previousTeamId: previous.teamId, byAgentId: viewer.id },
        },
      ]);
      return saved;
    });
  }
}
