import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Inbox membership (issue 8): each channel account is an inbox, and an agent sees and is routed only the
 * conversations of the inboxes they belong to (admins see every inbox; they are routed only their own).
 *
 * Until now every agent saw every channel, so the backfill makes every existing agent a member of every
 * existing channel: nobody loses a conversation on upgrade, and admins narrow it down from there. New channels
 * and new agents follow the same rule unless told otherwise (src/channels/inbox-members.service.ts).
 */
export class InboxMembers1764500000000 implements MigrationInterface {
  name = 'InboxMembers1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE inbox_members (
      channel_id uuid NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
      agent_id uuid NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (channel_id, agent_id)
    )`);
    // The viewer of every request reads an agent's inboxes.
    await q.query(`CREATE INDEX inbox_members_agent ON inbox_members (agent_id)`);
    await q.query(`INSERT INTO inbox_members (channel_id, agent_id) SELECT c.id, a.id FROM channels c CROSS JOIN agents a`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE inbox_members`);
  }
}
