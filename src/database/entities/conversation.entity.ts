import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export const CONVERSATION_STATUSES = ['open', 'pending', 'snoozed', 'resolved'] as const;
export type ConversationStatus = (typeof CONVERSATION_STATUSES)[number];

/** One thread on one channel account. At most one unresolved conversation per thread (a partial unique index). */
@Entity('conversations')
export class Conversation {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'channel_id', type: 'uuid' }) channelId: string;
  @Column({ name: 'contact_id', type: 'uuid' }) contactId: string;
  /** Where replies go: the platform's chat id. */
  @Column({ name: 'external_thread_id', type: 'varchar', length: 200 }) externalThreadId: string;
  @Column({ name: 'is_group', type: 'boolean', default: false }) isGroup: boolean;
  @Column({ type: 'varchar', length: 300, nullable: true }) title: string | null;
  /** Connector data needed to reply later (a Bot Framework conversation reference...). */
  @Column({ name: 'reply_context', type: 'jsonb', nullable: true }) replyContext: Record<string, unknown> | null;
  @Column({ type: 'varchar', length: 16, default: 'open' }) status: ConversationStatus;
  @Column({ name: 'assignee_id', type: 'uuid', nullable: true }) assigneeId: string | null;
  @Column({ name: 'team_id', type: 'uuid', nullable: true }) teamId: string | null;
  @Column({ name: 'snoozed_until', type: 'timestamptz', nullable: true }) snoozedUntil: Date | null;
  @Column({ name: 'first_reply_at', type: 'timestamptz', nullable: true }) firstReplyAt: Date | null;
  @Column({ name: 'last_activity_at', type: 'timestamptz' }) lastActivityAt: Date;
  /** When the customer last wrote: platforms with a reply window check it. */
  @Column({ name: 'last_inbound_at', type: 'timestamptz', nullable: true }) lastInboundAt: Date | null;
  /** Set while the conversation waits in its inbox's queue for an agent. */
  @Column({ name: 'waiting_since', type: 'timestamptz', nullable: true }) waitingSince: Date | null;
  @Column({ name: 'assigned_at', type: 'timestamptz', nullable: true }) assignedAt: Date | null;
  @Column({ name: 'resolved_at', type: 'timestamptz', nullable: true }) resolvedAt: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
