import type { DataSource } from 'typeorm';
import { checkOutbound, type OutboundDraft } from '../../connectors/capabilities';
import { ConnectorError, outboundMessageSchema, type Connector, type OutboundMedia, type OutboundMessage, type SendResult } from '../../connectors/contract';
import type { ChannelService } from '../channels/channel.service';
import { Channel, ContactIdentity, Conversation, Message, Upload } from '../database/entities';
import type { MediaUrlSigner } from '../media/signed-url';
import type { FileStore } from '../media/upload-store';
import { queryReturning } from '../database/sql';
import { recordEvents } from '../events/outbox';
import type { Logger } from '../logging/logger';

export type DeliveryOutcome =
  | { kind: 'sent'; message: Message; conversation: Conversation }
  | { kind: 'wait'; waitMs: number }
  | { kind: 'failed'; message: Message; conversation: Conversation; contactBlocked: boolean }
  | { kind: 'skipped'; reason: string };

/** How long a reply may wait for the worker that owns its channel's session before it counts as failing. */
const SERVED_ELSEWHERE_PATIENCE_MS = 10 * 60_000;

/**
 * Where a send's result is kept until PostgreSQL has it (the outbound job's data, in Redis): when the result
 * cannot be written (PostgreSQL restarting), the job's next run records it instead of sending again.
 */
export interface SendJournal {
  recalled(): SendResult | undefined;
  remember(result: SendResult): Promise<void>;
}

/** Errors after which the request may still have reached the platform: the outcome stays unknown. */
const UNKNOWN_OUTCOME_CODES = new Set(['timeout', 'network']);

export interface SendTarget {
  channelId: string;
  channelType: string;
  threadId: string;
}

/**
 * Sends one stored outgoing message through its channel's connector and records the result. Safe to run
 * twice for the same message (a stalled job runs again): a message that is no longer pending is left alone.
 * Private notes and inbound messages are never sent.
 */
export class OutboundService {
  constructor(
    private readonly ds: DataSource,
    private readonly channels: ChannelService,
    private readonly uploads: FileStore,
    private readonly mediaUrls: MediaUrlSigner,
    private readonly logger?: Logger,
    /** How long a send's result keeps being written while PostgreSQL refuses it, before the job retries. */
    private readonly recordPatienceMs = 20_000,
  ) {}

  /**
   * Throws a retryable ConnectorError to have the job retried; returns the outcome otherwise. `throttle`
   * answers how long the platform's rate limits say to wait before this send (0: go now).
   */
  async deliver(messageId: string, isLastAttempt: boolean, throttle?: (t: SendTarget) => Promise<number>, journal?: SendJournal): Promise<DeliveryOutcome> {
    const message = await this.ds.getRepository(Message).findOneBy({ id: messageId });
    if (!message) return { kind: 'skipped', reason: 'message no longer exists' };
    if (message.direction !== 'outbound' || message.isPrivate) return { kind: 'skipped', reason: 'not an outgoing reply' };
    if (message.status !== 'pending') return { kind: 'skipped', reason: `already ${message.status}` };

    const conversation = await this.ds.getRepository(Conversation).findOneByOrFail({ id: message.conversationId });
    const recalled = journal?.recalled();
    if (recalled) return this.record(message, conversation, recalled, journal);
    const channel = await this.ds.getRepository(Channel).findOneByOrFail({ id: message.channelId });
    if (channel.deletedAt) return this.fail(message, conversation, 'the channel was deleted', false);

    const waitMs = throttle ? await throttle({ channelId: channel.id, channelType: channel.type, threadId: conversation.externalThreadId }) : 0;
    if (waitMs > 0) return { kind: 'wait', waitMs };

    let result: SendResult;
    let attempt: { previousAt: Date | null } | null = null;
    try {
      const out = await this.buildOutbound(message, conversation);
      // The same check as when the API accepted the reply: the window may have closed while it waited.
      const refusal = checkOutbound(this.channels.definition(channel.type).capabilities, draftOf(out), {
        lastInboundAt: conversation.lastInboundAt,
        now: new Date(),
      });
      if (refusal) throw ConnectorError.permanent(refusal.reason, { code: refusal.code, policy: true });
      const connector = this.channels.connectorFor(channel);
      attempt = await this.startAttempt(message.id);
      if (!attempt) return { kind: 'skipped', reason: 'no longer pending' };
      result = (attempt.previousAt && (await this.findSent(connector, out, attempt.previousAt))) || (await connector.send(out));
    } catch (err) {
      const e = err instanceof ConnectorError ? err : ConnectorError.retryable(`unexpected: ${(err as Error).message}`);
      if (attempt) await this.endAttemptInError(message.id, attempt.previousAt, UNKNOWN_OUTCOME_CODES.has(e.code ?? ''));
      // Another worker owns this account's session: come back soon, hoping to land there, without using an attempt.
      if (e.servedElsewhere && Date.now() - message.createdAt.getTime() < SERVED_ELSEWHERE_PATIENCE_MS) return { kind: 'wait', waitMs: 1000 };
      if (e.retryable && !isLastAttempt) throw e;
      const reason = e.retryable ? `gave up after repeated failures: ${e.message}` : e.message;
      if (e.contactBlocked) await this.markBlocked(conversation, channel.id, e.message);
      return this.fail(message, conversation, reason, e.contactBlocked);
    }
    return this.record(message, conversation, result, journal);
  }

  /**
   * Records that a send starts, before the platform is called. Answers null when the reply is no longer pending,
   * and `previousAt` when an earlier attempt's outcome is unknown: this send may be a duplicate.
   */
  private async startAttempt(messageId: string): Promise<{ previousAt: Date | null } | null> {
    const [row] = await queryReturning<{ previous_at: Date | null; attempts: number }>(
      this.ds,
      `UPDATE messages m SET send_attempts = m.send_attempts + 1, send_attempted_at = now(),
         send_in_doubt = m.send_in_doubt + (m.send_attempted_at IS NOT NULL)::int
       FROM (SELECT id, send_attempted_at FROM messages WHERE id = $1 FOR UPDATE) before
       WHERE m.id = before.id AND m.status = 'pending' RETURNING before.send_attempted_at AS previous_at, m.send_attempts AS attempts`,
      [messageId],
    );
    if (!row) return null;
    if (row.previous_at) this.logger?.warn({ messageId, attempt: row.attempts }, 'sending again a reply whose previous attempt may have reached the platform');
    return { previousAt: row.previous_at };
  }

  /**
   * After a failed attempt, what stays in doubt: an error the platform answered delivered nothing, so only an
   * earlier attempt in doubt remains (its time kept, for the platform lookup); a timeout or a cut connection may
   * have delivered, so the earliest attempt in doubt is kept.
   */
  private async endAttemptInError(messageId: string, previousAt: Date | null, outcomeUnknown: boolean): Promise<void> {
    await this.ds
      .query(`UPDATE messages SET send_attempted_at = CASE WHEN $3 THEN coalesce($2, send_attempted_at) ELSE $2 END WHERE id = $1 AND status = 'pending'`, [
        messageId,
        previousAt,
        outcomeUnknown,
      ])
      .catch(() => undefined);
  }

  /** Asks the platform, where it can be asked, whether an attempt in doubt went through. */
  private async findSent(connector: Connector, out: OutboundMessage, since: Date): Promise<SendResult | null> {
    if (!connector.findSent) return null;
    const found = await connector.findSent(out, since);
    if (found) this.logger?.info({ messageId: out.messageId }, 'the platform already has this reply: recorded, not sent again');
    return found;
  }

  /**
   * Writes a send's result. The platform has the message now, so a failed write must not lead to a second send:
   * the result goes to the journal and the write is retried for a while; a job that still gives up recalls the
   * result on its next run.
   */
  private async record(message: Message, conversation: Conversation, result: SendResult, journal?: SendJournal): Promise<DeliveryOutcome> {
    const deadline = Date.now() + this.recordPatienceMs;
    let remembered = false;
    for (let wait = 250; ; wait = Math.min(wait * 2, 4000)) {
      try {
        return await this.markSent(message, conversation, result.platformMessageId, result.status ?? 'sent');
      } catch (err) {
        if (!remembered && journal)
          remembered = await journal.remember(result).then(
            () => true,
            () => false,
          );
        if (Date.now() + wait > deadline)
          throw ConnectorError.retryable(`sent, but the result could not be stored: ${(err as Error).message}`, { code: 'unrecorded' });
        this.logger?.warn({ messageId: message.id, err: (err as Error).message }, 'sent, but the result could not be stored yet: retrying');
        await new Promise((r) => setTimeout(r, wait));
      }
    }
  }

  private async buildOutbound(message: Message, conversation: Conversation): Promise<OutboundMessage> {
    const identity = await this.ds.getRepository(ContactIdentity).findOneBy({ contactId: conversation.contactId, channelId: conversation.channelId });
    const address = {
      messageId: message.id,
      threadExternalId: conversation.externalThreadId,
      recipientExternalId: identity?.externalId ?? conversation.externalThreadId,
      replyContext: conversation.replyContext ?? undefined,
      lastInboundAt: conversation.lastInboundAt ?? undefined,
    };
    const media = await this.media(message);
    // A stored reply is a file (its text the caption) or a text; the schema refuses an empty one.
    const candidate = media ? { ...address, kind: 'media', media, caption: message.text || undefined } : { ...address, kind: 'text', text: message.text ?? '' };
    const parsed = outboundMessageSchema.safeParse(candidate);
    if (!parsed.success) throw ConnectorError.permanent('nothing to send: no text and no attachment', { code: 'empty' });
    return parsed.data;
  }

  private async media(message: Message): Promise<OutboundMedia | undefined> {
    const attachment = message.attachments.find((a) => a.uploadId);
    if (!attachment?.uploadId) return undefined;
    const upload = await this.ds.getRepository(Upload).findOneBy({ id: attachment.uploadId });
    const data = upload ? await this.uploads.get(upload.id) : null;
    if (!upload || !data) throw ConnectorError.permanent('the attached file is no longer stored', { code: 'upload_missing' });
    return {
      kind: attachment.kind,
      data,
      fileName: upload.fileName,
      mimeType: upload.mimeType,
      url: this.mediaUrls.url(upload.id, upload.fileName, Date.now(), upload.mimeType),
    };
  }

  private async markSent(message: Message, conversation: Conversation, platformMessageId: string, status: 'sent' | 'delivered'): Promise<DeliveryOutcome> {
    const now = new Date();
    await this.changeStatus(
      message,
      `UPDATE messages SET status = $2, platform_message_id = $3, sent_at = $4, delivered_at = $5, failure_reason = NULL, send_attempted_at = NULL
       WHERE id = $1 AND status = 'pending' RETURNING id`,
      [message.id, status, platformMessageId, now, status === 'delivered' ? now : null],
      status,
    );
    return { kind: 'sent', message: await this.ds.getRepository(Message).findOneByOrFail({ id: message.id }), conversation };
  }

  private async fail(message: Message, conversation: Conversation, reason: string, contactBlocked: boolean): Promise<DeliveryOutcome> {
    await this.changeStatus(
      message,
      `UPDATE messages SET status = 'failed', failure_reason = $2, send_attempted_at = NULL WHERE id = $1 AND status = 'pending' RETURNING id`,
      [message.id, reason],
      'failed',
    );
    return { kind: 'failed', message: await this.ds.getRepository(Message).findOneByOrFail({ id: message.id }), conversation, contactBlocked };
  }

  /** A pending reply's status moves, with its event, only if it is still pending (a stalled job may run twice). */
  private async changeStatus(message: Message, sql: string, params: unknown[], status: string): Promise<void> {
    await this.ds.transaction(async (m) => {
      const [row] = await queryReturning(m, sql, params);
      if (row) await recordEvents(m, [{ type: 'message.status_changed', conversationId: message.conversationId, data: { messageId: message.id, status } }]);
    });
  }

  private async markBlocked(conversation: Conversation, channelId: string, reason: string): Promise<void> {
    await this.ds.transaction(async (m) => {
      const rows: Array<{ newly: boolean }> = await queryReturning(
        m,
        `WITH before AS (SELECT id, blocked_at FROM contact_identities WHERE contact_id = $1 AND channel_id = $2 FOR UPDATE)
         UPDATE contact_identities ci SET blocked_at = coalesce(ci.blocked_at, now()), blocked_reason = $3, updated_at = now()
         FROM before WHERE ci.id = before.id RETURNING before.blocked_at IS NULL AS newly`,
        [conversation.contactId, channelId, reason],
      );
      if (rows.some((r) => r.newly))
        await recordEvents(m, [{ type: 'contact.updated', conversationId: null, data: { contactId: conversation.contactId, reason: 'blocked' } }]);
    });
  }
}

/** What checkOutbound looks at: the kind, the text, the file's size. */
export function draftOf(out: OutboundMessage): OutboundDraft {
  return out.kind === 'media' ? { kind: 'media', media: { size: out.media.data.length, kind: out.media.kind }, caption: out.caption } : out;
}
