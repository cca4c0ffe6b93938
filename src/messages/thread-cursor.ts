import { malformed } from '../errors/domain-errors';
import type { ThreadPlace } from './thread-order';

const MAX_TIME = Date.parse('9999-12-31T23:59:59.999Z');
const MAX_BIGINT = 2n ** 63n - 1n;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Where a page of a thread began: its first message's place (src/messages/thread-order.ts) and id. */
export interface ThreadCursor extends ThreadPlace {
  id: string;
}

/** Opaque to clients: base64url of `<ISO time>|<sort_seq>|<id>`. The time has milliseconds, as stored. */
export function encodeThreadCursor(c: ThreadCursor): string {
  return Buffer.from(`${c.sortAt.toISOString()}|${c.sortSeq}|${c.id}`, 'utf8').toString('base64url');
}

export function decodeThreadCursor(cursor: string): ThreadCursor {
  const [time, seq, id, rest] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const at = new Date(time ?? '');
  // Within what both a Date and PostgreSQL hold, and a bigint: a forged cursor is a 400, never a database error.
  const timeOk = at.getTime() >= 0 && at.getTime() <= MAX_TIME;
  const seqOk = /^\d{1,19}$/.test(seq ?? '') && BigInt(seq) <= MAX_BIGINT;
  if (rest !== undefined || !id || !UUID.test(id) || !timeOk || !seqOk) throw malformed('cursor is not one this API returned');
  return { sortAt: at, sortSeq: seq, id };
}
