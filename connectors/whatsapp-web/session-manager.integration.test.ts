import { Redis } from 'ioredis';
import { testRedisPrefix } from '../../test/support/env';
import type { WebhookRequest } from '../contract';
import { createWhatsAppWebDefinition } from './index';
import type { WhatsAppWebAccount } from './schema';
import { SessionRegistry } from './session';
import { RedisSessionLock } from '../shared/session/session-lock';
import { SessionManager, type SessionManagerOptions, type SessionState } from '../shared/session/session-manager';
import { whatsappWebConnector } from './index';
import type { WhatsAppSession } from './session';
import { FakeWhatsAppSession } from './testing/fake-session';

/** The manager with fake sessions and the real Redis lock (unique key prefix per test). */
let redis: Redis;
let prefix: string;
const managers: SessionManager[] = [];

const account: WhatsAppWebAccount = {
  id: 'wa1',
  name: 'support phone',
  webhookId: 'w1',
  credentials: { sessionSecret: 'manager-test-secret-0123456789abcdef' },
  settings: { ignoreGroups: false },
};
const lockKey = () => `${prefix}${account.id}`;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(pred: () => boolean, what: string, timeoutMs = 2_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

function setup(opts: Partial<SessionManagerOptions<WhatsAppSession>> & { failStarts?: number; lockTtlMs?: number } = {}) {
  const sessions: FakeWhatsAppSession[] = [];
  const states: SessionState[] = [];
  const ingested: WebhookRequest[] = [];
  const registry = new SessionRegistry();
  const manager = new SessionManager<WhatsAppSession>({
    support: whatsappWebConnector.session!,
    createSession: (acc) => {
      const session = new FakeWhatsAppSession(acc.id);
      session.failStarts = opts.failStarts ?? 0;
      sessions.push(session);
      return session;
    },
    lock: new RedisSessionLock(redis, { keyPrefix: prefix, ttlMs: opts.lockTtlMs ?? 2_000, renewEveryMs: 50 }),
    ingest: async (_channelId, req) => void ingested.push(req),
    onStateChange: (_channelId, state) => void states.push(state),
    registry,
    reconnectDelayMs: { initial: 20, max: 80 },
    lockRetryMs: 30,
    ingestRetryDelaysMs: [10, 10],
    ...opts,
  });
  managers.push(manager);
  return { manager, sessions, states, ingested, registry, session: () => sessions[0] };
}

beforeAll(() => {
  redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: 1 });
});
beforeEach(() => {
  prefix = `${testRedisPrefix('wa-manager')}:`;
});
afterEach(async () => {
  await Promise.all(managers.splice(0).map((m) => m.stopAll()));
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(...keys);
});
afterAll(() => redis.quit());

describe('pairing and running', () => {
  test('QR code → pairing, scanned → ready, and the session is where connectors look', async () => {
    const { manager, states, registry, session } = setup();
    await expect(manager.start(account)).resolves.toEqual({ status: 'starting' });
    expect(session().starts).toBe(1);
    session().showQr('2@AbCdEf==,key,ref');
    expect(manager.state('wa1')).toEqual({ status: 'pairing', qr: '2@AbCdEf==,key,ref' });
    session().becomeReady();
    expect(manager.state('wa1')).toEqual({ status: 'ready' });
    expect(states.map((s) => s.status)).toEqual(['starting', 'pairing', 'ready']);
    expect(registry.get('wa1')).toBe(session());
    expect(manager.states()).toEqual({ wa1: { status: 'ready' } });
  });

  test('start is idempotent', async () => {
    const { manager, sessions } = setup();
    await manager.start(account);
    await manager.start(account);
    expect(sessions).toHaveLength(1);
    expect(sessions[0].starts).toBe(1);
  });

  test('messages and receipts reach the inbound path signed, and the connector accepts them', async () => {
    const { manager, ingested, registry, session } = setup();
    await manager.start(account);
    session().becomeReady();
    session().receive({
      id: { fromMe: false, remote: '4915112345678@c.us', id: '3EB0AA', _serialized: 'false_4915112345678@c.us_3EB0AA' },
      from: '4915112345678@c.us',
      type: 'chat',
      body: 'Where is my parcel?',
      timestamp: 1_767_000_000,
    });
    session().ack('true_4915112345678@c.us_3EB0BB', 2);
    await waitFor(() => ingested.length === 2, 'two ingested events');

    const connector = createWhatsAppWebDefinition(registry).create(account);
    expect(ingested.map((req) => connector.verify(req))).toEqual([true, true]);
    expect(connector.parse(ingested[0])).toMatchObject([{ type: 'message', externalId: 'false_4915112345678@c.us_3EB0AA', text: 'Where is my parcel?' }]);
    expect(connector.parse(ingested[1])).toEqual([
      { type: 'status', platformMessageId: 'true_4915112345678@c.us_3EB0BB', status: 'delivered', recipientExternalId: '4915112345678@c.us' },
    ]);
  });

  test('a failing ingest is retried, then given up', async () => {
    let calls = 0;
    const { manager, session } = setup({
      ingest: async () => {
        calls++;
        throw new Error('Redis is down');
      },
    });
    await manager.start(account);
    session().ack('true_1@c.us_A', 3);
    await waitFor(() => calls === 3, 'three ingest attempts');
    await sleep(50);
    expect(calls).toBe(3); // one try and the two configured retries
  });
});

describe('disconnects', () => {
  test('a disconnect closes the browser and reconnects with a doubling, capped backoff; ready resets it', async () => {
    const { manager, session } = setup();
    await manager.start(account);
    session().becomeReady();
    const delays: Array<number | undefined> = [];
    for (let i = 1; i <= 4; i++) {
      session().disconnect('CONFLICT');
      const state = manager.state('wa1') as Extract<SessionState, { status: 'disconnected' }>;
      expect(state.reason).toBe('CONFLICT');
      delays.push(state.reconnectInMs);
      await waitFor(() => session().starts === i + 1, `restart ${i}`);
    }
    expect(delays).toEqual([20, 40, 80, 80]);
    expect(session().stops).toBeGreaterThanOrEqual(4);
    session().becomeReady();
    session().disconnect('TIMEOUT');
    expect(manager.state('wa1')).toMatchObject({ status: 'disconnected', reconnectInMs: 20 });
  });

  test('a browser that cannot start is retried the same way', async () => {
    const { manager, states, session } = setup({ failStarts: 2 });
    await manager.start(account);
    await waitFor(() => session().starts === 3, 'third start');
    const waits = states.filter((s) => s.status === 'disconnected');
    expect(waits).toEqual([
      { status: 'disconnected', reason: 'could not start: Failed to launch the browser process!', reconnectInMs: 20 },
      { status: 'disconnected', reason: 'could not start: Failed to launch the browser process!', reconnectInMs: 40 },
    ]);
    expect(manager.state('wa1')).toEqual({ status: 'starting' });
  });

  test('after a logout it waits for restart() to pair again', async () => {
    const { manager, session } = setup();
    await manager.start(account);
    session().becomeReady();
    session().disconnect('LOGOUT');
    expect(manager.state('wa1')).toEqual({ status: 'disconnected', reason: 'LOGOUT' });
    await sleep(100);
    expect(session().starts).toBe(1);
    await manager.restart('wa1');
    expect(session().starts).toBe(2);
    session().showQr('2@new');
    expect(manager.state('wa1')).toEqual({ status: 'pairing', qr: '2@new' });
  });

  test('an auth failure halts the session', async () => {
    const { manager, session } = setup();
    await manager.start(account);
    session().failAuth('could not restore the session');
    await waitFor(() => manager.state('wa1')?.status === 'auth_failure', 'auth_failure');
    expect(manager.state('wa1')).toEqual({ status: 'auth_failure', message: 'could not restore the session' });
    await sleep(100);
    expect(session().starts).toBe(1);
  });
});

describe('one owner per session', () => {
  test('a lock held by another owner: standby, no browser; it takes over once released', async () => {
    const other = await new RedisSessionLock(redis, { keyPrefix: prefix }).acquire(account.id);
    const { manager, sessions, registry } = setup();
    await expect(manager.start(account)).resolves.toEqual({ status: 'standby' });
    await sleep(100);
    expect(sessions).toHaveLength(0);
    expect(registry.get('wa1')).toBeUndefined();
    await other!.release();
    await waitFor(() => sessions[0]?.starts === 1, 'takeover');
    expect(registry.get('wa1')).toBe(sessions[0]);
  });

  test('two processes: only one runs the session; when it stops, the other takes over', async () => {
    const a = setup();
    const b = setup();
    await a.manager.start(account);
    await b.manager.start(account);
    expect(a.manager.state('wa1')).toEqual({ status: 'starting' });
    expect(b.manager.state('wa1')).toEqual({ status: 'standby' });
    await a.manager.stop('wa1');
    await waitFor(() => b.sessions[0]?.starts === 1, 'b takes over');
    expect(a.sessions[0].starts).toBe(1);
  });

  test('stop closes the browser, releases the lock and ignores later events', async () => {
    const { manager, states, registry, session } = setup();
    await manager.start(account);
    session().becomeReady();
    await manager.stop('wa1');
    expect(session().stops).toBe(1);
    expect(registry.get('wa1')).toBeUndefined();
    expect(await redis.exists(lockKey())).toBe(0);
    expect(manager.state('wa1')).toBeUndefined();
    expect(states.at(-1)).toEqual({ status: 'stopped' });
    session().disconnect('CONFLICT');
    await sleep(60);
    expect(session().starts).toBe(1);
  });

  test('losing the lock stops this copy and goes to standby until the lock is free again', async () => {
    const { manager, registry, session } = setup({ lockTtlMs: 1_000 });
    await manager.start(account);
    session().becomeReady();
    await redis.set(lockKey(), 'another-process', 'PX', 1_000);
    await waitFor(() => manager.state('wa1')?.status === 'standby', 'standby');
    expect(session().stops).toBe(1);
    expect(registry.get('wa1')).toBeUndefined();
    await redis.del(lockKey());
    await waitFor(() => session().starts === 2, 'takeover');
    expect(registry.get('wa1')).toBe(session());
  });
});
