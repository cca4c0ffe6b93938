import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The life of a conversation (src/lifecycle, src/activity):
 * - conversation_activities: the thread's record of who assigned, transferred, held, snoozed, resolved or
 *   reopened it, and what Parley did by itself (woke a snoozed conversation, resolved an idle one). Written by a
 *   listener from domain events; `event_id` is the event's, unique, so an event handed twice is written once.
 *   `data` holds the facts (from / to / status / the transfer note); a note is shown only to its receiving side.
 * - channels.lifecycle: per inbox, how long after resolving a customer's message reopens the conversation
 *   rather than starting a new one, and whether (and after how long) idle conversations resolve themselves.
 * - partial indexes for the two sweeps: snoozed conversations by wake time, open and pending ones by activity.
 */
export class Lifecycle1764600000000 implements MigrationInterface {
  name = 'Lifecycle1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE conversation_activities (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      conversation_id uuid NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
      kind varchar(32) NOT NULL,
      actor_agent_id uuid REFERENCES agents(id) ON DELETE SET NULL,
      data jsonb NOT NULL DEFAULT '{}',
      event_id bigint UNIQUE,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE INDEX conversation_activities_thread ON conversation_activities (conversation_id, created_at)`);
    await q.query(`ALTER TABLE channels ADD COLUMN lifecycle jsonb NOT NULL DEFAULT '{}'`);
    await q.query(`CREATE INDEX conversations_snoozed ON conversations (snoozed_until) WHERE status = 'snoozed'`);
    await q.query(`CREATE INDEX conversations_idle ON conversations (last_activity_at) WHERE status IN ('open', 'pending')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX conversations_idle`);
    await q.query(`DROP INDEX conversations_snoozed`);
    await q.query(`ALTER TABLE channels DROP COLUMN lifecycle`);
    await q.query(`DROP TABLE conversation_activities`);
  }
}
