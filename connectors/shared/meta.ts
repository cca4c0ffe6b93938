import type { WebhookReply, WebhookRequest } from '../contract';
import { headerValue, hmacSha256Hex, safeEqual } from './signature';

/**
 * Meta's webhook rules, shared by every Meta platform (WhatsApp Cloud API today; Instagram and Messenger
 * next): one Graph API webhook product, one handshake, one signature.
 * https://developers.facebook.com/docs/graph-api/webhooks/getting-started
 */

export const META_SIGNATURE_HEADER = 'x-hub-signature-256';

/** `sha256=<hex HMAC-SHA256 of the raw body, keyed with the app secret>`: what Meta puts in X-Hub-Signature-256. */
export function metaSignature(appSecret: string, rawBody: Buffer | string): string {
  return `sha256=${hmacSha256Hex(appSecret, rawBody)}`;
}

/**
 * True only when X-Hub-Signature-256 is the HMAC of the exact bytes received, compared in constant time.
 * Hex case is not significant; a missing or repeated header fails.
 */
export function verifyMetaSignature(req: WebhookRequest, appSecret: string): boolean {
  const header = headerValue(req.headers, META_SIGNATURE_HEADER);
  if (!header) return false;
  return safeEqual(header.trim().toLowerCase(), metaSignature(appSecret, req.rawBody));
}

/**
 * Meta checks a callback URL with `GET ?hub.mode=subscribe&hub.verify_token=…&hub.challenge=…` and expects the
 * challenge back verbatim when the token is ours. Returns null when the request is not a handshake at all.
 * https://developers.facebook.com/docs/graph-api/webhooks/getting-started#verification-requests
 */
export function metaHandshake(req: WebhookRequest, verifyToken: string): WebhookReply | null {
  if (req.method.toUpperCase() !== 'GET' || req.query['hub.mode'] === undefined) return null;
  const challenge = req.query['hub.challenge'];
  const tokenOk = safeEqual(req.query['hub.verify_token'], verifyToken);
  if (req.query['hub.mode'] !== 'subscribe' || !tokenOk || !challenge) {
    return { status: 403, body: 'webhook verification failed', contentType: 'text/plain' };
  }
  // text/plain: the echoed challenge must never be rendered as HTML.
  return { status: 200, body: challenge, contentType: 'text/plain' };
}
