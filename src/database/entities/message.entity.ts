import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { DeliveryStatus, InboundAttachment } from '../../../connectors/contract';

export type MessageDirection = 'inbound' | 'outbound';
/** Inbound messages are `received`, private notes `note`; outbound replies move forward pending → sent → delivered → read. */
export type MessageStatus = DeliveryStatus | 'received' | 'note';

/** An attachment as stored: what the platform said (inbound), or the agent's upload (outbound). */
export interface StoredAttachment extends InboundAttachment {
  /** Outbound: the upload the agent attached (src/media). */
  uploadId?: string;
}

@Entity('messages')
export class Message {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'conversation_id', type: 'uuid' }) conversationId: string;
  @Column({ name: 'channel_id', type: 'uuid' }) channelId: string;
  @Column({ type: 'varchar', length: 8 }) direction: MessageDirection;
  @Column({ name: 'sender_contact_id', type: 'uuid', nullable: true }) senderContactId: string | null;
  @Column({ name: 'sender_agent_id', type: 'uuid', nullable: true }) senderAgentId: string | null;
  @Column({ type: 'text', nullable: true }) text: string | null;
  @Column({ type: 'jsonb', default: [] }) attachments: StoredAttachment[];
  /** Private notes are for agents only and are never sent. */
  @Column({ name: 'is_private', type: 'boolean', default: false }) isPrivate: boolean;
  /** Inbound: the platform's dedupe key, unique per channel. */
  @Column({ name: 'external_id', type: 'varchar', length: 300, nullable: true }) externalId: string | null;
  /** Outbound: the platform's id for the sent message, which receipts refer to. */
  @Column({ name: 'platform_message_id', type: 'varchar', length: 300, nullable: true }) platformMessageId: string | null;
  @Column({ name: 'reply_to_external_id', type: 'varchar', length: 300, nullable: true }) replyToExternalId: string | null;
  @Column({ name: 'platform_kind', type: 'varchar', length: 64, nullable: true }) platformKind: string | null;
  @Column({ type: 'varchar', length: 16 }) status: MessageStatus;
  /** Which automatic message this is (queue_position, fully_busy...); null for a person's. */
  @Column({ type: 'varchar', length: 32, nullable: true }) automatic: string | null;
  @Column({ name: 'failure_reason', type: 'text', nullable: true }) failureReason: string | null;
  /** When the platform says it was sent (inbound) or when it left (outbound). */
  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true }) sentAt: Date | null;
  @Column({ name: 'delivered_at', type: 'timestamptz', nullable: true }) deliveredAt: Date | null;
  @Column({ name: 'read_at', type: 'timestamptz', nullable: true }) readAt: Date | null;
  @Column({ name: 'edited_at', type: 'timestamptz', nullable: true }) editedAt: Date | null;
  /** Outbound: sends started; see migrations/1764100000000-send-attempts.ts. */
  @Column({ name: 'send_attempts', type: 'integer', default: 0 }) sendAttempts: number;
  /** Outbound: set while a send's outcome is unknown (started, no answer recorded). */
  @Column({ name: 'send_attempted_at', type: 'timestamptz', nullable: true }) sendAttemptedAt: Date | null;
  /** Outbound: sends started again while the previous outcome was unknown (possible duplicates). */
  @Column({ name: 'send_in_doubt', type: 'integer', default: 0 }) sendInDoubt: number;
  /** Outbound: times the pending sweeper queued it again after its job ended without a result; capped (pending-sweeper.ts). */
  @Column({ name: 'sweeper_revivals', type: 'integer', default: 0 }) sweeperRevivals: number;
  /**
   * The message's place in its thread, with sortSeq and id (src/messages/thread-order.ts): the platform's time of a
   * customer's message, the time an agent wrote a reply (the database's default). Milliseconds.
   */
  @Column({ name: 'sort_at', type: 'timestamptz', precision: 3, update: false }) sortAt: Date;
  /** Ties within sortAt: the platform's counter (Telegram message_id) or the arrival in ms; 0 for replies. A bigint, read as text. */
  @Column({ name: 'sort_seq', type: 'bigint', update: false }) sortSeq: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
