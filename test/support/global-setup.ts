import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { createDataSource, runMigrations } from '../../src/database/data-source';
import { databaseUrl, STALE_AFTER_SECONDS, TEST_ADMIN_DB_URL, testDatabaseName } from './env';

/**
 * Once per run: a template database with every migration applied (which also tests the migrations from
 * scratch). Each test file clones it (CREATE DATABASE ... TEMPLATE), which takes milliseconds.
 */
export default async function globalSetup(): Promise<void> {
  const template = testDatabaseName('tpl');
  process.env.PARLEY_TEST_TEMPLATE_DB = template;
  process.env.PARLEY_TEST_RUN = randomBytes(4).toString('hex');
  const admin = new Client({ connectionString: TEST_ADMIN_DB_URL });
  await admin.connect();
  try {
    // Databases an interrupted run left behind (their names carry their creation time).
    const { rows } = await admin.query(`SELECT datname FROM pg_database WHERE datname ~ '^parley_(tpl|t)_[0-9]+_'`);
    const cutoff = Date.now() / 1000 - STALE_AFTER_SECONDS;
    for (const { datname } of rows) {
      if (Number(datname.split('_')[2]) < cutoff) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    }
    await admin.query(`CREATE DATABASE ${template}`);
  } finally {
    await admin.end();
  }
  const ds = await createDataSource(databaseUrl(template), { poolSize: 1 }).initialize();
  await runMigrations(ds);
  await ds.destroy();
}
