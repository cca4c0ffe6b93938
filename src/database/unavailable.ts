/**
 * True for errors that say PostgreSQL cannot be reached right now rather than that the request is wrong: no free
 * pooled connection in time, connection refused or cut, the server shutting down or starting up. Such a request
 * may simply be tried again (the HTTP layer answers 503).
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  const e = err as { code?: string; message?: string; driverError?: unknown } | null;
  if (!e || typeof e !== 'object') return false;
  if (e.driverError && e.driverError !== err) return isDatabaseUnavailable(e.driverError);
  // 57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot connect now, 08xxx connection exceptions.
  if (e.code && (/^57P0[123]$/.test(e.code) || e.code.startsWith('08') || e.code === 'ECONNREFUSED' || e.code === 'ECONNRESET')) return true;
  return /timeout exceeded when trying to connect|Connection terminated|connect ECONNREFUSED/i.test(e.message ?? '');
}
