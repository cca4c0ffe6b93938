import { Redis } from 'ioredis';
import { Client } from 'pg';
import { deleteKeys } from './redis';
import { templateDb, TEST_ADMIN_DB_URL, TEST_REDIS_URL, testRunPrefix } from './env';

/** Drops the template database, and fails the run if any test left Redis keys behind (after deleting them). */
export default async function globalTeardown(): Promise<void> {
  const admin = new Client({ connectionString: TEST_ADMIN_DB_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${templateDb()} WITH (FORCE)`).finally(() => admin.end());

  const redis = new Redis(TEST_REDIS_URL);
  try {
    const left = await deleteKeys(redis, testRunPrefix());
    if (left.length) throw new Error(`the tests left ${left.length} Redis keys behind, e.g. ${left.slice(0, 5).join(', ')}`);
  } finally {
    redis.disconnect();
  }
}
