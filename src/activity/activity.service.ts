import type { DataSource } from 'typeorm';
import { z } from 'zod';
import { canReadActivityNote, type Viewer } from '../auth/access-policy';
import { ConversationActivity, type Conversation } from '../database/entities';

export const listActivitySchema = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(200),
  /** Cursor: entries before this time. */
  before: z.coerce.date().min(new Date(0)).max(new Date('9999-12-31T23:59:59Z')).optional(),
});

/** A conversation's activity entries, oldest first, each with its note only when the viewer may read it. */
export class ActivityService {
  constructor(private readonly ds: DataSource) {}

  async list(viewer: Viewer, conversation: Conversation, q: z.infer<typeof listActivitySchema>): Promise<ConversationActivity[]> {
    const qb = this.ds.getRepository(ConversationActivity).createQueryBuilder('a').where('a.conversation_id = :id', { id: conversation.id });
    if (q.before) qb.andWhere('a.created_at < :before', { before: q.before });
    const rows = await qb.orderBy('a.created_at', 'DESC').addOrderBy('a.event_id', 'DESC').limit(q.limit).getMany();
    return rows.reverse().map((a) => withNoteFor(viewer, a));
  }
}

/** The entry as this viewer may see it: without the note unless it is theirs to read. */
export function withNoteFor(viewer: Viewer, a: ConversationActivity): ConversationActivity {
  if (!a.data.note || canReadActivityNote(viewer, a)) return a;
  return Object.assign(new ConversationActivity(), a, { data: { ...a.data, note: null } });
}
