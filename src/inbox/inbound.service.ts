import type { DataSource, EntityManager } from 'typeorm';
import type {
  InboundEditEvent,
  InboundEvent,
  InboundMessageEvent,
  InboundSender,
  InboundStatusEvent,
  InboundSubscriptionEvent,
} from '../../connectors/contract';
import { Conversation, Message } from '../database/entities';
import { queryReturning } from '../database/sql';
import { advanceStatus } from './delivery-status';
import { upsertIdentity } from './identities';

/** What storing one inbound event changed: the worker publishes events and enqueues assignment from it. */
export interface InboundOutcome {
  message?: Message;
  /** Other messages this event changed (earlier replies covered by a "read up to here" receipt). */
  alsoUpdated?: Message[];
  messageCreated?: boolean;
  conversation?: Conversation;
  conversationCreated?: boolean;
  /** The status before this event changed it (an existing conversation reopened). */
  previousStatus?: string;
  contactId?: string;
  blockedChanged?: boolean;
}

/** Raised when a receipt refers to a message we have not finished recording yet: the job retries later. */
export class ReceiptBeforeMessageError extends Error {
  constructor(platformMessageId: string) {
    super(`no outbound message with platform id ${platformMessageId} yet`);
    this.name = 'ReceiptBeforeMessageError';
  }
}

/**
 * Stores one inbound event in one short transaction. Duplicate deliveries are harmless: the unique index on
 * messages (channel_id, external_id) is the final guard, and concurrent first messages from one new contact
 * are serialised by transaction-scoped advisory locks on the thread and the sender.
 */
export class InboundService {
  constructor(private readonly ds: DataSource) {}

  async store(channelId: string, event: InboundEvent, receivedAt: Date): Promise<InboundOutcome> {
    switch (event.type) {
      case 'message':
        return this.ds.transaction((m) => this.storeMessage(m, channelId, event, receivedAt));
      case 'edit':
        return this.ds.transaction((m) => this.storeEdit(m, channelId, event, receivedAt));
      case 'status':
        return this.ds.transaction((m) => this.storeStatus(m, channelId, event));
      case 'subscription':
        return this.ds.transaction((m) => this.storeSubscription(m, channelId, event));
      case 'ignored':
        return {};
    }
  }

  private async storeMessage(m: EntityManager, channelId: string, e: InboundMessageEvent, receivedAt: Date): Promise<InboundOutcome> {
    await lockKeys(m, [`thread:${channelId}:${e.thread.externalId}`, `identity:${channelId}:${e.sender.externalId}`]);
    // A repeat delivery changes nothing, and must not open a conversation (its own may be resolved by now).
    // Under the thread's lock this check is reliable; ON CONFLICT below stays the final guard.
    const [seen] = await m.query(`SELECT 1 FROM messages WHERE channel_id = $1 AND external_id = $2`, [channelId, e.externalId]);
    if (seen) return { messageCreated: false };

    const sender = await upsertIdentity(m, channelId, e.sender);
    // In a group the conversation belongs to the group (a contact of its own); one-to-one, to the sender.
    const threadContactId = e.thread.isGroup
      ? (await upsertIdentity(m, channelId, groupAsSender(e))).contactId
      : sender.contactId;

    const { conversationId, created, previousStatus } = await this.openConversation(m, channelId, threadContactId, e, receivedAt);

    const [row] = await m.query(
      `INSERT INTO messages (conversation_id, channel_id, direction, sender_contact_id, text, attachments, external_id,
         reply_to_external_id, platform_kind, status, sent_at)
       VALUES ($1, $2, 'inbound', $3, $4, $5, $6, $7, $8, 'received', $9)
       ON CONFLICT (channel_id, external_id) WHERE external_id IS NOT NULL DO NOTHING
       RETURNING id`,
      [
        conversationId,
        channelId,
        sender.contactId,
        e.text,
        JSON.stringify(e.attachments),
        e.externalId,
        e.replyToExternalId ?? null,
        e.platformKind.slice(0, 64),
        e.sentAt ?? receivedAt,
      ],
    );
    if (!row) return { contactId: sender.contactId, messageCreated: false };

    const lastInbound = e.sentAt && e.sentAt > receivedAt ? receivedAt : (e.sentAt ?? receivedAt);
    await m.query(
      `UPDATE conversations SET last_activity_at = greatest(last_activity_at, $2), last_inbound_at = greatest(coalesce(last_inbound_at, $2), $2),
         reply_context = coalesce($3, reply_context), title = coalesce($4, title), updated_at = now()
       WHERE id = $1`,
      [conversationId, lastInbound, e.thread.replyContext ? JSON.stringify(e.thread.replyContext) : null, e.thread.title ?? null],
    );
    const message = await m.findOneByOrFail(Message, { id: row.id });
    const conversation = await m.findOneByOrFail(Conversation, { id: conversationId });
    return { message, messageCreated: true, conversation, conversationCreated: created, previousStatus, contactId: sender.contactId };
  }

  /** The id of the thread's unresolved conversation (woken up if pending or snoozed), or of a new one. */
  private async openConversation(
    m: EntityManager,
    channelId: string,
    contactId: string,
    e: InboundMessageEvent,
    now: Date,
  ): Promise<{ conversationId: string; created: boolean; previousStatus?: string }> {
    const [existing] = await m.query(
      `SELECT id, status FROM conversations WHERE channel_id = $1 AND external_thread_id = $2 AND status <> 'resolved' FOR UPDATE`,
      [channelId, e.thread.externalId],
    );
    if (existing) {
      if (existing.status !== 'open') {
        await m.query(`UPDATE conversations SET status = 'open', snoozed_until = NULL WHERE id = $1`, [existing.id]);
      }
      return { conversationId: existing.id, created: false, previousStatus: existing.status };
    }
    const [row] = await m.query(
      `INSERT INTO conversations (channel_id, contact_id, external_thread_id, is_group, title, reply_context, status, last_activity_at, last_inbound_at)
       VALUES ($1, $2, $3, $4, $5, $6, 'open', $7, $7) RETURNING id`,
      [channelId, contactId, e.thread.externalId, e.thread.isGroup, e.thread.title ?? null, e.thread.replyContext ? JSON.stringify(e.thread.replyContext) : null, now],
    );
    return { conversationId: row.id, created: true };
  }

  /** An edit updates the stored message; an edit of a message we never saw is stored as that message. */
  private async storeEdit(m: EntityManager, channelId: string, e: InboundEditEvent, receivedAt: Date): Promise<InboundOutcome> {
    const [row] = await queryReturning(
      m,
      `UPDATE messages SET text = $3, attachments = $4, edited_at = $5 WHERE channel_id = $1 AND external_id = $2 RETURNING id`,
      [channelId, e.externalId, e.text, JSON.stringify(e.attachments), e.editedAt ?? receivedAt],
    );
    if (row) {
      const message = await m.findOneByOrFail(Message, { id: row.id });
      return { message, messageCreated: false, conversation: await m.findOneByOrFail(Conversation, { id: message.conversationId }) };
    }
    const asMessage: InboundMessageEvent = { ...e, type: 'message', sentAt: e.editedAt };
    const outcome = await this.storeMessage(m, channelId, asMessage, receivedAt);
    if (outcome.message) {
      await m.query(`UPDATE messages SET edited_at = $2 WHERE id = $1`, [outcome.message.id, e.editedAt ?? receivedAt]);
      outcome.message.editedAt = e.editedAt ?? receivedAt;
    }
    return outcome;
  }

  /** Receipts only move a message forward: a late `delivered` never undoes `read`. */
  private async storeStatus(m: EntityManager, channelId: string, e: InboundStatusEvent): Promise<InboundOutcome> {
    const qb = m
      .getRepository(Message)
      .createQueryBuilder('msg')
      .setLock('pessimistic_write')
      .where('msg.channel_id = :channelId AND msg.platform_message_id = :id', { channelId, id: e.platformMessageId });
    if (e.threadExternalId) {
      qb.andWhere('msg.conversation_id IN (SELECT id FROM conversations WHERE channel_id = :channelId AND external_thread_id = :thread)', {
        thread: e.threadExternalId,
      });
    }
    const message = await qb.getOne();
    if (!message) throw new ReceiptBeforeMessageError(e.platformMessageId);
    const at = e.at ?? new Date();
    const next = advanceStatus(message, e.status, at, e.error);
    const alsoUpdated = e.upTo && e.status === 'read' ? await this.readUpTo(m, message, at) : [];
    if (next) await m.save(Message, next);
    if (!next && !alsoUpdated.length) return {};
    const conversation = await m.findOneByOrFail(Conversation, { id: message.conversationId });
    return next ? { message: next, messageCreated: false, conversation, alsoUpdated } : { conversation, alsoUpdated };
  }

  /** Earlier sent or delivered replies of the same conversation, now read too. */
  private async readUpTo(m: EntityManager, last: Message, at: Date): Promise<Message[]> {
    const earlier = await m
      .getRepository(Message)
      .createQueryBuilder('msg')
      .setLock('pessimistic_write')
      .where(`msg.conversation_id = :c AND msg.direction = 'outbound' AND msg.status IN ('sent', 'delivered')`, { c: last.conversationId })
      .andWhere('msg.created_at < :t AND msg.id <> :id', { t: last.createdAt, id: last.id })
      .getMany();
    const updated = earlier.map((msg) => advanceStatus(msg, 'read', at)).filter((x): x is Message => x !== null);
    if (updated.length) await m.save(Message, updated);
    return updated;
  }

  private async storeSubscription(m: EntityManager, channelId: string, e: InboundSubscriptionEvent): Promise<InboundOutcome> {
    await lockKeys(m, [`identity:${channelId}:${e.sender.externalId}`]);
    const identity = await upsertIdentity(m, channelId, e.sender);
    const blockedAt = e.blocked ? (e.at ?? new Date()) : null;
    const [changed] = await queryReturning(
      m,
      `UPDATE contact_identities SET blocked_at = $2, blocked_reason = $3, updated_at = now()
       WHERE id = $1 AND (blocked_at IS NULL) <> ($2::timestamptz IS NULL) RETURNING id`,
      [identity.id, blockedAt, e.blocked ? 'the customer blocked or unsubscribed from this channel' : null],
    );
    return { contactId: identity.contactId, blockedChanged: !!changed };
  }
}

/** Transaction-scoped advisory locks, taken in a fixed order so two transactions never wait on each other in a cycle. */
async function lockKeys(m: EntityManager, keys: string[]): Promise<void> {
  for (const key of [...new Set(keys)].sort()) {
    await m.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [key]);
  }
}

function groupAsSender(e: InboundMessageEvent): InboundSender {
  return { externalId: e.thread.externalId, displayName: e.thread.title };
}
