import type { EntityManager } from 'typeorm';
import type { InboundSender } from '../../connectors/contract';
import { ContactIdentity } from '../database/entities';

/**
 * The identity for this sender on this channel, created with a new contact the first time. Callers hold the
 * identity's advisory lock; ON CONFLICT is the second guard. A merged contact resolves to the one it was
 * merged into, so new conversations land on the surviving person.
 */
export async function upsertIdentity(m: EntityManager, channelId: string, s: InboundSender): Promise<Pick<ContactIdentity, 'id' | 'contactId'>> {
  const existing = await m.findOneBy(ContactIdentity, { channelId, externalId: s.externalId });
  if (existing) {
    const changed = (s.displayName && s.displayName !== existing.displayName) || (s.username && s.username !== existing.username);
    if (changed) {
      await m.query(
        `UPDATE contact_identities SET display_name = coalesce($2, display_name), username = coalesce($3, username),
           profile = profile || $4::jsonb, updated_at = now() WHERE id = $1`,
        [existing.id, s.displayName ?? null, s.username ?? null, JSON.stringify(s.profile ?? {})],
      );
    }
    return existing;
  }
  const [contact] = await m.query(`INSERT INTO contacts (name, avatar_url) VALUES ($1, $2) RETURNING id`, [
    s.displayName ?? s.username ?? null,
    s.avatarUrl ?? null,
  ]);
  const [inserted] = await m.query(
    `INSERT INTO contact_identities (contact_id, channel_id, external_id, display_name, username, profile)
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (channel_id, external_id) DO NOTHING RETURNING id, contact_id`,
    [contact.id, channelId, s.externalId, s.displayName ?? null, s.username ?? null, JSON.stringify(s.profile ?? {})],
  );
  if (inserted) return { id: inserted.id, contactId: inserted.contact_id };
  return m.findOneByOrFail(ContactIdentity, { channelId, externalId: s.externalId });
}
