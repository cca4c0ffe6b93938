/**
 * Where tests find PostgreSQL and Redis. The defaults are this machine's local services; CI sets the same.
 * TEST_DATABASE_URL names a database the tests can connect to in order to create their own databases.
 */
export const TEST_ADMIN_DB_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const TEST_REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
/** One template per test run (set by global-setup, inherited by the workers), so concurrent runs do not collide. */
export function templateDb(): string {
  const name = process.env.PARLEY_TEST_TEMPLATE_DB;
  if (!name) throw new Error('PARLEY_TEST_TEMPLATE_DB is not set: run the tests through jest (test/support/global-setup.ts)');
  return name;
}

export function databaseUrl(name: string): string {
  const url = new URL(TEST_ADMIN_DB_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * A database name for tests, carrying its creation time so that databases left by an interrupted run can be
 * recognised as stale (global-setup drops those over an hour old) without touching a concurrent run's.
 */
export function testDatabaseName(kind: 'tpl' | 't'): string {
  return `parley_${kind}_${Math.floor(Date.now() / 1000)}_${Math.random().toString(16).slice(2, 10)}`;
}

export const STALE_AFTER_SECONDS = 3600;

/**
 * A Redis key prefix for one test file (or one Parley it starts), carrying this run's id so that the global
 * teardown can find, report and delete whatever a test left behind without touching a concurrent run's keys.
 */
export function testRedisPrefix(name = 'p'): string {
  return `${testRunPrefix()}${name}-${Math.random().toString(16).slice(2, 10)}`;
}

/** Every Redis key this run's tests create starts with this. */
export function testRunPrefix(): string {
  return `test-${process.env.PARLEY_TEST_RUN ?? 'norun'}-`;
}
