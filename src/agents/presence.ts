import type { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import { queryReturning } from '../database/sql';
import { recordEvents } from '../events/outbox';

/** A socket's presence entry lasts this long without a heartbeat (an API process that died leaves none behind). */
const STALE_MS = 90_000;
export const HEARTBEAT_MS = 30_000;

/** Runs `Presence.check(agentId)` in a worker after the delay (a delayed job). */
export type ScheduleCheck = (agentId: string, delayMs: number) => Promise<unknown>;

/**
 * Whether an agent is really there: their browser sockets, in Redis (any API process), each refreshed by a
 * heartbeat. When the last one goes, a check runs after `awayAfterMs`; if none came back, the agent is away and
 * routing passes them over. A socket connecting again makes them available at once. An agent who never opened
 * the app (API use only) is never marked away.
 */
export class Presence {
  constructor(
    private readonly redis: Redis,
    private readonly ds: DataSource,
    private readonly scheduleCheck: ScheduleCheck,
    private readonly prefix: string,
    private readonly awayAfterMs: number,
  ) {}

  private key(agentId: string): string {
    return `${this.prefix}:presence:${agentId}`;
  }

  async connected(agentId: string, socketId: string): Promise<void> {
    await this.redis.zadd(this.key(agentId), Date.now(), socketId);
    await this.ds.transaction(async (m) => {
      const [back] = await queryReturning(m, `UPDATE agents SET away_since = NULL WHERE id = $1 AND away_since IS NOT NULL RETURNING availability`, [agentId]);
      if (back)
        await recordEvents(m, [
          { type: 'agent.availability_changed', conversationId: null, data: { agentId, available: back.availability === 'online', reason: 'presence' } },
        ]);
    });
  }

  /** Keeps this process's sockets fresh. */
  async heartbeat(sockets: Array<{ agentId: string; socketId: string }>): Promise<void> {
    if (!sockets.length) return;
    const pipeline = this.redis.pipeline();
    for (const s of sockets) pipeline.zadd(this.key(s.agentId), Date.now(), s.socketId);
    await pipeline.exec();
  }

  async disconnected(agentId: string, socketId: string): Promise<void> {
    await this.redis.zrem(this.key(agentId), socketId);
    if ((await this.live(agentId)) === 0) {
      await this.scheduleCheck(agentId, this.awayAfterMs);
    }
  }

  /** Run by a worker after the delay: still no socket, so the agent is away. */
  async check(agentId: string): Promise<boolean> {
    if ((await this.live(agentId)) > 0) return false;
    return this.ds.transaction(async (m) => {
      const [away] = await queryReturning(m, `UPDATE agents SET away_since = now() WHERE id = $1 AND away_since IS NULL RETURNING availability`, [agentId]);
      if (away && away.availability === 'online') {
        await recordEvents(m, [{ type: 'agent.availability_changed', conversationId: null, data: { agentId, available: false, reason: 'presence' } }]);
      }
      return !!away;
    });
  }

  private async live(agentId: string): Promise<number> {
    await this.redis.zremrangebyscore(this.key(agentId), '-inf', Date.now() - STALE_MS);
    return this.redis.zcard(this.key(agentId));
  }
}
