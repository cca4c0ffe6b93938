import 'reflect-metadata';
import { DataSource, MigrationExecutor } from 'typeorm';
import { migrations } from '../../migrations';
import { entities } from './entities';

/** synchronize is off everywhere: the schema is what migrations/ says. */
export function createDataSource(
  databaseUrl: string,
  opts: { poolSize?: number; connectTimeoutMs?: number; onQuery?: (sql: string) => void } = {},
): DataSource {
  const onQuery = opts.onQuery;
  return new DataSource({
    // Benchmarks and tests count the statements a change costs.
    ...(onQuery
      ? {
          logging: ['query'] as const,
          logger: { logQuery: (sql: string) => onQuery(sql), logQueryError() {}, logQuerySlow() {}, logSchemaBuild() {}, logMigration() {}, log() {} },
        }
      : {}),
    type: 'postgres',
    url: databaseUrl,
    entities,
    migrations,
    synchronize: false,
    migrationsRun: false,
    migrationsTransactionMode: 'each',
    // A query waiting for a pooled connection fails after connectionTimeoutMillis instead of waiting forever: pool
    // starvation (a transaction asking for a second connection) becomes an error, not a hung process.
    extra: { max: opts.poolSize ?? 10, connectionTimeoutMillis: opts.connectTimeoutMs ?? 10_000 },
  });
}

/** An arbitrary constant: the advisory lock key that serialises migrations across processes. */
const MIGRATION_LOCK_KEY = 7_342_001;

/** Runs pending migrations. An API and a worker starting at once must not both apply the same migration. */
export async function runMigrations(ds: DataSource): Promise<string[]> {
  const runner = ds.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    // On the connection that holds the lock: a second connection could be one the pool does not have.
    const executor = new MigrationExecutor(ds, runner);
    executor.transaction = 'each';
    const ran = await executor.executePendingMigrations();
    return ran.map((m) => m.name);
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await runner.release();
  }
}
