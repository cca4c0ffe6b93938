import type { DataSource, EntityManager } from 'typeorm';
import type {
  InboundEditEvent,
  InboundEvent,
  InboundMessageEvent,
  InboundSender,
  InboundStatusEvent,
  InboundSubscriptionEvent,
} from '../../connectors/contract';
import { Message } from '../database/entities';
import { queryReturning } from '../database/sql';
import type { NewDomainEvent } from '../events/domain-events';
import { recordEvents } from '../events/outbox';
import { advanceStatus } from '../messages/delivery-status';
import { inboundPlace } from '../messages/thread-order';
import { upsertIdentity } from '../contacts/identities';
import { DEFAULT_REOPEN_WITHIN_HOURS } from '../lifecycle/lifecycle-settings';
import { keepDeadLetter } from './dead-letters';
import { sanitizeEvent } from './sanitize';

/** What storing one inbound event did, for the worker's log. Everything else learns of it from the events. */
export interface InboundOutcome {
  messageId?: string;
  /** False for a repeat delivery. */
  stored: boolean;
}

/** What one event changed and the domain events that say so, recorded in the same transaction. */
interface Stored {
  outcome: InboundOutcome;
  events: NewDomainEvent[];
}

const NOTHING: Stored = { outcome: { stored: false }, events: [] };

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

  /**
   * The event is cleaned to fit the database first (sanitize.ts): what was changed is kept as it came, in a
   * dead letter of kind `original` linked to the stored message, in the same transaction.
   */
  async store(channelId: string, original: InboundEvent, receivedAt: Date): Promise<InboundOutcome> {
    if (original.type === 'ignored') return { stored: false };
    const { event, changes } = sanitizeEvent(original);
    if (event.type === 'ignored') return { stored: false };
    return this.ds.transaction(async (m) => {
      const { outcome, events } = await this.storeEvent(m, channelId, event, receivedAt);
      await recordEvents(m, events);
      if (changes.length && outcome.stored) {
        await keepDeadLetter(m, {
          channelId,
          kind: 'original',
          error: `stored cleaned: ${changes.slice(0, 20).join('; ')}${changes.length > 20 ? `; and ${changes.length - 20} more` : ''}`,
          contentType: 'application/json',
          body: Buffer.from(JSON.stringify(original)),
          messageId: outcome.messageId ?? null,
        });
      }
      return outcome;
    });
  }

  private storeEvent(m: EntityManager, channelId: string, event: Exclude<InboundEvent, { type: 'ignored' }>, receivedAt: Date): Promise<Stored> {
    switch (event.type) {
      case 'message':
        return this.storeMessage(m, channelId, event, receivedAt);
      case 'edit':
        return this.storeEdit(m, channelId, event, receivedAt);
      case 'status':
        return this.storeStatus(m, channelId, event);
      case 'subscription':
        return this.storeSubscription(m, channelId, event, receivedAt);
    }
  }

  private async storeMessage(m: EntityManager, channelId: string, e: InboundMessageEvent, receivedAt: Date): Promise<Stored> {
    await lockKeys(m, [`thread:${channelId}:${e.thread.externalId}`, `identity:${channelId}:${e.sender.externalId}`]);
    // A repeat delivery changes nothing, and must not open a conversation (its own may be resolved by now).
    // Under the thread's lock this check is reliable; ON CONFLICT below stays the final guard.
    const [seen] = await m.query(`SELECT 1 FROM messages WHERE channel_id = $1 AND external_id = $2`, [channelId, e.externalId]);
    if (seen) return NOTHING;

    const sender = await upsertIdentity(m, channelId, e.sender);
    // In a group the conversation belongs to the group (a contact of its own); one-to-one, to the sender.
    const threadContactId = e.thread.isGroup ? (await upsertIdentity(m, channelId, groupAsSender(e))).contactId : sender.contactId;

    const opened = await this.openConversation(m, channelId, threadContactId, e, receivedAt);

    // Its place in the thread is the customer's order (the platform's time and counter), not this insert's.
    const place = inboundPlace(e, receivedAt);
    const [row] = await m.query(
      `INSERT INTO messages (conversation_id, channel_id, direction, sender_contact_id, text, attachments, external_id,
         reply_to_external_id, platform_kind, status, sent_at, sort_at, sort_seq)
       VALUES ($1, $2, 'inbound', $3, $4, $5, $6, $7, $8, 'received', $9, $10, $11)
       ON CONFLICT (channel_id, external_id) WHERE external_id IS NOT NULL DO NOTHING
       RETURNING id`,
      [
        opened.conversationId,
        channelId,
        sender.contactId,
        e.text,
        JSON.stringify(e.attachments),
        e.externalId,
        e.replyToExternalId ?? null,
        e.platformKind.slice(0, 64),
        e.sentAt ?? receivedAt,
        place.sortAt,
        place.sortSeq,
      ],
    );
    if (!row) return NOTHING;

    const lastInbound = e.sentAt && e.sentAt > receivedAt ? receivedAt : (e.sentAt ?? receivedAt);
    await m.query(
      `UPDATE conversations SET last_activity_at = greatest(last_activity_at, $2), last_inbound_at = greatest(coalesce(last_inbound_at, $2), $2),
         reply_context = coalesce($3, reply_context), title = coalesce($4, title), updated_at = now()
       WHERE id = $1`,
      [opened.conversationId, lastInbound, e.thread.replyContext ? JSON.stringify(e.thread.replyContext) : null, e.thread.title ?? null],
    );
    const conversationId = opened.conversationId;
    const events: NewDomainEvent[] = [];
    if (opened.created) events.push({ type: 'conversation.created', conversationId, data: { contactId: threadContactId, channelId } });
    else if (opened.previousStatus !== 'open') {
      events.push({
        type: 'conversation.status_changed',
        conversationId,
        data: { from: opened.previousStatus, to: 'open', byAgentId: null, reason: 'customer_wrote' },
      });
    }
    events.push({ type: 'message.received', conversationId, data: { messageId: row.id, assigneeId: opened.assigneeId, waiting: opened.waiting } });
    return { outcome: { messageId: row.id, stored: true }, events };
  }

  /**
   * The id of the thread's unresolved conversation (woken up if pending or snoozed), else of the one resolved
   * within the inbox's reopen window (reopened: the customer is answering the case it closed), else of a new one.
   * Whether the reopened conversation stays with its agent is routing's decision (a listener on the event).
   */
  private async openConversation(
    m: EntityManager,
    channelId: string,
    contactId: string,
    e: InboundMessageEvent,
    now: Date,
  ): Promise<{ conversationId: string; created: boolean; previousStatus: string; assigneeId: string | null; waiting: boolean }> {
    // One statement either way: the window is read from the channel in the same query.
    const [existing] = await m.query(
      `SELECT id, status, assignee_id, waiting_since IS NOT NULL AS waiting FROM conversations
       WHERE channel_id = $1 AND external_thread_id = $2
         AND (status <> 'resolved' OR resolved_at > now() - interval '1 hour' * (
           SELECT CASE WHEN jsonb_typeof(lifecycle->'reopenWithinHours') = 'number' THEN (lifecycle->>'reopenWithinHours')::numeric ELSE $3 END
           FROM channels WHERE id = $1))
       ORDER BY status = 'resolved', resolved_at DESC LIMIT 1 FOR UPDATE`,
      [channelId, e.thread.externalId, DEFAULT_REOPEN_WITHIN_HOURS],
    );
    if (existing) {
      if (existing.status !== 'open') {
        await m.query(`UPDATE conversations SET status = 'open', snoozed_until = NULL, resolved_at = NULL WHERE id = $1`, [existing.id]);
      }
      return {
        conversationId: existing.id,
        created: false,
        previousStatus: existing.status,
        assigneeId: existing.assignee_id,
        // Already in its inbox's queue (and open): routing has nothing new to do for another message.
        waiting: existing.waiting && existing.status === 'open',
      };
    }
    const [row] = await m.query(
      `INSERT INTO conversations (channel_id, contact_id, external_thread_id, is_group, title, reply_context, status, last_activity_at, last_inbound_at)
       VALUES ($1, $2, $3, $4, $5, $6, 'open', $7, $7) RETURNING id`,
      [
        channelId,
        contactId,
        e.thread.externalId,
        e.thread.isGroup,
        e.thread.title ?? null,
        e.thread.replyContext ? JSON.stringify(e.thread.replyContext) : null,
        now,
      ],
    );
    return { conversationId: row.id, created: true, previousStatus: 'open', assigneeId: null, waiting: false };
  }

  /** An edit updates the stored message; an edit of a message we never saw is stored as that message. */
  private async storeEdit(m: EntityManager, channelId: string, e: InboundEditEvent, receivedAt: Date): Promise<Stored> {
    const editedAt = e.editedAt ?? receivedAt;
    const [row] = await queryReturning(
      m,
      `UPDATE messages SET text = $3, attachments = $4, edited_at = $5 WHERE channel_id = $1 AND external_id = $2 RETURNING id, conversation_id`,
      [channelId, e.externalId, e.text, JSON.stringify(e.attachments), editedAt],
    );
    if (row) {
      return {
        outcome: { messageId: row.id, stored: true },
        events: [{ type: 'message.edited', conversationId: row.conversation_id, data: { messageId: row.id } }],
      };
    }
    const stored = await this.storeMessage(m, channelId, { ...e, type: 'message', sentAt: e.editedAt }, receivedAt);
    if (stored.outcome.messageId) await m.query(`UPDATE messages SET edited_at = $2 WHERE id = $1`, [stored.outcome.messageId, editedAt]);
    return stored;
  }

  /** Receipts only move a message forward: a late `delivered` never undoes `read`. */
  private async storeStatus(m: EntityManager, channelId: string, e: InboundStatusEvent): Promise<Stored> {
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
    const changed = [...alsoUpdated, ...(next ? [next] : [])];
    if (next) await m.save(Message, next);
    return {
      outcome: { messageId: message.id, stored: changed.length > 0 },
      events: changed.map((msg) => ({ type: 'message.status_changed', conversationId: msg.conversationId, data: { messageId: msg.id, status: msg.status } })),
    };
  }

  /** Earlier sent or delivered replies of the same conversation, now read too. */
  private async readUpTo(m: EntityManager, last: Message, at: Date): Promise<Message[]> {
    const earlier = await m
      .getRepository(Message)
      .createQueryBuilder('msg')
      .setLock('pessimistic_write')
      .where(`msg.conversation_id = :c AND msg.direction = 'outbound' AND msg.status IN ('sent', 'delivered')`, { c: last.conversationId })
      .andWhere('(msg.sort_at, msg.sort_seq, msg.id) < (:at, :seq, :id)', { at: last.sortAt, seq: last.sortSeq, id: last.id })
      .getMany();
    const updated = earlier.map((msg) => advanceStatus(msg, 'read', at)).filter((x): x is Message => x !== null);
    if (updated.length) await m.save(Message, updated);
    return updated;
  }

  /**
   * Only a change newer than the last one applied counts: platforms redeliver late, so an older `unsubscribed`
   * arriving after a newer `subscribed` must not block the customer (an event without a time counts as of its
   * receipt).
   */
  private async storeSubscription(m: EntityManager, channelId: string, e: InboundSubscriptionEvent, receivedAt: Date): Promise<Stored> {
    await lockKeys(m, [`identity:${channelId}:${e.sender.externalId}`]);
    const identity = await upsertIdentity(m, channelId, e.sender);
    const at = e.at ?? receivedAt;
    const [newer] = await queryReturning(
      m,
      `UPDATE contact_identities SET subscription_changed_at = $2
       WHERE id = $1 AND (subscription_changed_at IS NULL OR subscription_changed_at < $2) RETURNING id`,
      [identity.id, at],
    );
    if (!newer) return NOTHING;
    const blockedAt = e.blocked ? at : null;
    const [changed] = await queryReturning(
      m,
      `UPDATE contact_identities SET blocked_at = $2, blocked_reason = $3, updated_at = now()
       WHERE id = $1 AND (blocked_at IS NULL) <> ($2::timestamptz IS NULL) RETURNING id`,
      [identity.id, blockedAt, e.blocked ? 'the customer blocked or unsubscribed from this channel' : null],
    );
    if (!changed) return NOTHING;
    return {
      outcome: { stored: true },
      events: [{ type: 'contact.updated', conversationId: null, data: { contactId: identity.contactId, reason: e.blocked ? 'blocked' : 'unblocked' } }],
    };
  }
}

/**
 * Transaction-scoped advisory locks, taken in a fixed order (a select list is evaluated left to right) so two
 * transactions never wait on each other in a cycle; one statement however many keys.
 */
async function lockKeys(m: EntityManager, keys: string[]): Promise<void> {
  const sorted = [...new Set(keys)].sort();
  await m.query(`SELECT ${sorted.map((_, i) => `pg_advisory_xact_lock(hashtextextended($${i + 1}, 0))`).join(', ')}`, sorted);
}

function groupAsSender(e: InboundMessageEvent): InboundSender {
  return { externalId: e.thread.externalId, displayName: e.thread.title };
}
