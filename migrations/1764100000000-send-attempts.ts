import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each send of a reply is recorded before the platform is called, so that a re-run can tell "never tried"
 * from "tried, outcome unknown" (the worker died or the result could not be written while the request may
 * have reached the platform).
 * - `send_attempts`: how many times a send was started.
 * - `send_attempted_at`: set when a send starts, cleared when the platform answered with an error (nothing
 *   was delivered); still set on a pending reply = the last attempt's outcome is unknown.
 * - `send_in_doubt`: how many times a send was started again while the previous outcome was unknown (each a
 *   possible duplicate at the platform), for operators and the fault suite.
 */
export class SendAttempts1764100000000 implements MigrationInterface {
  name = 'SendAttempts1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE messages
      ADD COLUMN send_attempts integer NOT NULL DEFAULT 0,
      ADD COLUMN send_attempted_at timestamptz,
      ADD COLUMN send_in_doubt integer NOT NULL DEFAULT 0`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE messages DROP COLUMN send_attempts, DROP COLUMN send_attempted_at, DROP COLUMN send_in_doubt`);
  }
}
