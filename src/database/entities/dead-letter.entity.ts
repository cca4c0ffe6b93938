import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A webhook whose signature was valid but whose payload could never parse: kept for inspection (and answered
 * 2xx so the platform stops retrying it).
 */
@Entity('dead_letters')
export class DeadLetter {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'channel_id', type: 'uuid' }) channelId: string;
  @Column({ type: 'text' }) error: string;
  @Column({ name: 'content_type', type: 'varchar', length: 200, nullable: true }) contentType: string | null;
  @Column({ type: 'bytea' }) body: Buffer;
  @CreateDateColumn({ name: 'received_at', type: 'timestamptz' }) receivedAt: Date;
}
