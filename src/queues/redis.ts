import { Redis, type RedisOptions } from 'ioredis';

/**
 * Redis connections. BullMQ workers block on Redis and must never give up on a command
 * (maxRetriesPerRequest: null); producers fail fast while Redis is down (enableOfflineQueue: false) so a
 * webhook can answer 503 and let the platform redeliver instead of hanging.
 */
export function workerConnection(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true, retryStrategy: backoff });
}

export function producerConnection(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: false, retryStrategy: backoff, lazyConnect: false });
}

export function plainConnection(url: string, opts: RedisOptions = {}): Redis {
  return new Redis(url, { retryStrategy: backoff, ...opts });
}

/** Reconnect forever, at most every 5 s. */
function backoff(times: number): number {
  return Math.min(times * 200, 5000);
}
