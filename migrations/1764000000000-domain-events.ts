import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The outbox of domain events (src/events). A change writes its events in its own transaction; the relay hands
 * them to listeners and marks them dispatched.
 * - `txid`: the writing transaction's id. The relay only takes events whose transaction is older than every
 *   transaction still running, so an event committed late with a smaller `id` is never overtaken (ids are
 *   handed out at insert, not at commit).
 * - the partial index keeps the relay's scan to what is still to do.
 */
export class DomainEvents1764000000000 implements MigrationInterface {
  name = 'DomainEvents1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE domain_events (
      id bigserial PRIMARY KEY,
      type varchar(64) NOT NULL,
      conversation_id uuid,
      payload jsonb NOT NULL,
      txid xid8 NOT NULL DEFAULT pg_current_xact_id(),
      created_at timestamptz NOT NULL DEFAULT now(),
      dispatched_at timestamptz
    )`);
    await q.query(`CREATE INDEX domain_events_undispatched ON domain_events (id) WHERE dispatched_at IS NULL`);
    await q.query(`CREATE INDEX domain_events_dispatched_at ON domain_events (dispatched_at) WHERE dispatched_at IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE domain_events`);
  }
}
