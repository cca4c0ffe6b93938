import { z } from 'zod';
import { canSeeConversation } from '../../auth/access-policy';
import { ContactService, mergeContactSchema, searchContactsSchema } from '../../contacts/contact.service';
import { Contact, Conversation } from '../../database/entities';
import { HttpError } from '../errors';
import { sessionOf } from '../middleware/auth';
import { defineRoute } from '../openapi/define-route';
import { error, json } from '../openapi/responses';
import { contactSchema, contactView, contactWithConversationsSchema, conversationView } from '../views';
import { errorSchema } from '../views/wire';

const idParam = z.object({ id: z.uuid() });

export const contactRoutes = [
  defineRoute(
    {
      method: 'get',
      path: '/contacts',
      operationId: 'searchContacts',
      tag: 'Contacts',
      summary: 'Find contacts by part of a name, a username or a platform id',
      description:
        'Any case, in any script; merged contacts are left out. An agent finds only people with a conversation they may see; admins find ' +
        'everyone (to pick the contact to merge with).',
      access: 'agent',
      query: searchContactsSchema,
      responses: { 200: z.object({ contacts: z.array(contactSchema) }).meta({ id: 'ContactSearchResult' }) },
    },
    async (ctx, { query, req }) => {
      const service = new ContactService(ctx.ds);
      const found = await service.search(sessionOf(req).viewer, query);
      const identities = await service.identitiesOf(found.map((c) => c.id));
      return { status: 200, body: { contacts: found.map((c) => contactView(c, identities.get(c.id) ?? [])) } };
    },
  ),
  /**
   * A contact with its identities and the conversations the caller may see. An agent sees a contact only
   * through a conversation they may see (admins: all).
   */
  defineRoute(
    {
      method: 'get',
      path: '/contacts/:id',
      operationId: 'getContact',
      tag: 'Contacts',
      summary: 'A contact with its channel identities and the conversations the caller may see',
      access: 'agent',
      params: idParam,
      responses: { 200: z.object({ contact: contactWithConversationsSchema }), 404: errorSchema },
    },
    async (ctx, { params: { id }, req }) => {
      const viewer = sessionOf(req).viewer;
      const contact = await ctx.ds.getRepository(Contact).findOneBy({ id });
      if (!contact) throw new HttpError(404, 'contact not found');
      const conversations = (await ctx.ds.getRepository(Conversation).find({ where: { contactId: id }, order: { lastActivityAt: 'DESC' } })).filter((c) =>
        canSeeConversation(viewer, c),
      );
      if (viewer.role !== 'admin' && conversations.length === 0) throw new HttpError(404, 'contact not found');
      const identities = await new ContactService(ctx.ds).identities(id);
      return { status: 200, body: { contact: { ...contactView(contact, identities), conversations: conversations.map(conversationView) } } };
    },
  ),
  /** Admins merge a duplicate into the surviving contact: one person, all identities and conversations. */
  defineRoute(
    {
      method: 'post',
      path: '/contacts/:id/merge',
      operationId: 'mergeContact',
      tag: 'Contacts',
      summary: 'Merge this contact into another: identities and conversations move to the survivor',
      access: 'admin',
      params: idParam,
      body: mergeContactSchema,
      responses: {
        200: json(z.object({ contact: contactSchema }), 'The surviving contact'),
        404: errorSchema,
        409: error('One of them was already merged'),
        422: error('A contact cannot be merged into itself'),
      },
    },
    async (ctx, { params: { id }, body: { intoContactId } }) => {
      const contacts = new ContactService(ctx.ds);
      const merged = await contacts.merge(id, intoContactId);
      ctx.logger.info({ from: id, into: intoContactId }, 'contacts merged');
      return { status: 200, body: { contact: contactView(merged, await contacts.identities(merged.id)) } };
    },
  ),
];
