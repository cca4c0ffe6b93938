import { Client } from 'pg';
import { templateDb, TEST_ADMIN_DB_URL } from './env';

export default async function globalTeardown(): Promise<void> {
  const admin = new Client({ connectionString: TEST_ADMIN_DB_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${templateDb()} WITH (FORCE)`).finally(() => admin.end());
}
