import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Pool } from 'pg';
import type { Platforms } from './platforms';
import type { TrafficResult } from './traffic';

/** What one fault did to the messages that went through while it happened. */
export interface PhaseFigures {
  fault: string;
  inbound: { acknowledged: number; stored: number; lost: number; duplicated: number; outOfOrder: number };
  replies: { accepted: number; received: number; lost: number; duplicated: number; inDoubt: number; failed: number };
  jobsStuck: number;
  repliesPending: number;
  /** Anything the fault itself reports (a SIGTERM's exit code and time). */
  note: string;
}

const QUEUES = ['inbound', 'outbound', 'assignment'];

/** Jobs not finished in the queues that carry messages (the relay's scheduled sweep excluded). */
export async function unfinishedJobs(redis: Redis, prefix: string): Promise<number> {
  let n = 0;
  for (const name of QUEUES) {
    const q = new Queue(name, { connection: redis, prefix });
    const c = await q.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children');
    n += Object.values(c).reduce((a, b) => a + b, 0);
    await q.close();
  }
  return n;
}

/** True once everything acknowledged is stored, no accepted reply is pending and no job is left. */
export async function settled(db: Pool, redis: Redis, prefix: string, phase: number, t: TrafficResult): Promise<boolean> {
  const stored = Number(
    (await db.query(`SELECT count(DISTINCT text) AS n FROM messages WHERE direction = 'inbound' AND text LIKE $1`, [`F${phase}/%`])).rows[0].n,
  );
  if (stored < t.acknowledged.size) return false;
  const pending = Number((await db.query(`SELECT count(*) AS n FROM messages WHERE status = 'pending' AND text LIKE $1`, [`R${phase}/%`])).rows[0].n);
  return pending === 0 && (await unfinishedJobs(redis, prefix)) === 0;
}

export async function measure(
  fault: string,
  phase: number,
  t: TrafficResult,
  db: Pool,
  redis: Redis,
  prefix: string,
  platforms: Platforms,
  note = '',
): Promise<PhaseFigures> {
  const rows: Array<{ text: string; conversation_id: string }> = (
    await db.query(`SELECT text, conversation_id FROM messages WHERE direction = 'inbound' AND text LIKE $1 ORDER BY created_at, id`, [`F${phase}/%`])
  ).rows;
  const storedTexts = new Set(rows.map((r) => r.text));
  // Out of order: a message stored after a later one from the same customer (in the order the inbox shows them).
  const highest = new Map<string, number>();
  let outOfOrder = 0;
  for (const r of rows) {
    const [, kind, customer, n] = /^F\d+\/(\w+)\/(\d+)\/(\d+)/.exec(r.text)!;
    const key = `${r.conversation_id}/${kind}/${customer}`;
    if (Number(n) < (highest.get(key) ?? 0)) outOfOrder++;
    highest.set(key, Math.max(Number(n), highest.get(key) ?? 0));
  }
  const sends = new Map<string, number>();
  for (const text of platforms.acceptedReplyTexts()) if (text.startsWith(`R${phase}/`)) sends.set(text, (sends.get(text) ?? 0) + 1);
  const replyRows: Array<{ status: string; in_doubt: number }> = (
    await db.query(`SELECT status, send_in_doubt AS in_doubt FROM messages WHERE direction = 'outbound' AND text LIKE $1`, [`R${phase}/%`])
  ).rows;
  const received = [...t.accepted].filter((x) => sends.has(x)).length;
  return {
    fault,
    inbound: {
      acknowledged: t.acknowledged.size,
      stored: [...t.acknowledged].filter((x) => storedTexts.has(x)).length,
      lost: [...t.acknowledged].filter((x) => !storedTexts.has(x)).length,
      duplicated: rows.length - storedTexts.size,
      outOfOrder,
    },
    replies: {
      accepted: t.accepted.size,
      received,
      lost: t.accepted.size - received,
      duplicated: [...sends.values()].reduce((a, n) => a + n - 1, 0),
      inDoubt: replyRows.reduce((a, r) => a + Number(r.in_doubt), 0),
      failed: replyRows.filter((r) => r.status === 'failed').length,
    },
    jobsStuck: await unfinishedJobs(redis, prefix),
    repliesPending: replyRows.filter((r) => r.status === 'pending').length,
    note,
  };
}

/** Losses and stuck work fail the run, and so does any duplicate, unless the fault is one that may cause them. */
export function failures(f: PhaseFigures, duplicatesAllowed: boolean): string[] {
  const out: string[] = [];
  if (f.inbound.lost) out.push(`${f.fault}: ${f.inbound.lost} inbound lost`);
  if (f.inbound.duplicated) out.push(`${f.fault}: ${f.inbound.duplicated} inbound stored twice`);
  if (f.replies.lost) out.push(`${f.fault}: ${f.replies.lost} replies lost`);
  if (f.jobsStuck) out.push(`${f.fault}: ${f.jobsStuck} jobs stuck`);
  if (f.repliesPending) out.push(`${f.fault}: ${f.repliesPending} replies still pending`);
  if (!duplicatesAllowed && f.replies.duplicated) out.push(`${f.fault}: ${f.replies.duplicated} replies sent twice`);
  return out;
}

export function table(figures: PhaseFigures[]): string {
  const head = ['fault', 'in ack', 'stored', 'lost', 'dup', 'order', 'replies', 'received', 'lost', 'dup', 'in doubt', 'failed', 'stuck', 'pending', 'note'];
  const lines = figures.map((f) =>
    [
      f.fault,
      ...[f.inbound.acknowledged, f.inbound.stored, f.inbound.lost, f.inbound.duplicated, f.inbound.outOfOrder],
      ...[f.replies.accepted, f.replies.received, f.replies.lost, f.replies.duplicated, f.replies.inDoubt, f.replies.failed],
      f.jobsStuck,
      f.repliesPending,
      f.note,
    ].map(String),
  );
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const fmt = (cells: string[]) => `| ${cells.map((c, i) => (i === 0 || i === cells.length - 1 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
  return [
    '            inbound: acknowledged, stored, lost, duplicated, out of order | replies: accepted, received by the platform, lost, duplicated, sent again in doubt, failed | jobs stuck | replies pending',
    fmt(head),
    `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...lines.map(fmt),
  ].join('\n');
}
