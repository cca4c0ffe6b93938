import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { WebhookRequest } from '../../connectors/contract';
import { SANDBOX_SIGNATURE_HEADER, sandboxSendSchema, sandboxSignature, verifySandboxSignature, type SandboxSend } from '../../connectors/sandbox';
import type { ChannelService } from '../channels/channel.service';
import type { Channel } from '../database/entities';
import { notFound, unauthenticated, malformed } from '../errors/domain-errors';
import { ingestWebhook, type IngestDeps } from '../ingest/ingest-webhook';
import type { Logger } from '../logging/logger';

/**
 * The sandbox "platform", hosted by Parley itself so that the sandbox channel needs no account anywhere while
 * staying a real connector (connectors/sandbox): the connector sends replies to it over HTTP, signed with the
 * channel's secret, and the customer simulator writes through the same ingest as every platform's webhook
 * (signed, verified, parsed, queued). What the customer sees is kept in Redis for a day.
 */
const TRANSCRIPT_TTL_SECONDS = 24 * 3600;
const TRANSCRIPT_MAX = 500;

export interface SandboxEntry {
  id: string;
  from: 'customer' | 'agent';
  text: string | null;
  fileName?: string;
  at: string;
  /** Agent replies: delivered once stored here, read once the simulator showed them. */
  status?: 'delivered' | 'read';
}

export interface SandboxDeps extends IngestDeps {
  redis: Redis;
  redisPrefix: string;
  channels: ChannelService;
  logger: Logger;
}

export class SandboxPlatform {
  constructor(private readonly deps: SandboxDeps) {}

  /** The sandbox channel a platform-API path names (404 otherwise): looked up before its body is read. */
  channelFor(webhookId: string): Promise<Channel> {
    return this.sandboxChannel(this.deps.channels.findByWebhookId(webhookId));
  }

  /** The platform API the connector calls: a reply for one customer, checked against the channel's secret. */
  async receiveReply(channel: Channel, rawBody: Buffer, signature: string | undefined): Promise<{ id: string }> {
    if (!verifySandboxSignature(this.secret(channel), rawBody, signature)) throw unauthenticated('invalid signature');
    let body: SandboxSend;
    try {
      body = sandboxSendSchema.parse(JSON.parse(rawBody.toString('utf8')));
    } catch {
      throw malformed('not a sandbox message');
    }
    const id = `sbx-${randomUUID()}`;
    const at = new Date().toISOString();
    await this.append(channel.id, body.to, {
      id,
      from: 'agent',
      text: body.text,
      ...(body.media ? { fileName: body.media.fileName } : {}),
      at,
      status: 'delivered',
    });
    // Stored for the customer: delivered. Sent after the answer; a receipt that overtakes the sender's own
    // bookkeeping is retried by the core.
    setImmediate(() => {
      this.deliver(channel, [{ type: 'receipt', messageId: id, customerId: body.to, status: 'delivered', at }]).catch((err: Error) =>
        this.deps.logger.warn({ channelId: channel.id, err: err.message }, 'sandbox delivery receipt failed'),
      );
    });
    return { id };
  }

  /** A customer writes: stored on their side, then delivered to the channel's webhook path. */
  async customerWrites(channelId: string, input: { customerId: string; name: string; text: string }): Promise<{ id: string; webhookStatus: number }> {
    const channel = await this.sandboxChannel(this.deps.channels.get(channelId).catch(() => null));
    const id = randomUUID();
    const at = new Date().toISOString();
    await this.append(channel.id, input.customerId, { id, from: 'customer', text: input.text, at });
    const webhookStatus = await this.deliver(channel, [
      { type: 'message', id, customer: { id: input.customerId, name: input.name }, text: input.text, sentAt: at },
    ]);
    return { id, webhookStatus };
  }

  /** The customer's side of the chat. Showing replies to the customer is what sends their `read` receipt. */
  async transcript(channelId: string, customerId: string): Promise<SandboxEntry[]> {
    const channel = await this.sandboxChannel(this.deps.channels.get(channelId).catch(() => null));
    const k = this.key(channel.id, customerId);
    const entries = (await this.deps.redis.lrange(k, 0, -1)).map((s) => JSON.parse(s) as SandboxEntry);
    const unread = entries.filter((e) => e.from === 'agent' && e.status !== 'read');
    if (unread.length === 0) return entries;
    const at = new Date().toISOString();
    const shown = entries.map((e) => (e.from === 'agent' ? { ...e, status: 'read' as const } : e));
    await this.deps.redis
      .multi()
      .del(k)
      .rpush(k, ...shown.map((e) => JSON.stringify(e)))
      .expire(k, TRANSCRIPT_TTL_SECONDS)
      .exec();
    await this.deliver(
      channel,
      unread.map((e) => ({ type: 'receipt', messageId: e.id, customerId, status: 'read', at })),
    );
    return shown;
  }

  private key(channelId: string, customerId: string): string {
    return `${this.deps.redisPrefix}:sandbox:${channelId}:${customerId}`;
  }

  private async append(channelId: string, customerId: string, entry: SandboxEntry): Promise<void> {
    const k = this.key(channelId, customerId);
    await this.deps.redis.multi().rpush(k, JSON.stringify(entry)).ltrim(k, -TRANSCRIPT_MAX, -1).expire(k, TRANSCRIPT_TTL_SECONDS).exec();
  }

  private secret(channel: Channel): string {
    return this.deps.channels.account(channel).credentials.signingSecret as string;
  }

  /** Events to the channel's webhook, signed as the platform signs them, through the one ingest path. */
  private async deliver(channel: Channel, events: unknown[]): Promise<number> {
    const rawBody = Buffer.from(JSON.stringify({ events }));
    const request: WebhookRequest = {
      method: 'POST',
      headers: { 'content-type': 'application/json', [SANDBOX_SIGNATURE_HEADER]: sandboxSignature(this.secret(channel), rawBody) },
      query: {},
      rawBody,
    };
    return (await ingestWebhook(this.deps, channel, request)).status;
  }

  private async sandboxChannel(find: Promise<Channel | null> | null): Promise<Channel> {
    const channel = await find;
    if (!channel || channel.deletedAt || channel.type !== 'sandbox') throw notFound('no sandbox channel here');
    return channel;
  }
}
