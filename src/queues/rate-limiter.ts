import type { Redis } from 'ioredis';
import type { RateLimit } from '../../connectors/contract';

/**
 * Spacing sends out in Redis, shared by every worker process: a key (one chat, one bot) allows one send per
 * `perMs / count`. `reserve` either books the slot now (answers 0) or answers how long to wait, booking
 * nothing, so a job can be delayed and try again. (BullMQ's own rate limit is per queue; per-group limits
 * are a paid feature.)
 */
const RESERVE = `
local next_free = tonumber(redis.call('GET', KEYS[1]) or '0')
local now = tonumber(ARGV[1])
local interval = tonumber(ARGV[2])
if next_free > now then return next_free - now end
redis.call('SET', KEYS[1], now + interval, 'PX', interval + 1000)
return 0
`;

export class RateLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  /** Milliseconds to wait before this send may go (0: go now, the slot is booked). */
  async reserve(key: string, limit: RateLimit): Promise<number> {
    const interval = Math.ceil(limit.perMs / limit.count);
    const wait = await this.redis.eval(RESERVE, 1, `${this.prefix}:ratelimit:${key}`, Date.now(), interval);
    return Number(wait);
  }
}
