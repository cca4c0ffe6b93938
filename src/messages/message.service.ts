import type { DataSource, EntityManager } from 'typeorm';
import { z } from 'zod';
import type { ChannelService } from '../channels/channel.service';
import { Channel, ContactIdentity, Conversation, Message, Upload } from '../database/entities';
import type { StoredAttachment } from '../database/entities/message.entity';
import { conflict, invalid, notFound, tooLarge } from '../errors/domain-errors';
import { recordEvents } from '../events/outbox';
import { queryReturning } from '../database/sql';
import { enqueueReply, enqueueStoredReplies, removeFinishedReplyJob, type Queues } from '../queues/queues';
import { decodeThreadCursor } from './thread-cursor';
import { checkOutbound, type OutboundDraft } from '../../connectors/capabilities';
import type { AttachmentKind } from '../../connectors/contract';

export const listMessagesSchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** Messages placed in the thread before this time (their `occurredAt`). */
  before: z.coerce.date().min(new Date(0)).max(new Date('9999-12-31T23:59:59Z')).optional(),
  /** Cursor: the `nextCursor` of the previous page, for the messages before it (exact even when messages share a time). */
  cursor: z.string().max(200).optional(),
});

export const createReplySchema = z
  .object({
    text: z.string().max(100_000).optional(),
    uploadIds: z.array(z.uuid()).max(1, 'one attachment per message').default([]),
    private: z.boolean().default(false),
  })
  .refine((v) => (v.text && v.text.trim().length > 0) || v.uploadIds.length > 0, { message: 'a reply needs text or an attachment' });

export interface ReplyOptions {
  attempts: number;
}

/**
 * Agent replies and private notes. A reply is stored `pending`, its id queued on `outbound`, and the API
 * answers 202; the outbound worker sends it. A note is stored and never queued.
 */
export class MessageService {
  constructor(
    private readonly ds: DataSource,
    private readonly channels: ChannelService,
    private readonly queues: Queues,
    private readonly opts: ReplyOptions,
  ) {}

  /** The last `limit` messages before the cursor, in thread order (src/messages/thread-order.ts), oldest first. */
  async list(conversation: Conversation, q: z.infer<typeof listMessagesSchema>): Promise<Message[]> {
    const qb = this.ds.getRepository(Message).createQueryBuilder('m').where('m.conversation_id = :id', { id: conversation.id });
    if (q.before) qb.andWhere('m.sort_at < :before', { before: q.before });
    if (q.cursor) {
      const c = decodeThreadCursor(q.cursor);
      qb.andWhere('(m.sort_at, m.sort_seq, m.id) < (:cursorAt, :cursorSeq, :cursorId)', { cursorAt: c.sortAt, cursorSeq: c.sortSeq, cursorId: c.id });
    }
    const rows = await qb.orderBy('m.sort_at', 'DESC').addOrderBy('m.sort_seq', 'DESC').addOrderBy('m.id', 'DESC').limit(q.limit).getMany();
    return rows.reverse();
  }

  async create(agentId: string, conversation: Conversation, input: z.infer<typeof createReplySchema>): Promise<Message> {
    const attachments = await this.attachments(agentId, input.uploadIds);
    if (!input.private) await this.checkCanSend(conversation, input.text, attachments);

    const repo = this.ds.getRepository(Message);
    const message = await this.ds.transaction(async (m) => {
      const saved = await m.getRepository(Message).save(
        repo.create({
          conversationId: conversation.id,
          channelId: conversation.channelId,
          direction: 'outbound',
          senderAgentId: agentId,
          text: input.text ?? null,
          attachments,
          isPrivate: input.private,
          status: input.private ? 'note' : 'pending',
          // Its place in the thread: when the agent wrote it (thread-order.ts).
          sortAt: new Date(),
          sortSeq: '0',
        }),
      );
      await m.query(
        `UPDATE conversations SET last_activity_at = now(), updated_at = now(),
           first_reply_at = CASE WHEN $2 THEN first_reply_at ELSE coalesce(first_reply_at, now()) END
         WHERE id = $1`,
        [conversation.id, input.private],
      );
      await recordEvents(m, [{ type: 'message.created', conversationId: conversation.id, data: { messageId: saved.id, agentId, private: input.private } }]);
      return saved;
    });
    if (!input.private) {
      // The reply is already durable: if Redis is down now, the pending sweeper queues it later.
      await enqueueReply(this.queues, message.id, this.opts.attempts).catch(() => undefined);
    }
    return message;
  }

  /**
   * Sends a failed reply again: back to `pending` (its failure, platform id and receipts cleared) and queued
   * through the same path as a new reply. Only a failed outgoing reply can be retried; what would be refused
   * now (a blocked customer, a closed window) is refused up front, in words, as for a new reply.
   */
  async retry(agentId: string, conversation: Conversation, messageId: string): Promise<Message> {
    const message = await this.ds.getRepository(Message).findOneBy({ id: messageId, conversationId: conversation.id });
    if (!message) throw notFound('message not found');
    if (message.direction !== 'outbound' || message.isPrivate || message.status !== 'failed') {
      throw conflict(`only a failed reply can be sent again; this message is ${message.isPrivate ? 'a private note' : message.status}`);
    }
    await this.checkCanSend(conversation, message.text ?? undefined, message.attachments);
    const retried = await this.ds.transaction(async (m) => {
      const [row] = await queryReturning<{ id: string }>(
        m,
        `UPDATE messages SET status = 'pending', failure_reason = NULL, platform_message_id = NULL, sent_at = NULL, delivered_at = NULL,
           read_at = NULL, send_attempted_at = NULL, sweeper_revivals = 0
         WHERE id = $1 AND status = 'failed' RETURNING id`,
        [messageId],
      );
      // Two agents pressed retry at once: the first one won.
      if (!row) throw conflict('this reply is already being sent again');
      await recordEvents(m, [{ type: 'message.retried', conversationId: conversation.id, data: { messageId, agentId } }]);
      return m.findOneByOrFail(Message, { id: messageId });
    });
    // The failed send's job is finished but kept (a week): gone first, or the new one would be ignored. Should
    // it still be finishing, the pending sweeper queues the reply once it has.
    await removeFinishedReplyJob(this.queues, messageId)
      .then(() => enqueueReply(this.queues, messageId, this.opts.attempts))
      .catch(() => undefined);
    return retried;
  }

  /** Refuses, as a reply would be refused, a text an agent's action is about to send (hold, transfer). */
  async checkReply(conversation: Conversation, text: string): Promise<void> {
    await this.checkCanSend(conversation, text, []);
  }

  /**
   * Stores an agent's text reply in the caller's transaction (an action that also tells the customer: hold,
   * transfer), with its event; `enqueue` it after the commit. Check it first with `checkReply`.
   */
  async writeReply(m: EntityManager, agentId: string, conversation: Conversation, text: string): Promise<string> {
    const [row] = await m.query(
      `INSERT INTO messages (conversation_id, channel_id, direction, sender_agent_id, text, status) VALUES ($1, $2, 'outbound', $3, $4, 'pending') RETURNING id`,
      [conversation.id, conversation.channelId, agentId, text],
    );
    await m.query(`UPDATE conversations SET last_activity_at = now(), updated_at = now(), first_reply_at = coalesce(first_reply_at, now()) WHERE id = $1`, [
      conversation.id,
    ]);
    await recordEvents(m, [{ type: 'message.created', conversationId: conversation.id, data: { messageId: row.id, agentId, private: false } }]);
    return row.id;
  }

  /** Queues stored replies for sending; Redis down: the pending sweeper queues them later. */
  enqueue(messageIds: string[]): Promise<void> {
    return enqueueStoredReplies(this.queues, messageIds, this.opts.attempts);
  }

  private async attachments(agentId: string, uploadIds: string[]): Promise<StoredAttachment[]> {
    const out: StoredAttachment[] = [];
    for (const id of uploadIds) {
      const upload = await this.ds.getRepository(Upload).findOneBy({ id });
      if (!upload || upload.agentId !== agentId) throw invalid(`no upload ${id} of yours`);
      out.push({ kind: kindOf(upload.mimeType), uploadId: upload.id, fileName: upload.fileName, mimeType: upload.mimeType, size: upload.size });
    }
    return out;
  }

  /** Refuse up front what the platform would refuse, with a message the agent can act on. */
  private async checkCanSend(conversation: Conversation, text: string | undefined, attachments: StoredAttachment[]): Promise<void> {
    const channel = await this.ds.getRepository(Channel).findOneBy({ id: conversation.channelId });
    if (!channel || channel.deletedAt) throw conflict('this conversation’s channel was deleted');
    // The channel's declared limits, checked by the same function the outbound worker runs before sending.
    const caps = this.channels.definition(channel.type).capabilities;
    const file = attachments[0];
    const draft: OutboundDraft = file
      ? { kind: 'media', media: { size: file.size ?? 0, kind: file.kind }, caption: text || undefined }
      : { kind: 'text', text: text ?? '' };
    const refusal = checkOutbound(caps, draft, { lastInboundAt: conversation.lastInboundAt, now: new Date() });
    if (refusal) throw refusal.code === 'media_too_large' ? tooLarge(refusal.reason) : invalid(refusal.reason);
    if (!conversation.isGroup) {
      const identity = await this.ds.getRepository(ContactIdentity).findOneBy({ contactId: conversation.contactId, channelId: conversation.channelId });
      if (identity?.blockedAt) throw conflict('the customer has blocked this channel: the reply cannot be delivered');
    }
  }
}

function kindOf(mime: string): AttachmentKind {
  if (mime.startsWith('image/')) return mime === 'image/gif' ? 'animation' : 'image';
  if (mime.startsWith('video/')) return 'video';
  if (mime === 'audio/ogg') return 'voice';
  if (mime.startsWith('audio/')) return 'audio';
  return 'document';
}
