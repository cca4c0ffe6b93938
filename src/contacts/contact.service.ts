import { In, type DataSource } from 'typeorm';
import { z } from 'zod';
import { visibleConversationsSql, type Viewer } from '../auth/access-policy';
import { Contact, ContactIdentity } from '../database/entities';
import { conflict, invalid, notFound } from '../errors/domain-errors';
import { recordEvents } from '../events/outbox';

export const mergeContactSchema = z.object({ intoContactId: z.uuid() });

export const searchContactsSchema = z.object({
  q: z.string().trim().min(1, 'say what to look for').max(100).meta({ description: 'Part of a name, a username or a platform id (phone number...).' }),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});

/**
 * Merging: one person writing from several channels. The merged contact's identities and conversations move
 * to the surviving contact, and the merged one points at it (kept, not deleted, so old references resolve).
 * New messages on a moved identity land on the survivor because identities carry the contact id.
 */
export class ContactService {
  constructor(private readonly ds: DataSource) {}

  async merge(sourceId: string, intoId: string): Promise<Contact> {
    if (sourceId === intoId) throw invalid('a contact cannot be merged into itself');
    return this.ds.transaction(async (m) => {
      // Lock both rows in a fixed order so two merges of the same pair cannot deadlock.
      const rows: Array<{ id: string; merged_into_id: string | null }> = await m.query(
        `SELECT id, merged_into_id FROM contacts WHERE id = ANY($1) ORDER BY id FOR UPDATE`,
        [[sourceId, intoId]],
      );
      const source = rows.find((r) => r.id === sourceId);
      const into = rows.find((r) => r.id === intoId);
      if (!source || !into) throw notFound('contact not found');
      if (source.merged_into_id || into.merged_into_id) throw conflict('one of these contacts was already merged into another');
      await m.query(`UPDATE contact_identities SET contact_id = $2, updated_at = now() WHERE contact_id = $1`, [sourceId, intoId]);
      await m.query(`UPDATE conversations SET contact_id = $2, updated_at = now() WHERE contact_id = $1`, [sourceId, intoId]);
      await m.query(`UPDATE messages SET sender_contact_id = $2 WHERE sender_contact_id = $1`, [sourceId, intoId]);
      await m.query(`UPDATE contacts SET merged_into_id = $2, updated_at = now() WHERE id = $1`, [sourceId, intoId]);
      await m.query(`UPDATE contacts SET name = coalesce(name, (SELECT name FROM contacts WHERE id = $2)), updated_at = now() WHERE id = $1`, [
        intoId,
        sourceId,
      ]);
      await recordEvents(m, [{ type: 'contact.merged', conversationId: null, data: { contactId: intoId, mergedContactId: sourceId } }]);
      return m.findOneByOrFail(Contact, { id: intoId });
    });
  }

  /**
   * Contacts whose name, or whose name, username or id on a channel, contains `q` (any case), best known first.
   * Merged contacts are left out (the survivor is the person). An agent finds only people with a conversation
   * they may see (the access policy's rule, in SQL); admins find everyone.
   */
  async search(viewer: Viewer, { q, limit }: z.infer<typeof searchContactsSchema>): Promise<Contact[]> {
    const pattern = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    // The contact is `p`: the access policy's SQL speaks of the conversation as `c`.
    const qb = this.ds
      .getRepository(Contact)
      .createQueryBuilder('p')
      .where('p.merged_into_id IS NULL')
      .andWhere(
        `(p.name ILIKE :pattern OR EXISTS (SELECT 1 FROM contact_identities i WHERE i.contact_id = p.id
           AND (i.display_name ILIKE :pattern OR i.username ILIKE :pattern OR i.external_id ILIKE :pattern)))`,
        { pattern },
      );
    const visible = visibleConversationsSql(viewer);
    if (visible) qb.andWhere(`EXISTS (SELECT 1 FROM conversations c WHERE c.contact_id = p.id AND ${visible.where})`, visible.params);
    return qb.orderBy('p.name', 'ASC', 'NULLS LAST').addOrderBy('p.id', 'ASC').limit(limit).getMany();
  }

  /** The identities of several contacts, in one query. */
  async identitiesOf(contactIds: string[]): Promise<Map<string, ContactIdentity[]>> {
    const byContact = new Map<string, ContactIdentity[]>(contactIds.map((id) => [id, []]));
    if (!contactIds.length) return byContact;
    const rows = await this.ds.getRepository(ContactIdentity).find({ where: { contactId: In(contactIds) }, order: { createdAt: 'ASC' } });
    for (const i of rows) byContact.get(i.contactId)?.push(i);
    return byContact;
  }

  identities(contactId: string): Promise<ContactIdentity[]> {
    return this.ds.getRepository(ContactIdentity).find({ where: { contactId }, order: { createdAt: 'ASC' } });
  }
}
