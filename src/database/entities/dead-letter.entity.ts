import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * What Parley acknowledged but could not store as it came (migrations/1764300000000-hostile-input.ts):
 * - `unparseable`: a webhook whose signature was valid but whose payload could never parse (answered 2xx so the
 *   platform stops retrying it); the raw body, replayable through the channel's connector;
 * - `failed`: an inbound job that failed on its last attempt; the job's data as JSON, replayable onto the queue;
 * - `original`: what a customer sent before it was cleaned to fit the database; `messageId` is what was stored.
 */
export type DeadLetterKind = 'unparseable' | 'failed' | 'original';

@Entity('dead_letters')
export class DeadLetter {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'channel_id', type: 'uuid' }) channelId: string;
  @Column({ type: 'varchar', length: 16, default: 'unparseable' }) kind: DeadLetterKind;
  @Column({ type: 'text' }) error: string;
  @Column({ name: 'content_type', type: 'varchar', length: 200, nullable: true }) contentType: string | null;
  @Column({ type: 'bytea' }) body: Buffer;
  @Column({ name: 'message_id', type: 'uuid', nullable: true }) messageId: string | null;
  /** The body's signature was checked when it was received: a replay may skip the check. */
  @Column({ name: 'signature_verified', type: 'boolean', default: true }) signatureVerified: boolean;
  @Column({ name: 'replayed_at', type: 'timestamptz', nullable: true }) replayedAt: Date | null;
  @Column({ name: 'replayed_by', type: 'uuid', nullable: true }) replayedBy: string | null;
  @CreateDateColumn({ name: 'received_at', type: 'timestamptz' }) receivedAt: Date;
}
