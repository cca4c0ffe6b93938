import type { DataSource } from 'typeorm';
import { z } from 'zod';
import { Agent, Conversation, Team } from '../database/entities';
import { CONVERSATION_STATUSES } from '../database/entities/conversation.entity';
import { HttpError } from '../http/errors';
import { canSeeConversation, type Viewer } from '../realtime/audience';

export const listConversationsSchema = z.object({
  status: z.enum(CONVERSATION_STATUSES).optional(),
  /** An agent id, `me`, or `none` (unassigned). */
  assignee: z.union([z.uuid(), z.enum(['me', 'none'])]).optional(),
  channelId: z.uuid().optional(),
  teamId: z.uuid().optional(),
  contactId: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** Cursor: conversations whose last activity is before this time. */
  before: z.coerce.date().optional(),
});

export const changeStatusSchema = z
  .object({ status: z.enum(CONVERSATION_STATUSES), snoozedUntil: z.coerce.date().optional() })
  .refine((v) => v.status !== 'snoozed' || v.snoozedUntil, { message: 'snoozedUntil is required to snooze', path: ['snoozedUntil'] });

export const assignSchema = z.object({ agentId: z.uuid().nullable().optional(), teamId: z.uuid().nullable().optional() });

export class ConversationService {
  constructor(private readonly ds: DataSource) {}

  async list(viewer: Viewer, f: z.infer<typeof listConversationsSchema>): Promise<Conversation[]> {
    const qb = this.ds.getRepository(Conversation).createQueryBuilder('c');
    if (viewer.role !== 'admin') {
      qb.andWhere('(c.assignee_id IS NULL OR c.assignee_id = :me OR c.team_id = ANY(:teams))', { me: viewer.id, teams: viewer.teamIds });
    }
    if (f.status) qb.andWhere('c.status = :status', { status: f.status });
    if (f.assignee === 'none') qb.andWhere('c.assignee_id IS NULL');
    else if (f.assignee) qb.andWhere('c.assignee_id = :assignee', { assignee: f.assignee === 'me' ? viewer.id : f.assignee });
    if (f.channelId) qb.andWhere('c.channel_id = :channelId', { channelId: f.channelId });
    if (f.teamId) qb.andWhere('c.team_id = :teamId', { teamId: f.teamId });
    if (f.contactId) qb.andWhere('c.contact_id = :contactId', { contactId: f.contactId });
    if (f.before) qb.andWhere('c.last_activity_at < :before', { before: f.before });
    return qb.orderBy('c.last_activity_at', 'DESC').addOrderBy('c.id', 'DESC').limit(f.limit).getMany();
  }

  /** A conversation the viewer may see; 404 otherwise (not 403: do not confirm it exists). */
  async get(viewer: Viewer, id: string): Promise<Conversation> {
    const c = await this.ds.getRepository(Conversation).findOneBy({ id });
    if (!c || !canSeeConversation(viewer, c)) throw new HttpError(404, 'conversation not found');
    return c;
  }

  async changeStatus(viewer: Viewer, id: string, input: z.infer<typeof changeStatusSchema>): Promise<Conversation> {
    const c = await this.get(viewer, id);
    if (input.status !== 'resolved' && c.status === 'resolved') {
      // Reopening must not collide with a newer unresolved conversation on the same thread.
      const [other] = await this.ds.query(
        `SELECT id FROM conversations WHERE channel_id = $1 AND external_thread_id = $2 AND status <> 'resolved' AND id <> $3`,
        [c.channelId, c.externalThreadId, c.id],
      );
      if (other) throw new HttpError(409, `a newer conversation on this thread is open: ${other.id}`);
    }
    c.status = input.status;
    c.snoozedUntil = input.status === 'snoozed' ? input.snoozedUntil! : null;
    c.resolvedAt = input.status === 'resolved' ? new Date() : null;
    return this.ds.getRepository(Conversation).save(c);
  }

  /** Assign to an agent (or unassign with null) and/or a team. Agents may take a conversation or hand it to a colleague. */
  async assign(viewer: Viewer, id: string, input: z.infer<typeof assignSchema>): Promise<{ conversation: Conversation; previousAssigneeId: string | null }> {
    const c = await this.get(viewer, id);
    const previousAssigneeId = c.assigneeId;
    if (input.agentId !== undefined) {
      if (input.agentId !== null) {
        const agent = await this.ds.getRepository(Agent).findOneBy({ id: input.agentId });
        if (!agent || agent.disabledAt) throw new HttpError(422, 'no active agent with this id');
      }
      c.assigneeId = input.agentId;
    }
    if (input.teamId !== undefined) {
      if (input.teamId !== null && !(await this.ds.getRepository(Team).existsBy({ id: input.teamId }))) {
        throw new HttpError(422, 'no team with this id');
      }
      c.teamId = input.teamId;
    }
    return { conversation: await this.ds.getRepository(Conversation).save(c), previousAssigneeId };
  }
}
