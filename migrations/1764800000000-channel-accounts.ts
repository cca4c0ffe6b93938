import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Whose credentials a channel holds, as its platform said when they were checked (the connector's
 * describeAccount): the bot, number or app id, and the name an admin recognises it by. One live channel per
 * (type, external id): the same bot connected twice would have two inboxes fighting over one webhook. Deleted
 * channels do not count, so a bot can be connected again after its channel was deleted. Channels created before
 * this migration have no external id until their credentials are next changed.
 */
export class ChannelAccounts1764800000000 implements MigrationInterface {
  name = 'ChannelAccounts1764800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE channels ADD COLUMN external_id varchar(200), ADD COLUMN account_name varchar(200)`);
    await q.query(`CREATE UNIQUE INDEX channels_type_external_id ON channels (type, external_id) WHERE deleted_at IS NULL AND external_id IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX channels_type_external_id`);
    await q.query(`ALTER TABLE channels DROP COLUMN external_id, DROP COLUMN account_name`);
  }
}
