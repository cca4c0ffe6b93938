/**
 * The yardstick for the inbound benchmark: the barest pipeline of the same shape on the same machine — an HTTP
 * server that parses the JSON, adds a BullMQ job with a deterministic id and answers 200, and a worker that
 * does one INSERT per job. Whatever Parley does beyond that (signatures, parsing into the envelope, contacts,
 * conversations, events) shows as the ratio between the two.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { Client } from 'pg';

export interface BaselineRun {
  accepted: number;
  stored: number;
}

export async function runBaseline(o: {
  dbUrl: string;
  redisUrl: string;
  updates: number;
  customers: number;
  concurrency: number;
  workerConcurrency: number;
}): Promise<BaselineRun> {
  const prefix = `bench-baseline-${Math.random().toString(16).slice(2, 10)}`;
  const db = new Client({ connectionString: o.dbUrl });
  await db.connect();
  await db.query(
    `CREATE TABLE IF NOT EXISTS baseline_messages (external_id text PRIMARY KEY, chat bigint NOT NULL, text text, received_at timestamptz NOT NULL DEFAULT now())`,
  );
  const producer = new Redis(o.redisUrl, { maxRetriesPerRequest: 1 });
  const consumer = new Redis(o.redisUrl, { maxRetriesPerRequest: null });
  const queue = new Queue('inbound', { connection: producer, prefix });
  const pool = await import('pg').then(({ Pool }) => new Pool({ connectionString: o.dbUrl, max: 10 }));
  const worker = new Worker(
    'inbound',
    async (job) => {
      const m = job.data.message;
      await pool.query(`INSERT INTO baseline_messages (external_id, chat, text) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [
        `${m.chat.id}:${m.message_id}`,
        m.chat.id,
        m.text,
      ]);
    },
    { connection: consumer, prefix, concurrency: o.workerConcurrency, removeOnComplete: { count: 1000 } },
  );
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const update = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      queue.add('m', update, { jobId: `u-${update.update_id}` }).then(
        () => res.writeHead(200).end('{"ok":true}'),
        () => res.writeHead(503).end(),
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  try {
    let next = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: o.concurrency }, async () => {
        while (next < o.updates) {
          const i = next++;
          const body = benchUpdate(i, o.customers);
          const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
          await res.arrayBuffer();
        }
      }),
    );
    const accepted = performance.now() - t0;
    for (;;) {
      const { rows } = await db.query(`SELECT count(*)::int AS n FROM baseline_messages`);
      if (rows[0].n >= o.updates) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const stored = performance.now() - t0;
    return { accepted: o.updates / (accepted / 1000), stored: o.updates / (stored / 1000) };
  } finally {
    server.close();
    await worker.close();
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
    await pool.end();
    await db.query(`DROP TABLE IF EXISTS baseline_messages`);
    await db.end();
    producer.disconnect();
    consumer.disconnect();
  }
}

/** The i-th Telegram update of a benchmark run: customers take turns, each text unique. */
export function benchUpdate(i: number, customers: number): string {
  const chat = 100_000 + (i % customers);
  return JSON.stringify({
    update_id: i + 1,
    message: {
      message_id: i + 1,
      date: 1700000000,
      chat: { id: chat, type: 'private' },
      from: { id: chat, is_bot: false, first_name: `C${chat}` },
      text: `message ${i}`,
    },
  });
}
