import { resolve } from 'node:path';
import type { Redis } from 'ioredis';
import type { ChannelAccount, ConnectorDefinition, ConnectorSession, SessionState, WebhookReply, WebhookRequest } from '../../connectors/contract';
import { RedisSessionLock } from '../../connectors/shared/session/session-lock';
import { SessionManager } from '../../connectors/shared/session/session-manager';
import type { Config } from '../config/config';
import type { Channel } from '../database/entities';
import type { Logger } from '../logging/logger';
import { mediaCacheKey, type FileStore } from '../media/upload-store';
import type { ChannelService } from './channel.service';

/** What the runtime needs from the process; `ingest` is the inbound path webhooks take (src/ingest). */
export interface SessionRuntimeContext {
  config: Pick<Config, 'dataDir' | 'chromiumPath' | 'redisPrefix'>;
  logger: Logger;
  channels: ChannelService;
  mediaCache: FileStore;
  ingest(channel: Channel, request: WebhookRequest): Promise<WebhookReply>;
}

/** Builds the live session of an account; tests hand the core one per channel type instead of the connector's. */
export type SessionFactory = (account: ChannelAccount<any, any>) => ConnectorSession;

/** Where the API reads a channel's session state (the sessions run in a worker process). */
export function sessionStateKey(prefix: string, channelId: string): string {
  return `${prefix}:sessions:state:${channelId}`;
}

export function sessionLockPrefix(prefix: string): string {
  return `${prefix}:sessions:lock:`;
}

/** The Redis key of the lock that says which process owns a channel's session. */
export function sessionLockKey(prefix: string, channelId: string): string {
  return `${sessionLockPrefix(prefix)}${channelId}`;
}

export function sessionCommandChannel(prefix: string): string {
  return `${prefix}:sessions:commands`;
}

const STATE_TTL_SECONDS = 24 * 3600;

export interface SessionRuntimeOptions {
  /** By channel type: replaces the definition's own `session.create` (tests run fake sessions). */
  factories?: Record<string, SessionFactory>;
  reconcileMs?: number;
  lockRetryMs?: number;
}

/**
 * Runs, in a worker process, the sessions of every connector whose definition declares `session` (WhatsApp Web
 * today): one per channel whose Redis lock this process wins (connectors/shared/session/session-manager.ts).
 * Session events enter the same inbound path as webhooks (ingestWebhook); session states (pairing with its QR
 * code, ready, disconnected...) are written to Redis for the API; admins' restart requests arrive over pub/sub.
 */
export class SessionRuntime {
  /** One manager per session-based channel type. */
  private readonly managers = new Map<string, SessionManager>();
  private timer?: NodeJS.Timeout;
  private reconciling = false;
  /** Channels whose session this process has run: the only ones whose state it publishes. */
  private readonly owned = new Set<string>();
  private readonly reconcileMs: number;

  constructor(
    private readonly ctx: SessionRuntimeContext,
    private readonly redis: Redis,
    private readonly subscriber: Redis,
    opts: SessionRuntimeOptions = {},
  ) {
    this.reconcileMs = opts.reconcileMs ?? 15_000;
    const lock = new RedisSessionLock(redis, { keyPrefix: sessionLockPrefix(ctx.config.redisPrefix) });
    const env = { dataDir: resolve(ctx.config.dataDir), chromiumPath: ctx.config.chromiumPath };
    for (const def of ctx.channels.registry.sessionDefinitions()) {
      const support = def.session!;
      const factory = opts.factories?.[def.type];
      this.managers.set(
        def.type,
        new SessionManager({
          support,
          createSession: factory ?? ((account) => support.create(account, env)),
          lock,
          ingest: (channelId, request) => this.ingest(channelId, request),
          onStateChange: (channelId, state) => void this.publishState(channelId, state),
          logger: ctx.logger.child({ component: 'sessions', channelType: def.type }),
          lockRetryMs: opts.lockRetryMs,
        }),
      );
    }
  }

  async start(): Promise<void> {
    if (this.managers.size === 0) return;
    await this.subscriber.subscribe(sessionCommandChannel(this.ctx.config.redisPrefix));
    this.subscriber.on('message', (_channel, message) => void this.command(message));
    await this.reconcile();
    this.timer = setInterval(() => void this.reconcile(), this.reconcileMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await Promise.all([...this.managers.values()].map((m) => m.stopAll()));
  }

  /** Starts sessions of new channels, stops those of deleted ones, refreshes the states the API reads. */
  async reconcile(): Promise<void> {
    if (this.reconciling) return;
    this.reconciling = true;
    try {
      for (const [type, manager] of this.managers) {
        const channels = await this.ctx.channels.listOfType(type);
        const live = new Set(channels.map((c) => c.id));
        for (const id of Object.keys(manager.states())) if (!live.has(id)) await manager.stop(id);
        for (const channel of channels) {
          const state = await manager.start(this.ctx.channels.account(channel));
          await this.publishState(channel.id, state);
        }
      }
    } catch (err) {
      this.ctx.logger.warn({ err: (err as Error).message }, 'session reconcile failed; will retry');
    } finally {
      this.reconciling = false;
    }
  }

  private async ingest(channelId: string, request: WebhookRequest): Promise<void> {
    const channel = await this.ctx.channels.get(channelId);
    const reply = await this.ctx.ingest(channel, request);
    // 5xx: the manager retries handing the event over (the platform will not send it again).
    if (reply.status >= 500) throw new Error(`inbound path answered ${reply.status}`);
    if (reply.status === 200) void this.prefetchMedia(channel, request);
  }

  private async command(message: string): Promise<void> {
    try {
      const { action, channelId } = JSON.parse(message) as { action: string; channelId: string };
      if (action !== 'restart') return;
      for (const manager of this.managers.values()) if (manager.state(channelId)) await manager.restart(channelId);
    } catch (err) {
      this.ctx.logger.warn({ err: (err as Error).message }, 'session command failed');
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
      this.ctx.logger.warn({ channelId: channel.id, err: (err as Error).message }, 'session media prefetch failed');
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

/** True when channels of this type run a session (GET /channels/:id/session and its restart apply). */
export function hasSession(def: ConnectorDefinition<any, any>): boolean {
  return Boolean(def.session);
}
