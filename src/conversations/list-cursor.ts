import { invalid } from '../errors/domain-errors';

/** Where a page of the inbox ended: the last row's activity time and id (ties on the time are broken by id). */
export interface ListCursor {
  lastActivityAt: Date;
  id: string;
}

/** Opaque to clients: base64url of `<ISO time>|<id>`. */
export function encodeListCursor(c: ListCursor): string {
  return Buffer.from(`${c.lastActivityAt.toISOString()}|${c.id}`, 'utf8').toString('base64url');
}

export function decodeListCursor(cursor: string): ListCursor {
  const [time, id, rest] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const at = new Date(time ?? '');
  if (rest !== undefined || !id || !/^[0-9a-f-]{36}$/i.test(id) || Number.isNaN(at.getTime())) throw invalid('cursor is not one this API returned');
  return { lastActivityAt: at, id };
}
