/**
 * Benchmark: what the lifecycle sweep costs on a large inbox, on this machine's PostgreSQL. Prints figures;
 * asserts nothing.
 *
 *   npx tsc -p tsconfig.json --outDir .bench-build && node .bench-build/bench/lifecycle-sweep.js
 *   BENCH_CONVERSATIONS=200000 BENCH_DUE=2000 ...
 *
 * N open conversations, all recently active, in an inbox that resolves idle ones after an hour; then `due`
 * snoozes that have ended and `due` conversations idle for two hours. Timed: a sweep with nothing to do, then
 * waking the due snoozes, then resolving the idle ones (each with its domain events, in batches of 200).
 */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { AutoReplyService } from '../src/auto-replies/auto-reply.service';
import { createDataSource, runMigrations } from '../src/database/data-source';
import { IdleResolver } from '../src/lifecycle/idle-resolve';
import { SnoozeWaker } from '../src/lifecycle/snooze-wake';

const N = Number(process.env.BENCH_CONVERSATIONS ?? 100_000);
const DUE = Number(process.env.BENCH_DUE ?? 1000);
const ADMIN_DB = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function timed<T>(label: string, run: () => Promise<T>): Promise<T> {
  const start = process.hrtime.bigint();
  const result = await run();
  console.log(`${label}: ${(Number(process.hrtime.bigint() - start) / 1e6).toFixed(1)} ms (${String(result)})`);
  return result;
}

async function main(): Promise<void> {
  const dbName = `parley_bench_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: ADMIN_DB });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  const url = new URL(ADMIN_DB);
  url.pathname = `/${dbName}`;
  const ds = await createDataSource(url.toString(), { poolSize: 4, connectTimeoutMs: 10_000 }).initialize();
  try {
    await runMigrations(ds);
    const [{ id: channel }] = await ds.query(
      `INSERT INTO channels (type, name, credentials_encrypted, webhook_id, lifecycle) VALUES ('telegram', 'c', 'x', 'w', '{"idleResolveAfterMinutes": 60}') RETURNING id`,
    );
    const [{ id: contact }] = await ds.query(`INSERT INTO contacts (name) VALUES ('Łucja') RETURNING id`);
    await ds.query(
      `INSERT INTO conversations (channel_id, contact_id, external_thread_id, status, last_activity_at, last_inbound_at)
       SELECT $1, $2, g::text, 'open', now() - random() * interval '50 minutes', now() - interval '55 minutes' FROM generate_series(1, $3) g`,
      [channel, contact, N],
    );
    await ds.query(
      `UPDATE conversations SET status = 'snoozed', snoozed_until = now() - interval '1 second' WHERE id IN (SELECT id FROM conversations ORDER BY id LIMIT $1)`,
      [DUE],
    );
    await ds.query(
      `UPDATE conversations SET last_activity_at = now() - interval '2 hours', last_inbound_at = now() - interval '3 hours', updated_at = now() - interval '2 hours'
       WHERE id IN (SELECT id FROM conversations WHERE status = 'open' ORDER BY id DESC LIMIT $1)`,
      [DUE],
    );
    await ds.query(`ANALYZE conversations`);
    console.log(`${N} conversations: ${DUE} snoozes ended, ${DUE} idle`);
    const waker = new SnoozeWaker(ds);
    // No closing message in this inbox: the outbound queue is never reached.
    const idle = new IdleResolver(ds, new AutoReplyService({ outbound: undefined as never }, 1));
    await timed('wake the ended snoozes', () => waker.wakeDue());
    await timed('resolve the idle conversations', () => idle.resolveIdle());
    await timed('a sweep with nothing to do: wake', () => waker.wakeDue());
    await timed('a sweep with nothing to do: idle', () => idle.resolveIdle());
  } finally {
    await ds.destroy();
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.end();
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
