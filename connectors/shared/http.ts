import { ConnectorError } from '../contract';

/**
 * Calls to platform REST APIs with a time limit and one mapping of failures onto ConnectorError:
 * network errors, timeouts, 429 and 5xx are retryable; other 4xx are permanent. Connectors refine the
 * permanent cases (blocked user, invalid recipient) from the platform's own error body.
 */
export interface PlatformResponse {
  status: number;
  headers: Headers;
  body: Buffer;
  /** The body as UTF-8 text. */
  text: string;
}

export interface PlatformRequest {
  url: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer | FormData;
  timeoutMs?: number;
}

export const DEFAULT_PLATFORM_TIMEOUT_MS = 15_000;

export async function platformFetch(req: PlatformRequest): Promise<PlatformResponse> {
  const timeoutMs = req.timeoutMs ?? DEFAULT_PLATFORM_TIMEOUT_MS;
  let res: Response;
  try {
    res = await fetch(req.url, {
      method: req.method ?? 'GET',
      headers: req.headers,
      body: req.body as RequestInit['body'],
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    const e = err as Error;
    if (e.name === 'TimeoutError' || e.name === 'AbortError') {
      throw ConnectorError.retryable(`platform did not answer within ${timeoutMs} ms`, { code: 'timeout' });
    }
    throw ConnectorError.retryable(`platform unreachable: ${describeCause(e)}`, { code: 'network' });
  }
  let body: Buffer;
  try {
    body = Buffer.from(await res.arrayBuffer());
  } catch (err) {
    throw ConnectorError.retryable(`platform response cut off: ${describeCause(err as Error)}`, { code: 'network' });
  }
  return { status: res.status, headers: res.headers, body, text: body.toString('utf8') };
}

function describeCause(e: Error): string {
  const cause = (e as Error & { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? e.message;
}

/** Seconds from a Retry-After header (delta-seconds or HTTP date) to milliseconds. */
export function retryAfterMs(header: string | null | undefined, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** The default mapping of an HTTP failure status onto retryable / permanent. */
export function errorForStatus(status: number, message: string, opts: { retryAfter?: string | null; code?: string } = {}) {
  if (status === 429) {
    return ConnectorError.retryable(message, { retryAfterMs: retryAfterMs(opts.retryAfter), code: opts.code ?? '429' });
  }
  if (status >= 500 || status === 408) return ConnectorError.retryable(message, { code: opts.code ?? String(status) });
  return ConnectorError.permanent(message, { code: opts.code ?? String(status) });
}

/** JSON.parse that returns undefined instead of throwing (platform error bodies are not always JSON). */
export function tryJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
