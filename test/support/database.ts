import { Client } from 'pg';
import { databaseUrl, templateDb, TEST_ADMIN_DB_URL, testDatabaseName } from './env';

/** A fresh, migrated database of this test file's own, cloned from the template. */
export async function createTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = testDatabaseName('t');
  await adminQuery(`CREATE DATABASE ${name} TEMPLATE ${templateDb()}`);
  return { url: databaseUrl(name), drop: () => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

async function adminQuery(sql: string): Promise<void> {
  const admin = new Client({ connectionString: TEST_ADMIN_DB_URL });
  await admin.connect();
  try {
    await admin.query(sql);
  } finally {
    await admin.end();
  }
}
