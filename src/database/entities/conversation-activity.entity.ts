import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const ACTIVITY_KINDS = ['assigned', 'transferred', 'held', 'status_changed', 'snoozed', 'reopened', 'woken', 'auto_resolved'] as const;
export type ActivityKind = (typeof ACTIVITY_KINDS)[number];

/**
 * The facts of one entry. `note` (transfers) is for the receiving side only: `noteForAgentId` or, for a team
 * transfer, `noteForTeamId` (src/auth/access-policy.ts decides who reads it).
 */
export interface ActivityData {
  from?: string | null;
  to?: string | null;
  fromAgentId?: string | null;
  toAgentId?: string | null;
  fromTeamId?: string | null;
  toTeamId?: string | null;
  snoozedUntil?: string | null;
  note?: string | null;
  noteForAgentId?: string | null;
  noteForTeamId?: string | null;
  /** The message the customer was sent with it (hold, transfer), if any. */
  customerMessageId?: string | null;
  reason?: string | null;
}

/** One entry in a conversation's thread that is not a message (see migrations/1764600000000-lifecycle.ts). */
@Entity('conversation_activities')
export class ConversationActivity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'conversation_id', type: 'uuid' }) conversationId: string;
  @Column({ type: 'varchar', length: 32 }) kind: ActivityKind;
  /** Null when Parley did it (routing, a snooze ending, an idle conversation resolved, a customer writing). */
  @Column({ name: 'actor_agent_id', type: 'uuid', nullable: true }) actorAgentId: string | null;
  @Column({ type: 'jsonb', default: {} }) data: ActivityData;
  @Column({ name: 'event_id', type: 'bigint', nullable: true }) eventId: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
