import { join, resolve } from 'node:path';
import type { Redis } from 'ioredis';
import {
  RedisSessionLock,
  SessionManager,
  wwebjsSessionFactory,
  type SessionState,
  type WhatsAppSession,
  type WhatsAppWebAccount,
} from '../../connectors/whatsapp-web';
import type { WebhookRequest } from '../../connectors/contract';
import type { AppContext } from '../app/context';
import type { Channel } from '../database/entities';
import { mediaCacheKey } from '../media/upload-store';
import { ingestWebhook } from '../webhooks/ingest';

export type SessionFactory = (account: WhatsAppWebAccount) => WhatsAppSession;

/** Where the API reads a channel's session state (the sessions run in a worker process). */
export function sessionStateKey(prefix: string, channelId: string): string {
  return `${prefix}:whatsapp-web:state:${channelId}`;
}

export function sessionLockPrefix(prefix: string): string {
  return `${prefix}:whatsapp-web:lock:`;
}

/** The Redis key of the lock that says which process owns a channel's session (the manager names it). */
export function sessionLockKey(prefix: string, channelId: string): string {
  return `${sessionLockPrefix(prefix)}whatsapp-web:${channelId}`;
}

export function sessionCommandChannel(prefix: string): string {
  return `${prefix}:whatsapp-web:commands`;
}

const STATE_TTL_SECONDS = 24 * 3600;

/**
 * Runs the WhatsApp Web sessions in a worker process: one per whatsapp_web channel whose Redis lock this
 * process wins (connectors/whatsapp-web/session-manager.ts). Session events enter the same inbound path as
 * webhooks (ingestWebhook); session states (pairing with its QR code, ready, disconnected...) are written to
 * Redis for the API; admins' restart requests arrive over Redis pub/sub.
 */
export class WhatsAppWebRuntime {
  private readonly manager: SessionManager;
  private timer?: NodeJS.Timeout;
  private reconciling = false;
  /** Channels whose session this process has run: the only ones whose state it publishes. */
  private readonly owned = new Set<string>();

  constructor(
    private readonly ctx: AppContext,
    private readonly redis: Redis,
    private readonly subscriber: Redis,
    opts: { createSession?: SessionFactory; reconcileMs?: number; lockRetryMs?: number } = {},
  ) {
    const log = ctx.logger.child({ component: 'whatsapp-web' });
    this.reconcileMs = opts.reconcileMs ?? 15_000;
    this.manager = new SessionManager({
      createSession:
        opts.createSession ??
        wwebjsSessionFactory({ dataPath: join(resolve(ctx.config.dataDir), 'whatsapp-web'), chromiumPath: ctx.config.chromiumPath }),
      lock: new RedisSessionLock(redis, { keyPrefix: sessionLockPrefix(ctx.config.redisPrefix) }),
      ingest: async (channelId, request) => {
        const channel = await ctx.channels.get(channelId);
        const reply = await ingestWebhook(ctx, channel, request);
        // 5xx: the manager retries handing the event over (WhatsApp will not send it again).
        if (reply.status >= 500) throw new Error(`inbound path answered ${reply.status}`);
        if (reply.status === 200) void this.prefetchMedia(channel, request);
      },
      onStateChange: (channelId, state) => void this.publishState(channelId, state),
      logger: log,
      lockRetryMs: opts.lockRetryMs,
    });
  }

  private readonly reconcileMs: number;

  async start(): Promise<void> {
    await this.subscriber.subscribe(sessionCommandChannel(this.ctx.config.redisPrefix));
    this.subscriber.on('message', (_channel, message) => void this.command(message));
    await this.reconcile();
    this.timer = setInterval(() => void this.reconcile(), this.reconcileMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.manager.stopAll();
  }

  /** Starts sessions of new channels, stops those of deleted ones, refreshes the states the API reads. */
  async reconcile(): Promise<void> {
    if (this.reconciling) return;
    this.reconciling = true;
    try {
      const channels = await this.ctx.channels.listOfType('whatsapp_web');
      const live = new Set(channels.map((c) => c.id));
      for (const id of Object.keys(this.manager.states())) if (!live.has(id)) await this.manager.stop(id);
      for (const channel of channels) {
        const state = await this.manager.start(this.ctx.channels.account(channel) as WhatsAppWebAccount);
        await this.publishState(channel.id, state);
      }
    } catch (err) {
      this.ctx.logger.warn({ err: (err as Error).message }, 'whatsapp-web reconcile failed; will retry');
    } finally {
      this.reconciling = false;
    }
  }

  private async command(message: string): Promise<void> {
    try {
      const { action, channelId } = JSON.parse(message) as { action: string; channelId: string };
      if (action === 'restart') await this.manager.restart(channelId);
    } catch (err) {
      this.ctx.logger.warn({ err: (err as Error).message }, 'whatsapp-web command failed');
    }
  }

  /**
   * Only this process can reach the session, and the API runs elsewhere: fetch a message's media now, into
   * the media cache (DATA_DIR, shared with the API) that the attachment download serves from.
   */
  private async prefetchMedia(channel: Channel, request: WebhookRequest): Promise<void> {
    try {
      const connector = this.ctx.channels.connectorFor(channel);
      if (!connector.downloadMedia) return;
      for (const event of connector.parse(request)) {
        if (event.type !== 'message') continue;
        for (const a of event.attachments) {
          if (!a.mediaRef) continue;
          const key = mediaCacheKey(channel.id, a.mediaRef);
          if (await this.ctx.mediaCache.get(key)) continue;
          const media = await connector.downloadMedia(a.mediaRef);
          await this.ctx.mediaCache.put(key, media.data);
        }
      }
    } catch (err) {
      this.ctx.logger.warn({ channelId: channel.id, err: (err as Error).message }, 'whatsapp-web media prefetch failed');
    }
  }

  private async publishState(channelId: string, state: SessionState): Promise<void> {
    // Only a process that owns (or owned) the session reports on it: a standby process stopping must not
    // write `stopped` over the owner's `ready`.
    if (state.status === 'standby') return;
    if (state.status !== 'stopped' && state.status !== 'starting') this.owned.add(channelId);
    else if (!this.owned.has(channelId)) return;
    if (state.status === 'stopped') this.owned.delete(channelId);
    await this.redis
      .set(sessionStateKey(this.ctx.config.redisPrefix, channelId), JSON.stringify({ ...state, at: new Date().toISOString() }), 'EX', STATE_TTL_SECONDS)
      .catch(() => undefined);
  }
}
