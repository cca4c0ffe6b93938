import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../app/context';
import { Contact, ContactIdentity } from '../../database/entities';
import { contactView } from '../../inbox/serializers';
import { canSeeConversation } from '../../realtime/audience';
import { HttpError } from '../errors';
import { sessionOf } from '../middleware/auth';
import { parse } from '../validate';

const idParam = z.object({ id: z.uuid() });

export function contactRoutes(ctx: AppContext): Router {
  const r = Router();
  /** A contact is visible to an agent who can see at least one of its conversations (admins: all). */
  r.get('/contacts/:id', async (req, res) => {
    const { id } = parse(idParam, req.params);
    const viewer = sessionOf(req).viewer;
    const contact = await ctx.ds.getRepository(Contact).findOneBy({ id });
    if (!contact) throw new HttpError(404, 'contact not found');
    if (viewer.role !== 'admin') {
      const conversations: Array<{ assignee_id: string | null; team_id: string | null }> = await ctx.ds.query(
        `SELECT assignee_id, team_id FROM conversations WHERE contact_id = $1`,
        [id],
      );
      if (!conversations.some((c) => canSeeConversation(viewer, { assigneeId: c.assignee_id, teamId: c.team_id }))) {
        throw new HttpError(404, 'contact not found');
      }
    }
    const identities = await ctx.ds.getRepository(ContactIdentity).find({ where: { contactId: id }, order: { createdAt: 'ASC' } });
    res.json({ contact: contactView(contact, identities) });
  });
  return r;
}
