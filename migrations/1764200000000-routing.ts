import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Routing per inbox (each channel account is an inbox) and the waiting queue.
 * - channels.routing: the strategy (round_robin, least_busy, manual), an optional team, the maximum queue length,
 *   whether waiting customers are told their place; channels.default_language and auto_replies: the automatic
 *   messages' language and per-language overrides of their templates.
 * - conversations.waiting_since: set while a conversation waits for an agent; the queue is served oldest first.
 * - messages.automatic: which automatic message this is (queue_position, fully_busy...), null for people's.
 * - agents.away_since: set when all of an agent's browser sockets have been gone for a while (presence).
 */
export class Routing1764200000000 implements MigrationInterface {
  name = 'Routing1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE channels
      ADD COLUMN routing jsonb NOT NULL DEFAULT '{}',
      ADD COLUMN default_language varchar(8) NOT NULL DEFAULT 'en',
      ADD COLUMN auto_replies jsonb NOT NULL DEFAULT '{}'`);
    await q.query(`ALTER TABLE conversations ADD COLUMN waiting_since timestamptz, ADD COLUMN assigned_at timestamptz`);
    await q.query(`CREATE INDEX conversations_waiting ON conversations (channel_id, waiting_since) WHERE waiting_since IS NOT NULL`);
    await q.query(`ALTER TABLE messages ADD COLUMN automatic varchar(32)`);
    await q.query(`ALTER TABLE agents ADD COLUMN away_since timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE agents DROP COLUMN away_since`);
    await q.query(`ALTER TABLE messages DROP COLUMN automatic`);
    await q.query(`DROP INDEX conversations_waiting`);
    await q.query(`ALTER TABLE conversations DROP COLUMN waiting_since, DROP COLUMN assigned_at`);
    await q.query(`ALTER TABLE channels DROP COLUMN routing, DROP COLUMN default_language, DROP COLUMN auto_replies`);
  }
}
