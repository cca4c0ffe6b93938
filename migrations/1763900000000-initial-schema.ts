import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The first schema. Written by hand (synchronize is off everywhere) so that every index that guards
 * correctness is deliberate:
 * - contact_identities (channel_id, external_id) unique: one identity per platform account;
 * - conversations: at most one unresolved conversation per (channel, thread), a partial unique index;
 * - messages (channel_id, external_id) unique: the final guard against duplicate inbound deliveries;
 * - messages (channel_id, platform_message_id) unique: receipts find their outbound message.
 */
export class InitialSchema1763900000000 implements MigrationInterface {
  name = 'InitialSchema1763900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE channels (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      type varchar(32) NOT NULL,
      name varchar(200) NOT NULL,
      credentials_encrypted text NOT NULL,
      webhook_id varchar(64) NOT NULL UNIQUE,
      settings jsonb NOT NULL DEFAULT '{}',
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      deleted_at timestamptz
    )`);

    await q.query(`CREATE TABLE agents (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      email varchar(320) NOT NULL UNIQUE CHECK (email = lower(email)),
      name varchar(200) NOT NULL,
      password_hash text NOT NULL,
      role varchar(8) NOT NULL DEFAULT 'agent' CHECK (role IN ('admin', 'agent')),
      availability varchar(8) NOT NULL DEFAULT 'offline' CHECK (availability IN ('online', 'busy', 'offline')),
      capacity integer NOT NULL DEFAULT 10 CHECK (capacity >= 0),
      last_assigned_at timestamptz,
      disabled_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);

    await q.query(`CREATE TABLE teams (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      name varchar(200) NOT NULL UNIQUE,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE TABLE team_members (
      team_id uuid NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
      agent_id uuid NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
      PRIMARY KEY (team_id, agent_id)
    )`);

    await q.query(`CREATE TABLE api_tokens (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      agent_id uuid NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
      token_hash varchar(64) NOT NULL UNIQUE,
      expires_at timestamptz NOT NULL,
      last_used_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);

    await q.query(`CREATE TABLE contacts (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      name varchar(300),
      avatar_url text,
      merged_into_id uuid REFERENCES contacts(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);

    await q.query(`CREATE TABLE contact_identities (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      contact_id uuid NOT NULL REFERENCES contacts(id),
      channel_id uuid NOT NULL REFERENCES channels(id),
      external_id varchar(200) NOT NULL,
      display_name varchar(300),
      username varchar(200),
      profile jsonb NOT NULL DEFAULT '{}',
      blocked_at timestamptz,
      blocked_reason text,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE UNIQUE INDEX contact_identities_channel_external ON contact_identities (channel_id, external_id)`);
    await q.query(`CREATE INDEX contact_identities_contact ON contact_identities (contact_id)`);

    await q.query(`CREATE TABLE conversations (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      channel_id uuid NOT NULL REFERENCES channels(id),
      contact_id uuid NOT NULL REFERENCES contacts(id),
      external_thread_id varchar(200) NOT NULL,
      is_group boolean NOT NULL DEFAULT false,
      title varchar(300),
      reply_context jsonb,
      status varchar(16) NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'pending', 'snoozed', 'resolved')),
      assignee_id uuid REFERENCES agents(id) ON DELETE SET NULL,
      team_id uuid REFERENCES teams(id) ON DELETE SET NULL,
      snoozed_until timestamptz,
      first_reply_at timestamptz,
      last_activity_at timestamptz NOT NULL DEFAULT now(),
      last_inbound_at timestamptz,
      resolved_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE UNIQUE INDEX conversations_one_unresolved_per_thread
      ON conversations (channel_id, external_thread_id) WHERE status <> 'resolved'`);
    await q.query(`CREATE INDEX conversations_inbox ON conversations (status, last_activity_at DESC)`);
    await q.query(`CREATE INDEX conversations_assignee ON conversations (assignee_id, status)`);
    await q.query(`CREATE INDEX conversations_contact ON conversations (contact_id)`);

    await q.query(`CREATE TABLE messages (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      conversation_id uuid NOT NULL REFERENCES conversations(id),
      channel_id uuid NOT NULL REFERENCES channels(id),
      direction varchar(8) NOT NULL CHECK (direction IN ('inbound', 'outbound')),
      sender_contact_id uuid REFERENCES contacts(id),
      sender_agent_id uuid REFERENCES agents(id) ON DELETE SET NULL,
      text text,
      attachments jsonb NOT NULL DEFAULT '[]',
      is_private boolean NOT NULL DEFAULT false,
      external_id varchar(300),
      platform_message_id varchar(300),
      reply_to_external_id varchar(300),
      platform_kind varchar(64),
      status varchar(16) NOT NULL CHECK (status IN ('received', 'note', 'pending', 'sent', 'delivered', 'read', 'failed')),
      failure_reason text,
      sent_at timestamptz,
      delivered_at timestamptz,
      read_at timestamptz,
      edited_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE UNIQUE INDEX messages_channel_external ON messages (channel_id, external_id) WHERE external_id IS NOT NULL`);
    await q.query(`CREATE UNIQUE INDEX messages_channel_platform_id ON messages (channel_id, platform_message_id) WHERE platform_message_id IS NOT NULL`);
    await q.query(`CREATE INDEX messages_conversation ON messages (conversation_id, created_at)`);

    await q.query(`CREATE TABLE uploads (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      agent_id uuid NOT NULL REFERENCES agents(id),
      file_name varchar(255) NOT NULL,
      mime_type varchar(200) NOT NULL,
      size integer NOT NULL,
      sha256 varchar(64) NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);

    await q.query(`CREATE TABLE dead_letters (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      channel_id uuid NOT NULL REFERENCES channels(id),
      error text NOT NULL,
      content_type varchar(200),
      body bytea NOT NULL,
      received_at timestamptz NOT NULL DEFAULT now()
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'dead_letters',
      'uploads',
      'messages',
      'conversations',
      'contact_identities',
      'contacts',
      'api_tokens',
      'team_members',
      'teams',
      'agents',
      'channels',
    ]) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
