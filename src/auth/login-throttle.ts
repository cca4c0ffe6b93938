import type { Redis } from 'ioredis';
import { rateLimited } from '../errors/domain-errors';

/**
 * Log-in attempts counted in Redis (shared by every API process), in three windows:
 * - per account *and* client address (`maxFailures`): a stranger guessing from one address locks only
 *   that address out of that account, never the owner writing from another;
 * - per account from anywhere (`maxFailures` × ACCOUNT_FACTOR): a ceiling on distributed guessing;
 * - per client address across accounts (`maxFailures` × ADDRESS_FACTOR): one address trying many emails
 *   (higher than per account, since a whole office can share one address).
 *
 * An attempt is *reserved* atomically (one Lua script: check all three, then count in all three) before the
 * password is hashed, so parallel attempts beyond the limit are refused without being checked. A failure keeps
 * its reservation; a success gives it back and clears the account-and-address window.
 */
export const ACCOUNT_FACTOR = 10;
export const ADDRESS_FACTOR = 5;

// KEYS: pair, account, address. ARGV: their limits, then the window in seconds.
// Returns 0 when reserved, otherwise the seconds until the fullest window ends.
const RESERVE = `
for i = 1, 3 do
  local n = tonumber(redis.call('GET', KEYS[i]) or '0')
  if n >= tonumber(ARGV[i]) then
    local ttl = redis.call('TTL', KEYS[i])
    if ttl < 1 then ttl = 1 end
    return ttl
  end
end
for i = 1, 3 do
  if redis.call('INCR', KEYS[i]) == 1 then redis.call('EXPIRE', KEYS[i], ARGV[4]) end
end
return 0
`;

// KEYS: pair, account, address. Gives a successful attempt's reservation back.
const RELEASE = `
redis.call('DEL', KEYS[1])
for i = 2, 3 do
  if tonumber(redis.call('GET', KEYS[i]) or '0') > 0 then redis.call('DECR', KEYS[i]) end
end
return 0
`;

export interface LoginAttempt {
  /** The password was right: give the reservation back. */
  succeeded(): Promise<void>;
  /** The password was wrong: the reservation stays counted (nothing to do; for readability at the call site). */
  failed(): void;
}

export class LoginThrottle {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly maxFailures: number,
    private readonly windowSeconds: number,
  ) {}

  /** Reserves one attempt for this account from this address, or throws rate_limited without reserving. */
  async reserve(email: string, ip: string): Promise<LoginAttempt> {
    const keys = this.keys(email, ip);
    const limits = [this.maxFailures, this.maxFailures * ACCOUNT_FACTOR, this.maxFailures * ADDRESS_FACTOR];
    const wait = Number(await this.redis.eval(RESERVE, keys.length, ...keys, ...limits, this.windowSeconds));
    if (wait > 0) throw rateLimited(`too many failed log-ins: try again in ${Math.ceil(Math.max(wait, 60) / 60)} minutes`);
    return {
      succeeded: async () => void (await this.redis.eval(RELEASE, keys.length, ...keys)),
      failed: () => undefined,
    };
  }

  /** The failures counted against this account from this address (for tests and diagnostics). */
  async failures(email: string, ip: string): Promise<{ pair: number; account: number; address: number }> {
    const [pair, account, address] = await this.redis.mget(...this.keys(email, ip));
    return { pair: Number(pair ?? 0), account: Number(account ?? 0), address: Number(address ?? 0) };
  }

  private keys(email: string, ip: string): [string, string, string] {
    const e = email.trim().toLowerCase();
    const base = `${this.prefix}:login-failures`;
    return [`${base}:pair:${e}:${ip}`, `${base}:account:${e}`, `${base}:address:${ip}`];
  }
}
