import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io, type Socket } from 'socket.io-client';
import type { InboundEvent } from '../../connectors/contract';
import { inboundJobId } from '../../src/queues/queues';
import { startParley, type Parley, type ParleyOptions } from '../../src/app/parley';
import { loadConfig, type Config } from '../../src/config/config';
import { createLogger } from '../../src/logging/logger';
import { FakeTelegramBotApi } from '../../connectors/telegram/testing/fake-bot-api';
import { createTestDatabase } from './database';
import { TEST_REDIS_URL, testRedisPrefix } from './env';
import { deleteKeys } from './redis';
import { Redis } from 'ioredis';

export const ADMIN = { email: 'admin@parley.test', password: 'correct horse battery' };

export interface TestParley {
  parley: Parley;
  url: string;
  config: Config;
  databaseUrl: string;
  stop(): Promise<void>;
}

/**
 * The real app (API + workers) on a port of its own, against a database of its own and a Redis key prefix of
 * its own, so test files never see each other's data or jobs.
 */
export async function startTestParley(env: Record<string, string> = {}, options?: ParleyOptions): Promise<TestParley> {
  const db = await createTestDatabase();
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-test-'));
  const config = loadConfig({
    DATABASE_URL: db.url,
    REDIS_URL: TEST_REDIS_URL,
    PORT: '0',
    HOST: '127.0.0.1',
    PUBLIC_URL: 'https://parley.example.test',
    ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    REDIS_PREFIX: testRedisPrefix('parley'),
    DATA_DIR: dataDir,
    OUTBOUND_BACKOFF_MS: '100',
    WORKER_CONCURRENCY: '10',
    ...env,
  });
  const parley = await startParley(config, { ...options, logger: options?.logger ?? createLogger(process.env.TEST_LOG_LEVEL ?? 'silent') });
  return {
    parley,
    url: parley.url!,
    config,
    databaseUrl: db.url,
    async stop() {
      await parley.stop();
      await db.drop();
      // Queues, schedulers, socket.io and throttles all live under the prefix.
      const redis = new Redis(TEST_REDIS_URL);
      await deleteKeys(redis, `${config.redisPrefix}:`).finally(() => redis.disconnect());
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A minimal JSON client for the REST API. */
export class ApiClient {
  constructor(
    readonly baseUrl: string,
    readonly token?: string,
  ) {}

  static async login(baseUrl: string, email = ADMIN.email, password = ADMIN.password): Promise<ApiClient> {
    const res = await new ApiClient(baseUrl).request('POST', '/api/v1/auth/login', { email, password });
    if (res.status !== 200) throw new Error(`login failed: ${res.status} ${JSON.stringify(res.body)}`);
    return new ApiClient(baseUrl, res.body.token);
  }

  async request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: any; headers: Headers }> {
    const isRaw = Buffer.isBuffer(body);
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        ...(body !== undefined && !isRaw ? { 'content-type': 'application/json' } : {}),
        ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : isRaw ? (body as Buffer) : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: any = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      /* not JSON */
    }
    return { status: res.status, body: parsed, headers: res.headers };
  }

  get(path: string) {
    return this.request('GET', path);
  }
  post(path: string, body?: unknown) {
    return this.request('POST', path, body ?? {});
  }
  patch(path: string, body: unknown) {
    return this.request('PATCH', path, body);
  }
}

/** A socket.io client logged in with a token, collecting every event it receives. */
export async function connectSocket(baseUrl: string, token: string): Promise<{ socket: Socket; events: Array<{ name: string; payload: any }> }> {
  const socket = io(baseUrl, { auth: { token }, transports: ['websocket'], reconnection: false });
  const events: Array<{ name: string; payload: any }> = [];
  socket.onAny((name, payload) => events.push({ name, payload }));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return { socket, events };
}

/** Polls until the check returns a truthy value (real queues are asynchronous). */
export async function eventually<T>(check: () => Promise<T | undefined | null | false> | T | undefined | null | false, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value as T;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** `SELECT count(*) AS n ...` as a number. */
export async function countRows(
  db: { query(sql: string, params?: unknown[]): Promise<{ rows: Array<{ n: string | number }> }> },
  sql: string,
  params: unknown[] = [],
): Promise<number> {
  return Number((await db.query(sql, params)).rows[0].n);
}

/** Waits until the inbound job of this event has run (its id is deterministic), whatever it changed. */
export async function waitForInboundJob(app: TestParley, channelId: string, event: InboundEvent): Promise<void> {
  const jobId = inboundJobId(channelId, event)!;
  await eventually(async () => (await (await app.parley.ctx.queues.inbound.getJob(jobId))?.getState()) === 'completed');
}

/** A bot token of a bot of its own (the same bot cannot be connected twice). */
export const randomBotToken = () => `${100000000 + Math.floor(Math.random() * 800000000)}:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw`;

/**
 * A Telegram channel whose Bot API nobody answers once it exists: for tests that need a channel, not a platform
 * to talk to. A fake Bot API answers the credentials check (getMe) while the channel is created, then stops.
 * `credentials` adds to a bot token of its own (a fixed webhook secret, say, or TEST_BOT_TOKEN).
 */
export async function createIdleChannel(
  admin: ApiClient,
  credentials: Record<string, string> = {},
  name = 'bot',
): Promise<{ id: string; webhookPath: string }> {
  const botToken = credentials.botToken ?? randomBotToken();
  const fake = new FakeTelegramBotApi(botToken);
  await fake.start();
  try {
    const res = await admin.post('/api/v1/channels', {
      type: 'telegram',
      name,
      credentials: { ...credentials, botToken },
      settings: { apiRoot: fake.url },
    });
    if (res.status !== 201) throw new Error(`channel: ${res.status} ${JSON.stringify(res.body)}`);
    return { id: res.body.channel.id, webhookPath: new URL(res.body.channel.webhookUrl).pathname };
  } finally {
    await fake.stop();
  }
}
