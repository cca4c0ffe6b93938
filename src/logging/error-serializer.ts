/**
 * How an error is written to the log. pino's standard serializer copies every enumerable property, and some
 * errors carry the data they failed on: TypeORM's QueryFailedError has the statement's `parameters` (password
 * hashes, sealed credentials, message text) and the driver's error with its `detail` ("Key (email)=(...)"),
 * telegraf's errors the call's `payload`, HTTP clients' errors their request and headers. Those are dropped; the
 * SQL text (placeholders, no values), the SQL error code and the message stay.
 */
const DROPPED = new Set(['parameters', 'driverError', 'detail', 'where', 'on', 'payload', 'config', 'request', 'response', 'headers', 'body', 'data']);
const MAX_DEPTH = 3;

export interface SerializedError {
  type: string;
  message: string;
  stack?: string;
  [key: string]: unknown;
}

export function serializeError(err: unknown, depth = 0): unknown {
  if (!(err instanceof Error)) return err;
  const out: SerializedError = { type: err.constructor?.name ?? err.name, message: err.message, stack: err.stack };
  for (const [key, value] of Object.entries(err)) {
    if (DROPPED.has(key) || key in out) continue;
    if (value instanceof Error) {
      if (depth < MAX_DEPTH) out[key] = serializeError(value, depth + 1);
    } else if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) {
      out[key] = value;
    }
  }
  const cause = (err as { cause?: unknown }).cause;
  if (cause instanceof Error && depth < MAX_DEPTH) out.cause = serializeError(cause, depth + 1);
  // PostgreSQL's error code (23505...) lives on the driver's error; keep it, not the rest.
  const driver = (err as { driverError?: { code?: unknown } }).driverError;
  if (out.code === undefined && typeof driver?.code === 'string') out.code = driver.code;
  return out;
}
