import type { Redis } from 'ioredis';
import type { RateLimit } from '../../connectors/contract';

/**
 * Spacing sends out in Redis, shared by every worker process. Each key (one chat, one bot) allows one send per
 * `perMs / count`. `book` reserves the earliest moment every key allows, atomically for all keys, and answers
 * how long until then: the job waits exactly that long and sends without asking again, so waiting jobs never
 * stampede for the same slot. (BullMQ's own rate limit is per queue; per-group limits are a paid feature.)
 */
const BOOK = `
local now = tonumber(ARGV[1])
local start = now
for i, key in ipairs(KEYS) do
  local free = tonumber(redis.call('GET', key) or '0')
  if free > start then start = free end
end
for i, key in ipairs(KEYS) do
  local interval = tonumber(ARGV[i + 1])
  redis.call('SET', key, start + interval, 'PX', start - now + interval + 1000)
end
return start - now
`;

export interface RateLimitedKey {
  key: string;
  limit: RateLimit;
}

export class RateLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  /** Milliseconds until the booked slot (0: send now). */
  async book(keys: RateLimitedKey[]): Promise<number> {
    if (!keys.length) return 0;
    const wait = await this.redis.eval(
      BOOK,
      keys.length,
      ...keys.map((k) => `${this.prefix}:ratelimit:${k.key}`),
      Date.now(),
      ...keys.map((k) => Math.ceil(k.limit.perMs / k.limit.count)),
    );
    return Number(wait);
  }
}
