import { CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** An agent belongs to an inbox (a channel account): they see and are routed its conversations. */
@Entity('inbox_members')
export class InboxMember {
  @PrimaryColumn({ name: 'channel_id', type: 'uuid' }) channelId: string;
  @PrimaryColumn({ name: 'agent_id', type: 'uuid' }) agentId: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
