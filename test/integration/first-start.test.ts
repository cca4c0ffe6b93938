import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { FakeTelegramBotApi } from '../../connectors/telegram/testing/fake-bot-api';
import { TEST_BOT_TOKEN } from '../../connectors/telegram/testing/harness';
import { Redis } from 'ioredis';
import { databaseUrl, TEST_ADMIN_DB_URL, TEST_REDIS_URL, testDatabaseName, testRedisPrefix } from '../support/env';
import { deleteKeys } from '../support/redis';
import { ApiClient, eventually } from '../support/parley';

/**
 * The built entry point, started as scripts/start.sh ends (`node dist/src/main.js`), on an empty database
 * with only DATABASE_URL, REDIS_URL, PORT, ADMIN_EMAIL and ADMIN_PASSWORD set (plus a Redis prefix of its own,
 * so as not to share queues with anything else on this Redis): migrations, the first admin, API and workers
 * come up.
 */
const root = resolve(__dirname, '../..');
let buildDir: string;
let workDir: string;
let dbName: string;
let port: number;
let child: ChildProcess | undefined;
let output = '';
const fake = new FakeTelegramBotApi(TEST_BOT_TOKEN);
const redisPrefix = testRedisPrefix('first');

beforeAll(async () => {
  // Inside the repository, so that the build resolves the project's node_modules.
  buildDir = mkdtempSync(join(root, '.test-build-'));
  execFileSync(join(root, 'node_modules/.bin/tsc'), ['-p', join(root, 'tsconfig.build.json'), '--outDir', buildDir], { cwd: root });
  workDir = mkdtempSync(join(tmpdir(), 'parley-run-'));
  dbName = testDatabaseName('t');
  await adminQuery(`CREATE DATABASE ${dbName}`);
  port = 20000 + Math.floor(Math.random() * 20000);
  await fake.start();
}, 120_000);

afterAll(async () => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  await fake.stop();
  const redis = new Redis(TEST_REDIS_URL);
  await deleteKeys(redis, redisPrefix).finally(() => redis.disconnect());
  await adminQuery(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  rmSync(buildDir, { recursive: true, force: true });
  rmSync(workDir, { recursive: true, force: true });
});

async function adminQuery(sql: string): Promise<void> {
  const c = new Client({ connectionString: TEST_ADMIN_DB_URL });
  await c.connect();
  await c.query(sql).finally(() => c.end());
}

async function startProcess(): Promise<string> {
  output = '';
  child = spawn(process.execPath, [join(buildDir, 'src/main.js')], {
    cwd: workDir,
    env: {
      PATH: process.env.PATH,
      DATABASE_URL: databaseUrl(dbName),
      REDIS_URL: TEST_REDIS_URL,
      PORT: String(port),
      ADMIN_EMAIL: 'owner@parley.test',
      ADMIN_PASSWORD: 'first-start-password',
      REDIS_PREFIX: redisPrefix,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const url = `http://127.0.0.1:${port}`;
  await eventually(async () => (await fetch(`${url}/health`)).status === 200, 30_000).catch((err) => {
    throw new Error(`${err.message}\n${output}`);
  });
  return url;
}

async function stopProcess(): Promise<number | null> {
  const proc = child!;
  const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
  proc.kill('SIGTERM');
  return exited;
}

test('first start on an empty database: migrations, the first admin, API and workers; a restart keeps the generated key', async () => {
  const url = await startProcess();
  expect(output).toContain('migrations applied');
  expect(output).toContain('first admin created');
  const keyFile = join(workDir, 'data', 'encryption.key');
  expect(existsSync(keyFile)).toBe(true);
  expect(statSync(keyFile).mode & 0o777).toBe(0o600);

  const admin = await ApiClient.login(url, 'owner@parley.test', 'first-start-password');
  const channel = (
    await admin.post('/api/v1/channels', { type: 'telegram', name: 'bot', credentials: { botToken: TEST_BOT_TOKEN }, settings: { apiRoot: fake.url } })
  ).body.channel;
  expect(channel.id).toBeDefined();
  expect(await stopProcess()).toBe(0);

  // Second start: no new admin, no migration to apply, and the stored credentials still decrypt.
  const again = await startProcess();
  expect(output).not.toContain('first admin created');
  expect(output).not.toContain('migrations applied');
  const admin2 = await ApiClient.login(again, 'owner@parley.test', 'first-start-password');
  expect((await admin2.post(`/api/v1/channels/${channel.id}/register-webhook`)).status).toBe(200);
  expect(fake.callsTo(/setWebhook$/)).toHaveLength(1);
  expect(await stopProcess()).toBe(0);
}, 90_000);

test('a missing variable stops the process with a message naming it', () => {
  let out = '';
  try {
    execFileSync(process.execPath, [join(buildDir, 'src/main.js')], {
      cwd: workDir,
      env: { PATH: process.env.PATH, REDIS_URL: TEST_REDIS_URL },
      stdio: 'pipe',
    });
  } catch (err) {
    const e = err as { status: number; stderr: Buffer };
    expect(e.status).toBe(2);
    out = e.stderr.toString();
  }
  expect(out).toMatch(/Parley cannot start: invalid configuration/);
  expect(out).toMatch(/DATABASE_URL/);
});
