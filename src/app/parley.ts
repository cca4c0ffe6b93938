import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import type { Redis } from 'ioredis';
import { AgentService } from '../agents/agent.service';
import { AuthService } from '../auth/auth.service';
import { LoginThrottle } from '../auth/login-throttle';
import { ChannelService } from '../channels/channel.service';
import { WhatsAppWebRuntime, type SessionFactory } from '../channels/whatsapp-web.runtime';
import type { Config } from '../config/config';
import { resolveEncryptionKey } from '../config/encryption-key';
import { createDataSource, runMigrations } from '../database/data-source';
import { createHttpApp } from '../http/app';
import { ConversationService } from '../inbox/conversation.service';
import { MessageService } from '../inbox/message.service';
import { OutboundService } from '../inbox/outbound.service';
import { createLogger, type Logger } from '../logging/logger';
import { MediaUrlSigner } from '../media/signed-url';
import { FileStore } from '../media/upload-store';
import { createQueues } from '../queues/queues';
import { plainConnection, producerConnection, workerConnection } from '../queues/redis';
import { startPendingSweeper } from '../queues/pending-sweeper';
import { RateLimiter } from '../queues/rate-limiter';
import { startWorkers } from '../queues/workers';
import { EventPublisher, socketKey } from '../realtime/event-publisher';
import { createSocketServer } from '../realtime/socket-server';
import { SecretBox } from '../security/secret-box';
import type { AppContext } from './context';

export interface Parley {
  ctx: AppContext;
  /** The API's base URL, when this process serves the API. */
  url?: string;
  /** The WhatsApp Web sessions, when this process runs workers. */
  whatsappWeb?: WhatsAppWebRuntime;
  stop(): Promise<void>;
}

/**
 * Starts one Parley process in its role: `api` (HTTP + socket), `worker` (queues), or `all`. Migrations run
 * first (serialised across processes), then the first admin is created if the database has no agent.
 */
export interface ParleyOptions {
  logger?: Logger;
  /** WhatsApp Web sessions: Chromium by default; tests pass a fake session factory. */
  whatsappWebSessions?: SessionFactory;
  whatsappWebReconcileMs?: number;
  /** How often a process on standby tries to take over a WhatsApp Web session another process holds. */
  whatsappWebLockRetryMs?: number;
}

export async function startParley(config: Config, opts: ParleyOptions = {}): Promise<Parley> {
  const logger = opts.logger ?? createLogger(config.logLevel);
  const ds = await createDataSource(config.databaseUrl).initialize();
  const applied = await runMigrations(ds);
  if (applied.length) logger.info({ applied }, 'migrations applied');

  const { key: encryptionKey, source } = resolveEncryptionKey(config.encryptionKey, config.dataDir);
  if (source !== 'env') logger.warn({ dataDir: config.dataDir, source }, 'ENCRYPTION_KEY is not set: channel credentials are encrypted with the key file in DATA_DIR; set ENCRYPTION_KEY when API and workers run on separate machines');

  const agents = new AgentService(ds);
  const admin = await agents.ensureFirstAdmin(config.admin);
  if (admin) logger.info({ agentId: admin.id, email: admin.email }, 'first admin created');

  const redis: Redis[] = [];
  const track = (r: Redis) => (redis.push(r), r);
  const producer = track(producerConnection(config.redisUrl));
  producer.on('error', (err) => logger.warn({ err: err.message }, 'redis (producer) connection error'));
  await waitReady(producer);
  const emitterRedis = track(plainConnection(config.redisUrl));
  emitterRedis.on('error', () => undefined);

  const queues = createQueues(producer, config.redisPrefix);
  const events = new EventPublisher(emitterRedis, socketKey(config.redisPrefix));
  const channels = new ChannelService(ds, new SecretBox(encryptionKey));
  const uploads = new FileStore(join(resolve(config.dataDir), 'uploads'));
  const ctx: AppContext = {
    config,
    logger,
    ds,
    redis: emitterRedis,
    queues,
    events,
    channels,
    auth: new AuthService(ds, config.tokenTtlHours, new LoginThrottle(emitterRedis, config.redisPrefix, config.login.maxFailures, config.login.windowMinutes * 60)),
    agents,
    conversations: new ConversationService(ds),
    messages: new MessageService(ds, channels, queues, { attempts: config.outbound.attempts }),
    uploads,
    mediaCache: new FileStore(join(resolve(config.dataDir), 'media-cache')),
    mediaUrls: new MediaUrlSigner(encryptionKey, config.publicUrl),
    redisReady: () => producer.status === 'ready',
  };

  const stops: Array<() => Promise<void>> = [];
  let url: string | undefined;
  let whatsappWebRuntime: WhatsAppWebRuntime | undefined;

  if (config.role === 'worker' || config.role === 'all') {
    const workerRedis = track(workerConnection(config.redisUrl));
    workerRedis.on('error', (err) => logger.warn({ err: err.message }, 'redis (worker) connection error'));
    const workers = startWorkers({
      ds,
      connection: workerRedis,
      prefix: config.redisPrefix,
      queues,
      events,
      outbound: new OutboundService(ds, channels, uploads, ctx.mediaUrls),
      logger,
      concurrency: config.workerConcurrency,
      outboundAttempts: config.outbound.attempts,
      outboundBackoffMs: config.outbound.backoffMs,
      rateLimiter: new RateLimiter(workerRedis, config.redisPrefix),
    });
    const sweeper = startPendingSweeper(ds, queues, { attempts: config.outbound.attempts, everyMs: config.pendingSweepMs, olderThanMs: config.pendingSweepMs }, logger);
    stops.push(async () => sweeper.stop());
    stops.push(() => workers.close());
    const sessionSubscriber = track(plainConnection(config.redisUrl));
    sessionSubscriber.on('error', () => undefined);
    const whatsappWeb = new WhatsAppWebRuntime(ctx, emitterRedis, sessionSubscriber, {
      createSession: opts.whatsappWebSessions,
      reconcileMs: opts.whatsappWebReconcileMs,
      lockRetryMs: opts.whatsappWebLockRetryMs,
    });
    await whatsappWeb.start();
    whatsappWebRuntime = whatsappWeb;
    stops.unshift(() => whatsappWeb.stop());
    logger.info({ concurrency: config.workerConcurrency }, 'workers started');
  }

  if (config.role === 'api' || config.role === 'all') {
    const http = createServer(createHttpApp(ctx));
    const pub = track(plainConnection(config.redisUrl));
    const sub = track(plainConnection(config.redisUrl));
    for (const r of [pub, sub]) r.on('error', () => undefined);
    const io = createSocketServer(http, ctx.auth, pub, sub, config.redisPrefix, logger);
    await listen(http, config.port, config.host);
    const { port } = http.address() as AddressInfo;
    url = `http://127.0.0.1:${port}`;
    stops.unshift(async () => {
      await io.close();
      http.closeAllConnections();
    });
    logger.info({ port, publicUrl: config.publicUrl }, 'API listening');
  }

  return {
    ctx,
    url,
    whatsappWeb: whatsappWebRuntime,
    async stop() {
      for (const stop of stops) await stop();
      await queues.close();
      await channels.close();
      await Promise.all(redis.map((r) => r.quit().catch(() => r.disconnect())));
      await ds.destroy();
    },
  };
}

function listen(http: HttpServer, port: number, host: string): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    http.once('error', reject);
    http.listen(port, host, () => resolvePromise());
  });
}

/** Start-up waits for Redis (a clear error after 20 s instead of a process that seems up but cannot queue). */
function waitReady(r: Redis, timeoutMs = 20_000): Promise<void> {
  if (r.status === 'ready') return Promise.resolve();
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`Redis did not answer within ${timeoutMs / 1000} s: check REDIS_URL`)), timeoutMs);
    r.once('ready', () => {
      clearTimeout(timer);
      resolvePromise();
    });
  });
}
