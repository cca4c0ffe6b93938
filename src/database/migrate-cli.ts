import { loadConfig } from '../config/config';
import { createDataSource, runMigrations } from './data-source';

/** `npm run migrate`: apply pending migrations and exit. */
async function main(): Promise<void> {
  if (typeof process.loadEnvFile === 'function') {
    try {
      process.loadEnvFile();
    } catch {
      /* no .env: the environment alone configures */
    }
  }
  const config = loadConfig();
  const ds = await createDataSource(config.databaseUrl, { poolSize: 1 }).initialize();
  const ran = await runMigrations(ds);
  console.log(ran.length ? `applied: ${ran.join(', ')}` : 'schema is up to date');
  await ds.destroy();
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
