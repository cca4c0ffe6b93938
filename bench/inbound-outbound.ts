/**
 * Benchmark: how fast Parley takes webhooks in and gets replies out, on this machine's PostgreSQL and Redis,
 * with Telegram faked on 127.0.0.1. Prints figures; asserts nothing.
 *
 *   npm run bench                      # 2,000 updates from 200 customers, 50 at a time; 300 replies
 *   BENCH_UPDATES=5000 BENCH_CONCURRENCY=100 npm run bench
 *
 * The load generator, the fake platform and Parley (API + workers, role all) share one Node process, so the
 * figures are a floor for one process, not a ceiling for a deployment.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { Client } from 'pg';
import { startParley } from '../src/app/parley';
import { loadConfig } from '../src/config/config';
import { createLogger } from '../src/logging/logger';
import { FakeTelegramBotApi } from '../connectors/telegram/testing/fake-bot-api';
import { deleteKeys } from '../test/support/redis';
import { benchUpdate, runBaseline } from './baseline-pipeline';

const UPDATES = Number(process.env.BENCH_UPDATES ?? 2000);
const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 200);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 50);
const REPLIES = Number(process.env.BENCH_REPLIES ?? 300);
const ADMIN_DB = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const TOKEN = '999999999:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw';

async function main(): Promise<void> {
  const dbName = `parley_bench_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: ADMIN_DB });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  const dbUrl = new URL(ADMIN_DB);
  dbUrl.pathname = `/${dbName}`;

  const fake = new FakeTelegramBotApi(TOKEN);
  await fake.start();
  const config = loadConfig({
    DATABASE_URL: dbUrl.toString(),
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    ADMIN_EMAIL: 'bench@parley.test',
    ADMIN_PASSWORD: 'bench-password-1',
    PORT: '0',
    HOST: '127.0.0.1',
    REDIS_PREFIX: `bench-${randomBytes(4).toString('hex')}`,
    DATA_DIR: `/tmp/${dbName}`,
    WORKER_CONCURRENCY: process.env.WORKER_CONCURRENCY ?? '20',
  });
  const parley = await startParley(config, { logger: createLogger('silent') });
  const db = new Client({ connectionString: dbUrl.toString() });
  await db.connect();
  try {
    const api = async (method: string, path: string, body?: unknown, token?: string) => {
      const res = await fetch(`${parley.url}${path}`, {
        method,
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return res.json() as Promise<any>;
    };
    const { token } = await api('POST', '/api/v1/auth/login', { email: 'bench@parley.test', password: 'bench-password-1' });
    const { channel } = await api(
      'POST',
      '/api/v1/channels',
      { type: 'telegram', name: 'bench', credentials: { botToken: TOKEN }, settings: { apiRoot: fake.url } },
      token,
    );
    await api('POST', `/api/v1/channels/${channel.id}/register-webhook`, {}, token);
    const secret = fake.callsTo(/setWebhook/)[0].json.secret_token;
    const hook = `${parley.url}${new URL(channel.webhookUrl).pathname}`;

    // Inbound: UPDATES webhooks, CONCURRENCY in flight.
    const latencies: number[] = [];
    let next = 0;
    const rssBefore = process.memoryUsage().rss;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < UPDATES) {
          const i = next++;
          const body = benchUpdate(i, CUSTOMERS);
          const start = performance.now();
          const res = await fetch(hook, { method: 'POST', headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret }, body });
          await res.arrayBuffer();
          if (res.status !== 200) throw new Error(`webhook answered ${res.status}`);
          latencies.push(performance.now() - start);
        }
      }),
    );
    const accepted = performance.now() - t0;
    await waitFor(async () => Number((await db.query(`SELECT count(*) AS n FROM messages WHERE direction = 'inbound'`)).rows[0].n) >= UPDATES);
    const stored = performance.now() - t0;
    const conversations = Number((await db.query(`SELECT count(*) AS n FROM conversations`)).rows[0].n);

    // Outbound: REPLIES replies spread over the customers' conversations.
    const convs = (await db.query(`SELECT id FROM conversations ORDER BY created_at`)).rows.map((r) => r.id as string);
    const t1 = performance.now();
    for (let i = 0; i < REPLIES; i++) await api('POST', `/api/v1/conversations/${convs[i % convs.length]}/messages`, { text: `reply ${i}` }, token);
    const queued = performance.now() - t1;
    await waitFor(
      async () => Number((await db.query(`SELECT count(*) AS n FROM messages WHERE direction = 'outbound' AND status = 'sent'`)).rows[0].n) >= REPLIES,
      300_000,
    );
    const sent = performance.now() - t1;
    const rssAfter = process.memoryUsage().rss;

    latencies.sort((a, b) => a - b);
    const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))].toFixed(1);
    console.log(`inbound: ${UPDATES} webhooks from ${CUSTOMERS} customers, ${CONCURRENCY} in flight`);
    console.log(`  accepted (200) in ${(accepted / 1000).toFixed(2)} s = ${(UPDATES / (accepted / 1000)).toFixed(0)} webhooks/s`);
    console.log(`  webhook latency ms: p50 ${pct(50)}  p95 ${pct(95)}  p99 ${pct(99)}  max ${latencies.at(-1)!.toFixed(1)}`);
    console.log(`  all stored in ${(stored / 1000).toFixed(2)} s = ${(UPDATES / (stored / 1000)).toFixed(0)} messages/s; ${conversations} conversations`);
    console.log(`outbound: ${REPLIES} replies over ${Math.min(REPLIES, convs.length)} chats`);
    console.log(
      `  queued (202) in ${(queued / 1000).toFixed(2)} s; all sent in ${(sent / 1000).toFixed(2)} s = ${(REPLIES / (sent / 1000)).toFixed(1)} replies/s`,
    );
    console.log(`  (Telegram's limits, 1/s per chat and 30/s per bot, are enforced: ${REPLIES} replies need at least ${(REPLIES / 30).toFixed(1)} s)`);
    const baseline = await runBaseline({
      dbUrl: dbUrl.toString(),
      redisUrl: config.redisUrl,
      updates: UPDATES,
      customers: CUSTOMERS,
      concurrency: CONCURRENCY,
      workerConcurrency: config.workerConcurrency,
    });
    console.log(
      `baseline (HTTP → BullMQ → one INSERT, same load, same machine): accepted ${baseline.accepted.toFixed(0)}/s, stored ${baseline.stored.toFixed(0)}/s`,
    );
    console.log(`  Parley stores ${(UPDATES / (stored / 1000) / baseline.stored).toFixed(2)} of what the bare pipeline stores`);
    console.log(
      `memory: rss ${(rssBefore / 2 ** 20).toFixed(0)} MiB before, ${(rssAfter / 2 ** 20).toFixed(0)} MiB after; heap used ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MiB`,
    );
  } finally {
    await db.end();
    await parley.stop();
    await fake.stop();
    // The benchmark leaves nothing behind in Redis either.
    const redis = new Redis(config.redisUrl);
    await deleteKeys(redis, `${config.redisPrefix}:`).finally(() => redis.disconnect());
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.end();
  }
}

async function waitFor(check: () => Promise<boolean>, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 100));
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
