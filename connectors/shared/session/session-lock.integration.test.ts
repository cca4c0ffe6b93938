import { Redis } from 'ioredis';
import { testRedisPrefix } from '../../../test/support/env';
import { RedisSessionLock, type SessionLockHandle } from './session-lock';

/** Against the real Redis (REDIS_URL, default 127.0.0.1:6379), each test under its own key prefix. */
let redis: Redis;
let prefix: string;
const handles: SessionLockHandle[] = [];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A second "process": its own lock object (and token) on the same Redis. */
function lock(opts: { ttlMs?: number; renewEveryMs?: number } = {}): RedisSessionLock {
  return new RedisSessionLock(redis, { keyPrefix: prefix, ...opts });
}

async function acquire(l: RedisSessionLock, name = 'ch1'): Promise<SessionLockHandle | null> {
  const h = await l.acquire(name);
  if (h) handles.push(h);
  return h;
}

beforeAll(() => {
  redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: 1 });
});
beforeEach(() => {
  prefix = `${testRedisPrefix('wa-lock')}:`;
});
afterEach(async () => {
  await Promise.all(handles.splice(0).map((h) => h.release().catch(() => undefined)));
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(...keys);
});
afterAll(() => redis.quit());

test('the first owner gets the lock, with a TTL; a second owner does not', async () => {
  const a = await acquire(lock({ ttlMs: 5_000 }));
  expect(a).not.toBeNull();
  const pttl = await redis.pttl(`${prefix}ch1`);
  expect(pttl).toBeGreaterThan(0);
  expect(pttl).toBeLessThanOrEqual(5_000);
  expect(await acquire(lock())).toBeNull();
  // Other channels are independent.
  expect(await acquire(lock(), 'ch2')).not.toBeNull();
});

test('release lets the next owner in, and is idempotent', async () => {
  const a = (await acquire(lock()))!;
  await a.release();
  await a.release();
  expect(await redis.exists(`${prefix}ch1`)).toBe(0);
  expect(await acquire(lock())).not.toBeNull();
});

test("a stale owner's release does not delete the next owner's lock", async () => {
  // A stops renewing (a stalled process), its lock expires, B takes it, then A wakes up and releases.
  const a = (await acquire(lock({ ttlMs: 5_000, renewEveryMs: 4_000 })))!;
  await redis.pexpire(`${prefix}ch1`, 1); // what a missed renewal leads to
  await sleep(20);
  const b = await acquire(lock());
  expect(b).not.toBeNull();
  await a.release();
  expect(await redis.exists(`${prefix}ch1`)).toBe(1);
  expect(await acquire(lock())).toBeNull();
});

test('renewal keeps the lock past its TTL', async () => {
  // Renewal runs on the event loop; in a full parallel test run the loop can stall for a few hundred
  // milliseconds, so the TTL leaves room for that (a 300 ms TTL once expired mid-test in CI).
  const a = await acquire(lock({ ttlMs: 1_500, renewEveryMs: 100 }));
  expect(a).not.toBeNull();
  await sleep(2_500);
  expect(await redis.pttl(`${prefix}ch1`)).toBeGreaterThan(0);
  expect(await acquire(lock())).toBeNull();
});

test('an owner whose lock was taken over is told it lost it', async () => {
  const a = (await acquire(lock({ ttlMs: 1_000, renewEveryMs: 50 })))!;
  const lost = new Promise<string>((resolve) => a.onLost(() => resolve('lost')));
  await redis.set(`${prefix}ch1`, 'another-owner', 'PX', 1_000);
  await expect(Promise.race([lost, sleep(1_000).then(() => 'still believes it holds it')])).resolves.toBe('lost');
  // And it must not have extended or deleted the other owner's key.
  expect(await redis.get(`${prefix}ch1`)).toBe('another-owner');
});

test('an owner cut off from Redis for longer than the TTL assumes it lost the lock', async () => {
  const own = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => null });
  try {
    await new Promise((resolve) => own.once('ready', resolve));
    const a = (await new RedisSessionLock(own, { keyPrefix: prefix, ttlMs: 1_000, renewEveryMs: 100 }).acquire('ch1'))!;
    let lostAt = 0;
    a.onLost(() => (lostAt = Date.now()));
    // The server drops the connection and the client does not reconnect: renewals fail from now on, and
    // meanwhile the key may expire and be taken by another process.
    const id = String(await own.client('ID'));
    const cutAt = Date.now();
    await redis.client('KILL', 'ID', id);
    // Wide margins: a loaded test machine can stall the event loop for a few hundred milliseconds.
    await sleep(400);
    expect(lostAt).toBe(0); // within the TTL it still holds
    await sleep(1_400);
    // Lost once a whole TTL has passed since the last renewal, which came at most renewEveryMs before the cut.
    expect(lostAt).toBeGreaterThanOrEqual(cutAt + 900);
  } finally {
    // disconnect() on a client that has already ended keeps Jest from exiting: close only a live one.
    if (own.status !== 'end') own.disconnect();
  }
});

test('renewEveryMs must be shorter than the TTL', () => {
  expect(() => lock({ ttlMs: 100, renewEveryMs: 100 })).toThrow(/shorter/);
});
