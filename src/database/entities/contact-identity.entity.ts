import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** A contact's account on one channel: unique per (channel, external user id). */
@Entity('contact_identities')
@Index(['channelId', 'externalId'], { unique: true })
export class ContactIdentity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'contact_id', type: 'uuid' }) contactId: string;
  @Column({ name: 'channel_id', type: 'uuid' }) channelId: string;
  @Column({ name: 'external_id', type: 'varchar', length: 200 }) externalId: string;
  @Column({ name: 'display_name', type: 'varchar', length: 300, nullable: true }) displayName: string | null;
  @Column({ type: 'varchar', length: 200, nullable: true }) username: string | null;
  @Column({ type: 'jsonb', default: {} }) profile: Record<string, string>;
  /** When the customer blocked the bot / unsubscribed on this channel; null while reachable. */
  @Column({ name: 'blocked_at', type: 'timestamptz', nullable: true }) blockedAt: Date | null;
  @Column({ name: 'blocked_reason', type: 'text', nullable: true }) blockedReason: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
