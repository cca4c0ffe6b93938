import { z } from 'zod';
import type { Contact, ContactIdentity } from '../../database/entities';
import { conversationSchema } from './conversation.view';
import { dateTime } from './wire';

export const contactIdentitySchema = z
  .object({
    id: z.uuid(),
    channelId: z.uuid(),
    externalId: z.string(),
    displayName: z.string().nullable(),
    username: z.string().nullable(),
    profile: z.record(z.string(), z.string()),
    blockedAt: dateTime.nullable(),
    blockedReason: z.string().nullable(),
  })
  .meta({ id: 'ContactIdentity', description: 'The contact as one channel knows them.' });

export const contactSchema = z
  .object({
    id: z.uuid(),
    name: z.string().nullable(),
    avatarUrl: z.string().nullable(),
    mergedIntoId: z.uuid().nullable(),
    blocked: z.boolean().meta({ description: 'True when the contact blocked every channel they write from.' }),
    identities: z.array(contactIdentitySchema),
    createdAt: dateTime,
  })
  .meta({ id: 'Contact' });

/** GET /contacts/{id} adds the conversations the caller may see. */
export const contactWithConversationsSchema = contactSchema.extend({ conversations: z.array(conversationSchema) }).meta({ id: 'ContactWithConversations' });

export type ContactJson = z.output<typeof contactSchema>;

export function contactView(c: Contact, identities: ContactIdentity[]): ContactJson {
  return {
    id: c.id,
    name: c.name,
    avatarUrl: c.avatarUrl,
    mergedIntoId: c.mergedIntoId,
    blocked: identities.length > 0 && identities.every((i) => i.blockedAt !== null),
    identities: identities.map((i) => ({
      id: i.id,
      channelId: i.channelId,
      externalId: i.externalId,
      displayName: i.displayName,
      username: i.username,
      profile: i.profile,
      blockedAt: i.blockedAt,
      blockedReason: i.blockedReason,
    })),
    createdAt: c.createdAt,
  };
}
