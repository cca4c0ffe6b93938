import { malformed } from '../errors/domain-errors';

const MAX_TIME = Date.parse('9999-12-31T23:59:59.999Z');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Where a page of the inbox ended: the last row's activity time and id (ties on the time are broken by id). */
export interface ListCursor {
  lastActivityAt: Date;
  id: string;
}

/** Opaque to clients: base64url of `<ISO time>|<id>`. */
export function encodeListCursor(c: ListCursor): string {
  return Buffer.from(`${c.lastActivityAt.toISOString()}|${c.id}`, 'utf8').toString('base64url');
}

/**
 * Strict, like the thread's cursor (src/messages/thread-cursor.ts): a forged cursor is refused here as malformed
 * (400), never handed to PostgreSQL as a uuid or a time it cannot read.
 */
export function decodeListCursor(cursor: string): ListCursor {
  const [time, id, rest] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const at = new Date(time ?? '');
  // Within what both a Date and PostgreSQL hold.
  const timeOk = at.getTime() >= 0 && at.getTime() <= MAX_TIME;
  if (rest !== undefined || !id || !UUID.test(id) || !timeOk) throw malformed('cursor is not one this API returned');
  return { lastActivityAt: at, id };
}
