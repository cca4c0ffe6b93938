import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * How many times the pending-reply sweeper queued a reply again after its job ended without a result (a worker
 * killed mid-send, a result PostgreSQL could not take): past a cap the reply is failed, with the reason, rather
 * than sent again and again (src/messages/pending-sweeper.ts). An agent's retry starts the count again. A
 * constant default: PostgreSQL adds the column without rewriting the table.
 */
export class PendingRevivals1765000000000 implements MigrationInterface {
  name = 'PendingRevivals1765000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE messages ADD COLUMN sweeper_revivals integer NOT NULL DEFAULT 0`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE messages DROP COLUMN sweeper_revivals`);
  }
}
