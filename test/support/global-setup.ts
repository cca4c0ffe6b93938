import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { createDataSource, runMigrations } from '../../src/database/data-source';
import { databaseUrl, TEST_ADMIN_DB_URL } from './env';

/**
 * Once per run: a template database with every migration applied (which also tests the migrations from
 * scratch). Each test file clones it (CREATE DATABASE ... TEMPLATE), which takes milliseconds.
 */
export default async function globalSetup(): Promise<void> {
  const template = `parley_tpl_${randomBytes(5).toString('hex')}`;
  process.env.PARLEY_TEST_TEMPLATE_DB = template;
  const admin = new Client({ connectionString: TEST_ADMIN_DB_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${template}`);
  } finally {
    await admin.end();
  }
  const ds = await createDataSource(databaseUrl(template), { poolSize: 1 }).initialize();
  await runMigrations(ds);
  await ds.destroy();
}
