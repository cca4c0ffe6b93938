import type { DataSource } from 'typeorm';
import { ConnectorError, type OutboundMedia, type OutboundMessage } from '../../connectors/contract';
import type { ChannelService } from '../channels/channel.service';
import { Channel, ContactIdentity, Conversation, Message, Upload } from '../database/entities';
import type { MediaUrlSigner } from '../media/signed-url';
import type { FileStore } from '../media/upload-store';

export type DeliveryOutcome =
  | { kind: 'sent'; message: Message; conversation: Conversation }
  | { kind: 'wait'; waitMs: number }
  | { kind: 'failed'; message: Message; conversation: Conversation; contactBlocked: boolean }
  | { kind: 'skipped'; reason: string };

/** How long a reply may wait for the worker that owns its channel's session before it counts as failing. */
const SERVED_ELSEWHERE_PATIENCE_MS = 10 * 60_000;

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
  ) {}

  /**
   * Throws a retryable ConnectorError to have the job retried; returns the outcome otherwise. `throttle`
   * answers how long the platform's rate limits say to wait before this send (0: go now).
   */
  async deliver(messageId: string, isLastAttempt: boolean, throttle?: (t: SendTarget) => Promise<number>): Promise<DeliveryOutcome> {
    const message = await this.ds.getRepository(Message).findOneBy({ id: messageId });
    if (!message) return { kind: 'skipped', reason: 'message no longer exists' };
    if (message.direction !== 'outbound' || message.isPrivate) return { kind: 'skipped', reason: 'not an outgoing reply' };
    if (message.status !== 'pending') return { kind: 'skipped', reason: `already ${message.status}` };

    const conversation = await this.ds.getRepository(Conversation).findOneByOrFail({ id: message.conversationId });
    const channel = await this.ds.getRepository(Channel).findOneByOrFail({ id: message.channelId });
    if (channel.deletedAt) return this.fail(message, conversation, 'the channel was deleted', false);

    const waitMs = throttle ? await throttle({ channelId: channel.id, channelType: channel.type, threadId: conversation.externalThreadId }) : 0;
    if (waitMs > 0) return { kind: 'wait', waitMs };

    try {
      const out = await this.buildOutbound(message, conversation);
      const result = await this.channels.connectorFor(channel).send(out);
      return this.markSent(message, conversation, result.platformMessageId, result.status ?? 'sent');
    } catch (err) {
      const e = err instanceof ConnectorError ? err : ConnectorError.retryable(`unexpected: ${(err as Error).message}`);
      // Another worker owns this account's session: come back soon, hoping to land there, without using an attempt.
      if (e.servedElsewhere && Date.now() - message.createdAt.getTime() < SERVED_ELSEWHERE_PATIENCE_MS) return { kind: 'wait', waitMs: 1000 };
      if (e.retryable && !isLastAttempt) throw e;
      const reason = e.retryable ? `gave up after repeated failures: ${e.message}` : e.message;
      if (e.contactBlocked) await this.markBlocked(conversation, channel.id, e.message);
      return this.fail(message, conversation, reason, e.contactBlocked);
    }
  }

  private async buildOutbound(message: Message, conversation: Conversation): Promise<OutboundMessage> {
    const identity = await this.ds.getRepository(ContactIdentity).findOneBy({ contactId: conversation.contactId, channelId: conversation.channelId });
    return {
      messageId: message.id,
      threadExternalId: conversation.externalThreadId,
      recipientExternalId: identity?.externalId ?? conversation.externalThreadId,
      replyContext: conversation.replyContext ?? undefined,
      text: message.text,
      media: await this.media(message),
      lastInboundAt: conversation.lastInboundAt ?? undefined,
    };
  }

  private async media(message: Message): Promise<OutboundMedia | undefined> {
    const attachment = message.attachments.find((a) => a.uploadId);
    if (!attachment?.uploadId) return undefined;
    const upload = await this.ds.getRepository(Upload).findOneBy({ id: attachment.uploadId });
    const data = upload ? await this.uploads.get(upload.id) : null;
    if (!upload || !data) throw ConnectorError.permanent('the attached file is no longer stored', { code: 'upload_missing' });
    return { kind: attachment.kind, data, fileName: upload.fileName, mimeType: upload.mimeType, url: this.mediaUrls.url(upload.id, upload.fileName, Date.now(), upload.mimeType) };
  }

  private async markSent(message: Message, conversation: Conversation, platformMessageId: string, status: 'sent' | 'delivered'): Promise<DeliveryOutcome> {
    const now = new Date();
    await this.ds.query(
      `UPDATE messages SET status = $2, platform_message_id = $3, sent_at = $4, delivered_at = $5, failure_reason = NULL
       WHERE id = $1 AND status = 'pending'`,
      [message.id, status, platformMessageId, now, status === 'delivered' ? now : null],
    );
    return { kind: 'sent', message: await this.ds.getRepository(Message).findOneByOrFail({ id: message.id }), conversation };
  }

  private async fail(message: Message, conversation: Conversation, reason: string, contactBlocked: boolean): Promise<DeliveryOutcome> {
    await this.ds.query(`UPDATE messages SET status = 'failed', failure_reason = $2 WHERE id = $1 AND status = 'pending'`, [message.id, reason]);
    return { kind: 'failed', message: await this.ds.getRepository(Message).findOneByOrFail({ id: message.id }), conversation, contactBlocked };
  }

  private async markBlocked(conversation: Conversation, channelId: string, reason: string): Promise<void> {
    await this.ds.query(
      `UPDATE contact_identities SET blocked_at = coalesce(blocked_at, now()), blocked_reason = $3, updated_at = now()
       WHERE contact_id = $1 AND channel_id = $2`,
      [conversation.contactId, channelId, reason],
    );
  }
}
