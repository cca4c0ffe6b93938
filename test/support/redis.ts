import type { Redis } from 'ioredis';

/** Deletes every key that starts with `prefix` and returns their names. */
export async function deleteKeys(redis: Redis, prefix: string): Promise<string[]> {
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length) {
      found.push(...keys);
      await redis.unlink(...keys);
    }
  } while (cursor !== '0');
  return found;
}
