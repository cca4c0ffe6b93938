import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** A channel account: one connected bot / number / page of some platform type (the code is the connector). */
@Entity('channels')
export class Channel {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'varchar', length: 32 }) type: string;
  @Column({ type: 'varchar', length: 200 }) name: string;
  /** AES-256-GCM ciphertext of the credentials JSON (see src/security/secret-box.ts). */
  @Column({ name: 'credentials_encrypted', type: 'text' }) credentialsEncrypted: string;
  /** The opaque id in the webhook URL: never a token. */
  @Column({ name: 'webhook_id', type: 'varchar', length: 64, unique: true }) webhookId: string;
  @Column({ type: 'jsonb', default: {} }) settings: Record<string, unknown>;
  /** The platform's id of the account behind the credentials (describeAccount); one live channel per type and id. */
  @Column({ name: 'external_id', type: 'varchar', length: 200, nullable: true }) externalId: string | null;
  /** The platform's name of that account (`@parley_bot`), shown to admins. */
  @Column({ name: 'account_name', type: 'varchar', length: 200, nullable: true }) accountName: string | null;
  /** How this inbox hands out conversations (src/assignment/routing-settings.ts). */
  @Column({ type: 'jsonb', default: {} }) routing: Record<string, unknown>;
  /** The automatic messages' language when the contact's is unknown, and per-language template overrides. */
  @Column({ name: 'default_language', type: 'varchar', length: 8, default: 'en' }) defaultLanguage: string;
  /** Reopening and idle resolving (src/lifecycle/lifecycle-settings.ts). */
  @Column({ type: 'jsonb', default: {} }) lifecycle: Record<string, unknown>;
  @Column({ name: 'auto_replies', type: 'jsonb', default: {} }) autoReplies: Record<string, Record<string, string>>;
  /** The inbox's working hours (src/working-hours/working-hours.ts); null: always open, no out-of-office reply. */
  @Column({ name: 'working_hours', type: 'jsonb', nullable: true }) workingHours: Record<string, unknown> | null;
  /** Greet a customer's first message in each new conversation. */
  @Column({ name: 'greeting_enabled', type: 'boolean', default: false }) greetingEnabled: boolean;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
  /** Deleted channels keep their history; their webhook answers 404. */
  @Column({ name: 'deleted_at', type: 'timestamptz', nullable: true }) deletedAt: Date | null;
}
