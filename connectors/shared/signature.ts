import { createHmac, timingSafeEqual, createHash } from 'node:crypto';

/**
 * Constant-time string comparison. Both sides are hashed first so that neither the content nor the length of
 * the expected value leaks through timing (timingSafeEqual itself throws on a length mismatch).
 */
export function safeEqual(received: string | Buffer | undefined | null, expected: string | Buffer): boolean {
  if (received === undefined || received === null) return false;
  const a = createHash('sha256').update(received).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b) && Buffer.byteLength(received) === Buffer.byteLength(expected);
}

export function hmacSha256Hex(key: string | Buffer, data: Buffer | string): string {
  return createHmac('sha256', key).update(data).digest('hex');
}

/** A header's single value (Node gives arrays for repeated headers; a repeated signature header is suspect). */
export function headerValue(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const v = headers[name.toLowerCase()];
  return Array.isArray(v) ? undefined : v;
}
