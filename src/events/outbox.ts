import type { EntityManager } from 'typeorm';
import type { NewDomainEvent } from './domain-events';

/** Set on a transaction's query runner when it recorded events: the relay is nudged after it commits. */
export const RECORDED_EVENTS = 'parley.recordedEvents';

/**
 * Records events in the caller's transaction: one INSERT however many events, so the change and its events
 * commit or vanish together. A worker killed after the commit loses nothing: the relay finds the rows.
 *
 * The transaction's id is taken in the SELECT, before the insert draws the events' ids from their sequence:
 * an event can then never carry an id smaller than another's while holding a larger transaction id, which the
 * relay's ordering rests on (see migrations/1764000000000-domain-events.ts).
 */
export async function recordEvents(m: EntityManager, events: NewDomainEvent[]): Promise<void> {
  if (!events.length) return;
  await m.query(
    `INSERT INTO domain_events (txid, type, conversation_id, payload)
     SELECT pg_current_xact_id(), e.type, e.conversation_id, e.payload
     FROM unnest($1::text[], $2::uuid[], $3::jsonb[]) WITH ORDINALITY AS e(type, conversation_id, payload, n) ORDER BY e.n`,
    [events.map((e) => e.type), events.map((e) => e.conversationId), events.map((e) => JSON.stringify(e.data))],
  );
  if (m.queryRunner) m.queryRunner.data[RECORDED_EVENTS] = true;
}
