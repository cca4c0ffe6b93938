import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Hostile input never loses a message (src/ingest):
 * - dead_letters keeps three kinds of record: `unparseable` (a signed webhook body no connector could parse,
 *   replayable through its connector), `failed` (an inbound job that failed on its last attempt: the job's data
 *   as JSON, replayable onto the queue), and `original` (what a customer sent before it was cleaned to fit the
 *   database: NUL bytes removed, over-long fields cut; `message_id` names the message stored from it).
 *   `signature_verified` records that the body's signature was checked when it was received, which is why a
 *   replay may skip the check. `replayed_at` / `replayed_by` say who replayed it and when.
 * - contact_identities.subscription_changed_at: when the subscription change last applied happened, so that a
 *   late, older subscribe/unsubscribe (Viber retries) never overrides a newer one.
 */
export class HostileInput1764300000000 implements MigrationInterface {
  name = 'HostileInput1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE dead_letters
      ADD COLUMN kind varchar(16) NOT NULL DEFAULT 'unparseable' CHECK (kind IN ('unparseable', 'failed', 'original')),
      ADD COLUMN message_id uuid REFERENCES messages(id) ON DELETE SET NULL,
      ADD COLUMN signature_verified boolean NOT NULL DEFAULT true,
      ADD COLUMN replayed_at timestamptz,
      ADD COLUMN replayed_by uuid REFERENCES agents(id) ON DELETE SET NULL`);
    // The admin's list pages newest first by (received_at, id).
    await q.query(`CREATE INDEX dead_letters_received ON dead_letters (received_at DESC, id DESC)`);
    await q.query(`CREATE INDEX dead_letters_message ON dead_letters (message_id) WHERE message_id IS NOT NULL`);
    await q.query(`ALTER TABLE contact_identities ADD COLUMN subscription_changed_at timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE contact_identities DROP COLUMN subscription_changed_at`);
    await q.query(`DROP INDEX IF EXISTS dead_letters_message`);
    await q.query(`DROP INDEX IF EXISTS dead_letters_received`);
    await q.query(`ALTER TABLE dead_letters DROP COLUMN replayed_by, DROP COLUMN replayed_at, DROP COLUMN signature_verified,
      DROP COLUMN message_id, DROP COLUMN kind`);
  }
}
