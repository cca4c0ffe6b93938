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

/** GET on Parley's REST API as the suite's agent: the JSON body. */
export type ApiGet = (path: string) => Promise<any>;

/** A conversation's whole thread as the API lists it, oldest first, paged with its cursor. */
export async function threadAsListed(get: ApiGet, conversationId: string): Promise<Array<{ text: string | null; direction: string }>> {
  const pages: Array<Array<{ text: string | null; direction: string }>> = [];
  let cursor: string | null = null;
  do {
    const page: { messages: Array<{ text: string | null; direction: string }>; nextCursor: string | null } = await get(
      `/api/v1/conversations/${conversationId}/messages?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    pages.unshift(page.messages);
    cursor = page.nextCursor;
  } while (cursor);
  return pages.flat();
}

/**
 * Out of order: a customer's message listed after a later one of the same customer, in the order the API lists
 * each conversation's thread (what an agent sees), read through the API itself.
 */
export async function countOutOfOrder(get: ApiGet, conversationIds: string[], phase: number): Promise<number> {
  const ours = new RegExp(`^F${phase}/(\\w+)/(\\d+)/(\\d+)`);
  let outOfOrder = 0;
  for (const id of conversationIds) {
    const highest = new Map<string, number>();
    for (const m of await threadAsListed(get, id)) {
      const match = m.direction === 'inbound' ? ours.exec(m.text ?? '') : null;
      if (!match) continue;
      const [, kind, customer, n] = match;
      const key = `${kind}/${customer}`;
      if (Number(n) < (highest.get(key) ?? 0)) outOfOrder++;
      highest.set(key, Math.max(Number(n), highest.get(key) ?? 0));
    }
  }
  return outOfOrder;
}

export async function measure(
  fault: string,
  phase: number,
  t: TrafficResult,
  db: Pool,
  redis: Redis,
  prefix: string,
  platforms: Platforms,
  get: ApiGet,
  note = '',
): Promise<PhaseFigures> {
  const rows: Array<{ text: string; conversation_id: string }> = (
    await db.query(`SELECT text, conversation_id FROM messages WHERE direction = 'inbound' AND text LIKE $1`, [`F${phase}/%`])
  ).rows;
  const storedTexts = new Set(rows.map((r) => r.text));
  const outOfOrder = await countOutOfOrder(get, [...new Set(rows.map((r) => r.conversation_id))], phase);
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

/**
 * What fails the run (issue 6): any loss, stuck job, pending reply or message listed out of order, for every
 * fault; any reply sent twice, except where a worker is killed (kill -9) while the platform handles its send,
 * and even then only a send Parley counted in doubt (`send_in_doubt`): a duplicate it did not know of is a bug.
 * A graceful stop (SIGTERM) must leave nothing in doubt at all.
 */
export function failures(f: PhaseFigures, kind: 'kill' | 'graceful stop' | 'other'): string[] {
  const out: string[] = [];
  if (f.inbound.lost) out.push(`${f.fault}: ${f.inbound.lost} inbound lost`);
  if (f.inbound.duplicated) out.push(`${f.fault}: ${f.inbound.duplicated} inbound stored twice`);
  if (f.inbound.outOfOrder) out.push(`${f.fault}: ${f.inbound.outOfOrder} inbound listed out of order`);
  if (f.replies.lost) out.push(`${f.fault}: ${f.replies.lost} replies lost`);
  if (f.jobsStuck) out.push(`${f.fault}: ${f.jobsStuck} jobs stuck`);
  if (f.repliesPending) out.push(`${f.fault}: ${f.repliesPending} replies still pending`);
  if (kind !== 'kill' && f.replies.duplicated) out.push(`${f.fault}: ${f.replies.duplicated} replies sent twice`);
  if (kind === 'kill' && f.replies.duplicated > f.replies.inDoubt) {
    out.push(`${f.fault}: ${f.replies.duplicated} replies sent twice, only ${f.replies.inDoubt} of them counted in doubt`);
  }
  if (kind === 'graceful stop' && f.replies.inDoubt) out.push(`${f.fault}: ${f.replies.inDoubt} sends left in doubt by a graceful stop`);
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
