import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Redis } from 'ioredis';
import { Client } from 'pg';
import { databaseUrl, TEST_ADMIN_DB_URL, TEST_REDIS_URL, testDatabaseName, testRedisPrefix } from '../support/env';
import { ApiClient, eventually } from '../support/parley';
import { deleteKeys } from '../support/redis';

/**
 * The README's start command, `bash scripts/start.sh`, in a copy of the repository with no .env and no
 * database: it writes .env (printing the first admin's password), creates the database, builds, and becomes
 * the server itself, so the signal a user sends to what they started reaches Parley, which stops cleanly.
 * node_modules is a link to this checkout's, which install.sh leaves alone.
 */
const root = resolve(__dirname, '../..');
let copy: string;
let dbName: string;
let child: ChildProcess | undefined;
const redisPrefix = testRedisPrefix('start');

beforeAll(() => {
  copy = mkdtempSync(join(tmpdir(), 'parley-start-'));
  for (const path of [
    'scripts',
    'src',
    'connectors',
    'migrations',
    // The agent app: `npm run build` builds it too, and the server serves it.
    'web',
    'package.json',
    'package-lock.json',
    'tsconfig.json',
    'tsconfig.build.json',
    '.env.example',
  ]) {
    cpSync(join(root, path), join(copy, path), { recursive: true });
  }
  symlinkSync(realpathSync(join(root, 'node_modules')), join(copy, 'node_modules'));
  dbName = testDatabaseName('t');
});

afterAll(async () => {
  // The whole process group: had start.sh not exec'd, the server would be a grandchild.
  if (child?.pid) {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
  const redis = new Redis(TEST_REDIS_URL);
  await deleteKeys(redis, redisPrefix).finally(() => redis.disconnect());
  const c = new Client({ connectionString: TEST_ADMIN_DB_URL });
  await c.connect();
  await c.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`).finally(() => c.end());
  rmSync(copy, { recursive: true, force: true });
});

test('start.sh prepares .env and the database, then is the server: SIGTERM to it stops Parley with status 0', async () => {
  const port = 20000 + Math.floor(Math.random() * 20000);
  let output = '';
  child = spawn('bash', ['scripts/start.sh'], {
    cwd: copy,
    // The environment wins over the .env start.sh writes: this test's own database, port and Redis prefix.
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      DATABASE_URL: databaseUrl(dbName),
      REDIS_URL: TEST_REDIS_URL,
      PORT: String(port),
      REDIS_PREFIX: redisPrefix,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((r) => child!.once('exit', (code) => r(code)));

  const url = `http://127.0.0.1:${port}`;
  await eventually(async () => (await fetch(`${url}/health`).catch(() => undefined))?.status === 200, 120_000).catch((err) => {
    throw new Error(`${err.message}\n${output}`);
  });
  expect(output).toContain(`Created database ${dbName}`);
  const password = /First admin: admin@example\.com \/ (\S+)/.exec(output)?.[1];
  expect(password).toBeDefined();
  await ApiClient.login(url, 'admin@example.com', password!);
  // The build included the agent app, and the server serves it.
  const page = await fetch(`${url}/`);
  expect(page.status).toBe(200);
  expect(await page.text()).toMatch(/<script type="module"[^>]* src="\/assets\/index-[\w-]+\.js"/);

  // The process start.sh began as is node running the build, not a shell or npm waiting on it.
  const argv = readFileSync(`/proc/${child.pid}/cmdline`, 'utf8').split('\0');
  expect(argv[0]).toMatch(/node$/);
  expect(argv[1]).toBe('dist/src/main.js');

  child.kill('SIGTERM');
  expect(await exited).toBe(0);
  expect(output).toContain('shutting down');
}, 150_000);
