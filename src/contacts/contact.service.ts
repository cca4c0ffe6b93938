import type { DataSource } from 'typeorm';
import { z } from 'zod';
import { Contact, ContactIdentity } from '../database/entities';
import { conflict, invalid, notFound } from '../errors/domain-errors';
import { recordEvents } from '../events/outbox';

export const mergeContactSchema = z.object({ intoContactId: z.uuid() });

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

  identities(contactId: string): Promise<ContactIdentity[]> {
    return this.ds.getRepository(ContactIdentity).find({ where: { contactId }, order: { createdAt: 'ASC' } });
  }
}
