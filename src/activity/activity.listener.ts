import type { EntityManager } from 'typeorm';
import type { DomainEvent, EventListener } from '../events/domain-events';
import { activityFor } from './activity-entry';

/**
 * Writes the thread's activity entries (assignments, transfers, holds, status changes) from domain events. It
 * writes through the relay's transaction, so an entry is committed together with its event being marked
 * dispatched; the unique event id makes a batch handed again write nothing twice. Listed before the realtime
 * listener, which pushes the entries it finds for the batch.
 */
export class ActivityListener implements EventListener {
  readonly name = 'activity';

  async handle(events: DomainEvent[], writer: EntityManager): Promise<void> {
    const rows = events.flatMap((e) => {
      const entry = e.conversationId ? activityFor(e) : null;
      return entry ? [{ e, entry }] : [];
    });
    if (!rows.length) return;
    await writer.query(
      `INSERT INTO conversation_activities (conversation_id, kind, actor_agent_id, data, event_id, created_at)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::jsonb[], $5::bigint[], $6::timestamptz[])
       ON CONFLICT (event_id) DO NOTHING`,
      [
        rows.map((r) => r.e.conversationId),
        rows.map((r) => r.entry.kind),
        rows.map((r) => r.entry.actorAgentId),
        rows.map((r) => JSON.stringify(r.entry.data)),
        rows.map((r) => r.e.id),
        rows.map((r) => r.e.occurredAt),
      ],
    );
  }
}
