import { createHash, randomBytes } from 'node:crypto';

/** Random opaque tokens: 32 bytes, base64url. Only their SHA-256 is ever stored. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * What a webhook id may look like: base64url, with room for ids a future format makes longer. A path outside it
 * is not looked up at all.
 */
export const WEBHOOK_ID = /^[\w-]{8,64}$/;

/** The opaque id in a channel's webhook URL. */
export function newWebhookId(): string {
  return randomBytes(18).toString('base64url');
}
