import { join, resolve } from 'node:path';
import type { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import type { ConnectorRegistry } from '../../connectors/connector-registry';
import { ActivityService } from '../activity/activity.service';
import { AgentService } from '../agents/agent.service';
import { AutoReplyService } from '../auto-replies/auto-reply.service';
import { Presence } from '../agents/presence';
import { InboxRoutingService } from '../assignment/inbox-routing.service';
import { TeamService } from '../agents/team.service';
import { AuthService } from '../auth/auth.service';
import { LoginThrottle } from '../auth/login-throttle';
import { AutoReplySettingsService } from '../auto-replies/auto-reply-settings.service';
import { ChannelService } from '../channels/channel.service';
import { InboxMembersService } from '../channels/inbox-members.service';
import type { Config } from '../config/config';
import { resolveEncryptionKey } from '../config/encryption-key';
import { ConversationService } from '../conversations/conversation.service';
import { createDataSource, runMigrations } from '../database/data-source';
import { OutboxCommitSubscriber, RelayNudger } from '../events/relay-trigger';
import type { HttpContext } from '../http/context';
import type { Logger } from '../logging/logger';
import { MediaUrlSigner } from '../media/signed-url';
import { FileStore } from '../media/upload-store';
import { HoldTransferService } from '../lifecycle/hold-transfer.service';
import { LifecycleSettingsService } from '../lifecycle/lifecycle-settings.service';
import { MessageService } from '../messages/message.service';
import { createQueues } from '../queues/queues';
import { plainConnection, producerConnection } from '../queues/redis';
import { SecretBox } from '../security/secret-box';
import { WorkingHoursService } from '../working-hours/working-hours.service';
import type { StopStack } from './stop-stack';

/** The services of one process, whatever its role. */
export interface AppContext extends HttpContext {
  encryptionKey: Buffer;
  nudger: RelayNudger;
}

/**
 * Connects to PostgreSQL (running migrations, serialised across processes) and Redis, creates the first
 * admin when the database has no agent, and builds the domain services. Each resource is pushed on `stops`.
 * `connectors` is the registry every channel type, schema and limit comes from.
 */
export async function buildServices(config: Config, logger: Logger, stops: StopStack, connectors: ConnectorRegistry): Promise<AppContext> {
  const ds: DataSource = await createDataSource(config.databaseUrl, {
    poolSize: config.database.poolSize,
    connectTimeoutMs: config.database.connectTimeoutMs,
  }).initialize();
  stops.push('database', () => ds.destroy());
  const applied = await runMigrations(ds);
  if (applied.length) logger.info({ applied }, 'migrations applied');

  const { key: encryptionKey, source } = resolveEncryptionKey(config.encryptionKey, config.dataDir);
  if (source !== 'env')
    logger.warn(
      { dataDir: config.dataDir, source },
      'ENCRYPTION_KEY is not set: channel credentials are encrypted with the key file in DATA_DIR; set ENCRYPTION_KEY when API and workers run on separate machines',
    );

  const agents = new AgentService(ds);
  const admin = await agents.ensureFirstAdmin(config.admin);
  if (admin) logger.info({ agentId: admin.id, email: admin.email }, 'first admin created');

  const producer = redisConnection(stops, 'producer', producerConnection(config.redisUrl), logger);
  await waitReady(producer);
  const redis = redisConnection(stops, 'commands', plainConnection(config.redisUrl));

  const queues = createQueues(producer, config.redisPrefix);
  stops.push('queues', () => queues.close());
  // Every transaction that records domain events nudges the relay once it commits.
  const nudger = new RelayNudger(queues.events);
  ds.subscribers.push(new OutboxCommitSubscriber(nudger));

  const channels = new ChannelService(ds, new SecretBox(encryptionKey), connectors);
  stops.push('channels', () => channels.close());
  const messages = new MessageService(ds, channels, queues, { attempts: config.outbound.attempts });
  return {
    config,
    logger,
    ds,
    redis,
    queues,
    nudger,
    encryptionKey,
    channels,
    auth: new AuthService(ds, config.tokenTtlHours, new LoginThrottle(redis, config.redisPrefix, config.login.maxFailures, config.login.windowMinutes * 60)),
    agents,
    teams: new TeamService(ds),
    inboxMembers: new InboxMembersService(ds),
    conversations: new ConversationService(ds),
    inboxRouting: new InboxRoutingService(ds),
    workingHours: new WorkingHoursService(ds),
    autoReplySettings: new AutoReplySettingsService(ds),
    messages,
    holdTransfer: new HoldTransferService(ds, messages, new AutoReplyService(queues, config.outbound.attempts)),
    activity: new ActivityService(ds),
    lifecycleSettings: new LifecycleSettingsService(ds),
    uploads: new FileStore(join(resolve(config.dataDir), 'uploads')),
    mediaCache: new FileStore(join(resolve(config.dataDir), 'media-cache')),
    mediaUrls: new MediaUrlSigner(encryptionKey, config.publicUrl),
    redisReady: () => producer.status === 'ready',
  };
}

/** Agents' presence, for the socket server (API) and the presence checks (worker). */
export function presenceOf(ctx: AppContext): Presence {
  const schedule = (agentId: string, delay: number) =>
    ctx.queues.assignment.add('presence-check', { agentId }, { delay, jobId: `presence-${agentId}-${Date.now()}` });
  return new Presence(ctx.redis, ctx.ds, schedule, ctx.config.redisPrefix, ctx.config.presenceAwayAfterMs);
}

/** A Redis connection closed with the process; `logger` set: its errors are logged (others reconnect quietly). */
export function redisConnection(stops: StopStack, name: string, r: Redis, logger?: Logger): Redis {
  r.on('error', (err) => logger?.warn({ err: err.message }, `redis (${name}) connection error`));
  stops.push(`redis ${name}`, () =>
    r.quit().then(
      () => undefined,
      () => r.disconnect(),
    ),
  );
  return r;
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
