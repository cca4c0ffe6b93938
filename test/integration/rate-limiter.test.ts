import { Redis } from 'ioredis';
import { RateLimiter } from '../../src/queues/rate-limiter';
import { TEST_REDIS_URL, testRedisPrefix } from '../support/env';
import { deleteKeys } from '../support/redis';

let redis: Redis;
let limiter: RateLimiter;
const prefix = testRedisPrefix('limiter');

beforeAll(() => {
  redis = new Redis(TEST_REDIS_URL);
  limiter = new RateLimiter(redis, prefix);
});
afterAll(async () => {
  await deleteKeys(redis, prefix);
  await redis.quit();
});

const perSecond = { count: 1, perMs: 1000 };

test('each booking on a key gets the next free slot, one interval apart', async () => {
  // Slots as absolute times (the moment of asking plus the wait), so a slow machine does not matter.
  const slots: number[] = [];
  for (let i = 0; i < 3; i++) {
    const asked = Date.now();
    const wait = await limiter.book([{ key: 'chat-a', limit: perSecond }]);
    if (i === 0) expect(wait).toBe(0);
    slots.push(asked + wait);
  }
  expect(slots[1] - slots[0]).toBeGreaterThanOrEqual(995);
  expect(slots[1] - slots[0]).toBeLessThanOrEqual(1005);
  expect(slots[2] - slots[1]).toBeGreaterThanOrEqual(995);
  expect(slots[2] - slots[1]).toBeLessThanOrEqual(1005);
});

test('concurrent bookings never share a slot', async () => {
  const waits = await Promise.all(Array.from({ length: 10 }, () => limiter.book([{ key: 'chat-b', limit: { count: 10, perMs: 1000 } }])));
  const sorted = [...waits].sort((a, b) => a - b);
  for (let i = 1; i < sorted.length; i++) expect(sorted[i] - sorted[i - 1]).toBeGreaterThanOrEqual(95);
});

test('a send waits for the latest of all its keys, and books them all', async () => {
  await limiter.book([{ key: 'bot-c', limit: { count: 1, perMs: 500 } }]);
  const wait = await limiter.book([
    { key: 'chat-c', limit: perSecond },
    { key: 'bot-c', limit: { count: 1, perMs: 500 } },
  ]);
  expect(wait).toBeGreaterThanOrEqual(400);
  // chat-c was booked at that later slot, not at "now": its next slot is a second after it.
  const asked = Date.now();
  const next = await limiter.book([{ key: 'chat-c', limit: perSecond }]);
  expect(asked + next).toBeGreaterThanOrEqual(asked + wait + 1000 - 100);
});

test('keys of other chats are independent', async () => {
  await limiter.book([{ key: 'chat-d', limit: perSecond }]);
  expect(await limiter.book([{ key: 'chat-e', limit: perSecond }])).toBe(0);
});
