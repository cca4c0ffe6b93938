import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A thread is listed in the customer's order, not in storage order (src/messages/thread-order.ts says why and how):
 * - messages.sort_at: the platform's time of a customer's message, kept within 7 days before and 10 s after its
 *   arrival; the time an agent wrote a reply or note (the default). Milliseconds, like a JavaScript Date, so a
 *   cursor made of it finds the same row again.
 * - messages.sort_seq: the tie-break within one sort_at: Telegram's message_id, else the arrival in ms (inbound),
 *   0 for replies and notes.
 * - messages_thread (conversation_id, sort_at, sort_seq, id) serves the thread, its pages and the inbox's
 *   last-message preview; it replaces messages_conversation (conversation_id, created_at).
 *
 * Existing rows: created_at stands for the arrival, sent_at (the platform's time, or the arrival when it gave
 * none) for the platform's time, and a Telegram message's id is the second half of its external id
 * (`chat_id:message_id`).
 */
export class ThreadOrder1764400000000 implements MigrationInterface {
  name = 'ThreadOrder1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE messages ADD COLUMN sort_at timestamptz(3) NOT NULL DEFAULT now(), ADD COLUMN sort_seq bigint NOT NULL DEFAULT 0`);
    await q.query(`UPDATE messages m SET
        sort_at = CASE WHEN m.direction = 'inbound'
                       THEN least(greatest(coalesce(m.sent_at, m.created_at), m.created_at - interval '7 days'), m.created_at + interval '10 seconds')
                       ELSE m.created_at END,
        sort_seq = CASE WHEN m.direction <> 'inbound' THEN 0
                        WHEN ch.type = 'telegram' AND m.external_id ~ '^-?[0-9]+:[0-9]{1,15}$' THEN split_part(m.external_id, ':', 2)::bigint
                        ELSE floor(extract(epoch FROM m.created_at) * 1000)::bigint END
      FROM channels ch WHERE ch.id = m.channel_id`);
    await q.query(`CREATE INDEX messages_thread ON messages (conversation_id, sort_at, sort_seq, id)`);
    await q.query(`DROP INDEX messages_conversation`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX messages_conversation ON messages (conversation_id, created_at)`);
    await q.query(`DROP INDEX messages_thread`);
    await q.query(`ALTER TABLE messages DROP COLUMN sort_seq, DROP COLUMN sort_at`);
  }
}
