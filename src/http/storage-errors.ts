import { QueryFailedError } from 'typeorm';
import { isDatabaseUnavailable } from '../database/unavailable';

/**
 * What an error from PostgreSQL or Redis means for the client, decided in one place:
 * - `conflict`: a unique index refused a second row (23505), e.g. twenty parallel creates of one team: 409;
 * - `invalid`: PostgreSQL refused a value the request carried (too long, out of range, a NUL byte): 400 — the
 *   schemas at the edge refuse these first; this keeps a gap in one of them from becoming a 500;
 * - `unavailable`: PostgreSQL or Redis does not answer (refused, reset, timed out, shutting down), or rolled the
 *   transaction back for a retry to clear (a deadlock, a serialization failure): 503, try again.
 */
export type StorageErrorKind = 'conflict' | 'invalid' | 'unavailable';

// 22001 string too long, 22003 numeric out of range, 22007 invalid datetime format, 22008 datetime out of range,
// 22021 invalid byte sequence (a NUL), 22P02 invalid text representation, 22P05 untranslatable character.
const INVALID_VALUE = new Set(['22001', '22003', '22007', '22008', '22021', '22P02', '22P05']);
// Class 08 connection exception; 57P01-57P03 admin shutdown, crash shutdown, cannot connect now; 53300 too many
// connections; and what a retry clears: 40001 serialization failure, 40P01 deadlock detected (PostgreSQL rolled
// this transaction back so another could go on), 55P03 lock not available.
const UNAVAILABLE_SQLSTATE = /^(08...|57P0[123]|53300|40001|40P01|55P03)$/;
const UNAVAILABLE_ERRNO = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
// node-postgres and ioredis say so in words only.
const UNAVAILABLE_MESSAGE =
  /Connection terminated|timeout exceeded when trying to connect|Connection is closed|Stream isn't writeable|Reached the max retries per request limit|Client has encountered a connection error|Cannot use a pool after calling end/i;

export function storageErrorKind(err: unknown): StorageErrorKind | null {
  if (!err || typeof err !== 'object') return null;
  const e = err as { code?: unknown; message?: unknown; driverError?: unknown; cause?: unknown };
  const code = typeof e.code === 'string' ? e.code : undefined;
  if (err instanceof QueryFailedError) {
    if (code === '23505') return 'conflict';
    if (code && INVALID_VALUE.has(code)) return 'invalid';
  }
  if (isDatabaseUnavailable(err)) return 'unavailable';
  if (code && (UNAVAILABLE_SQLSTATE.test(code) || UNAVAILABLE_ERRNO.has(code))) return 'unavailable';
  if (typeof e.message === 'string' && UNAVAILABLE_MESSAGE.test(e.message)) return 'unavailable';
  // TypeORM wraps the driver's error; AggregateError (a refused connection to several addresses) holds others.
  const inner = [e.driverError, e.cause, ...(err instanceof AggregateError ? err.errors : [])].filter((x) => x && x !== err);
  for (const i of inner) {
    const kind = storageErrorKind(i);
    if (kind === 'unavailable') return kind;
  }
  return null;
}
