import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

/**
 * Only one process may run a channel's session: two copies of one pairing fight over it (WhatsApp Web reports
 * CONFLICT and one of them is logged out) and corrupt its stored data.
 */
export interface SessionLock {
  /** The lock named `name`, or null when another owner holds it. */
  acquire(name: string): Promise<SessionLockHandle | null>;
}

export interface SessionLockHandle {
  readonly name: string;
  /** Called once if the lock is lost (expired while Redis was unreachable, or taken by another owner). */
  onLost(listener: () => void): void;
  /** Gives the lock up, only if still ours. Idempotent. */
  release(): Promise<void>;
}

export interface RedisSessionLockOptions {
  keyPrefix?: string;
  /** How long the lock outlives a crashed owner. */
  ttlMs?: number;
  /** How often the owner extends it; well under ttlMs so one slow round trip does not lose it. */
  renewEveryMs?: number;
}

// Extend / delete only while the value is still our token: never touch a lock another owner took after ours
// expired (https://redis.io/docs/latest/develop/use/patterns/distributed-locks/#correct-implementation-with-a-single-instance).
const EXTEND = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

/** SET key token NX PX ttl, renewed periodically; the ioredis client is the caller's (and stays open). */
export class RedisSessionLock implements SessionLock {
  private readonly keyPrefix: string;
  private readonly ttlMs: number;
  private readonly renewEveryMs: number;

  constructor(
    private readonly redis: Redis,
    opts: RedisSessionLockOptions = {},
  ) {
    this.keyPrefix = opts.keyPrefix ?? 'parley:sessions:lock:';
    this.ttlMs = opts.ttlMs ?? 30_000;
    this.renewEveryMs = opts.renewEveryMs ?? Math.floor(this.ttlMs / 3);
    if (this.renewEveryMs >= this.ttlMs) throw new Error('renewEveryMs must be shorter than ttlMs');
  }

  async acquire(name: string): Promise<SessionLockHandle | null> {
    const key = this.keyPrefix + name;
    const token = randomUUID();
    const ok = await this.redis.set(key, token, 'PX', this.ttlMs, 'NX');
    if (ok !== 'OK') return null;
    return new RedisLockHandle(this.redis, name, key, token, this.ttlMs, this.renewEveryMs);
  }
}

class RedisLockHandle implements SessionLockHandle {
  private readonly timer: NodeJS.Timeout;
  private lastRenewedAt = Date.now();
  private lostListeners: Array<() => void> = [];
  private done = false;

  constructor(
    private readonly redis: Redis,
    readonly name: string,
    private readonly key: string,
    private readonly token: string,
    private readonly ttlMs: number,
    renewEveryMs: number,
  ) {
    this.timer = setInterval(() => void this.renew(), renewEveryMs);
    // The session keeps the process alive, not its lock.
    this.timer.unref();
  }

  onLost(listener: () => void): void {
    this.lostListeners.push(listener);
  }

  async release(): Promise<void> {
    if (this.done) return;
    this.stop();
    await this.redis.eval(RELEASE, 1, this.key, this.token);
  }

  private async renew(): Promise<void> {
    if (this.done) return;
    const startedAt = Date.now();
    try {
      const extended = await this.redis.eval(EXTEND, 1, this.key, this.token, String(this.ttlMs));
      if (this.done) return;
      if (extended === 1) this.lastRenewedAt = startedAt;
      else this.lose();
    } catch {
      // Redis unreachable: the key may have expired meanwhile and been taken; past the TTL, assume it was.
      if (!this.done && Date.now() - this.lastRenewedAt >= this.ttlMs) this.lose();
    }
  }

  private lose(): void {
    this.stop();
    const listeners = this.lostListeners;
    this.lostListeners = [];
    for (const listener of listeners) listener();
  }

  private stop(): void {
    this.done = true;
    clearInterval(this.timer);
  }
}
