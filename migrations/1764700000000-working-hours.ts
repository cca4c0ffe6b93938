import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Working hours, the out-of-office reply and the greeting (src/working-hours, src/auto-replies):
 * - channels.working_hours: the inbox's time zone, weekly schedule and holidays; null is always open (no
 *   out-of-office reply). channels.greeting_enabled: greet a customer's first message in each new conversation.
 * - auto_reply_claims: one row per automatic message that may go out only once (the greeting of a conversation,
 *   the out-of-office reply of a conversation on one local day of the inbox). The primary key is the atomic claim:
 *   two workers handling two messages of the same night insert the same key, and only one of them writes.
 */
export class WorkingHours1764700000000 implements MigrationInterface {
  name = 'WorkingHours1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE channels ADD COLUMN working_hours jsonb, ADD COLUMN greeting_enabled boolean NOT NULL DEFAULT false`);
    await q.query(`CREATE TABLE auto_reply_claims (
      conversation_id uuid NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
      claim varchar(64) NOT NULL,
      message_id uuid REFERENCES messages(id) ON DELETE SET NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (conversation_id, claim)
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE auto_reply_claims`);
    await q.query(`ALTER TABLE channels DROP COLUMN working_hours, DROP COLUMN greeting_enabled`);
  }
}
