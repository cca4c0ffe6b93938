import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../app/context';
import { Contact, Conversation } from '../../database/entities';
import { ContactService, mergeContactSchema } from '../../inbox/contact.service';
import { contactView, conversationView } from '../../inbox/serializers';
import { canSeeConversation } from '../../realtime/audience';
import { HttpError } from '../errors';
import { requireAdmin, sessionOf } from '../middleware/auth';
import { parse } from '../validate';

const idParam = z.object({ id: z.uuid() });

export function contactRoutes(ctx: AppContext): Router {
  const r = Router();
  const contacts = new ContactService(ctx.ds);

  /**
   * A contact with its identities and the conversations the caller may see. An agent sees a contact only
   * through a conversation they may see (admins: all).
   */
  r.get('/contacts/:id', async (req, res) => {
    const { id } = parse(idParam, req.params);
    const viewer = sessionOf(req).viewer;
    const contact = await ctx.ds.getRepository(Contact).findOneBy({ id });
    if (!contact) throw new HttpError(404, 'contact not found');
    const conversations = (await ctx.ds.getRepository(Conversation).find({ where: { contactId: id }, order: { lastActivityAt: 'DESC' } })).filter((c) =>
      canSeeConversation(viewer, c),
    );
    if (viewer.role !== 'admin' && conversations.length === 0) throw new HttpError(404, 'contact not found');
    res.json({ contact: { ...contactView(contact, await contacts.identities(id)), conversations: conversations.map(conversationView) } });
  });

  /** Admins merge a duplicate into the surviving contact: one person, all identities and conversations. */
  r.post('/contacts/:id/merge', requireAdmin, async (req, res) => {
    const { id } = parse(idParam, req.params);
    const { intoContactId } = parse(mergeContactSchema, req.body);
    const merged = await contacts.merge(id, intoContactId);
    ctx.logger.info({ from: id, into: intoContactId }, 'contacts merged');
    res.json({ contact: contactView(merged, await contacts.identities(merged.id)) });
  });
  return r;
}
