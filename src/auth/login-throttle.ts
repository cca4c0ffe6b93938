import type { Redis } from 'ioredis';
import { HttpError } from '../http/errors';

/**
 * Failed log-ins are counted per email and per client address in Redis (shared by every API process); past
 * the limit, log-ins from there answer 429 until the window ends, whatever the password. A success clears
 * the email's count.
 */
export class LoginThrottle {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly maxFailures: number,
    private readonly windowSeconds: number,
  ) {}

  async check(email: string, ip: string): Promise<void> {
    const [byEmail, byIp] = await this.redis.mget(this.key('email', email), this.key('ip', ip));
    // An address may try more emails than one email may be tried: a whole office can share one address.
    if (Number(byEmail ?? 0) >= this.maxFailures || Number(byIp ?? 0) >= this.maxFailures * 5) {
      const ttl = await this.redis.ttl(this.key('email', email));
      throw new HttpError(429, `too many failed log-ins: try again in ${Math.ceil(Math.max(ttl, 60) / 60)} minutes`);
    }
  }

  async failed(email: string, ip: string): Promise<void> {
    for (const key of [this.key('email', email), this.key('ip', ip)]) {
      const n = await this.redis.incr(key);
      if (n === 1) await this.redis.expire(key, this.windowSeconds);
    }
  }

  async succeeded(email: string): Promise<void> {
    await this.redis.del(this.key('email', email));
  }

  private key(kind: string, value: string): string {
    return `${this.prefix}:login-failures:${kind}:${value.trim().toLowerCase()}`;
  }
}
