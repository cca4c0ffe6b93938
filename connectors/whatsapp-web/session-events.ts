import type { WebhookRequest } from '../contract';
import { hmacSha256Hex } from '../shared/signature';

/**
 * WhatsApp Web has no webhook: the session emits events. To keep one inbound path (verify → parse → enqueue)
 * and one conformance suite, the session runner serialises each event to JSON in the same `{event, session,
 * payload}` envelope WAHA uses for its webhooks, signs it with the channel's sessionSecret and hands it to the
 * core as a WebhookRequest.
 */
export const SESSION_SIGNATURE_HEADER = 'x-parley-session-signature';

export type SessionEventEnvelope =
  { event: 'message'; session: string; payload: Record<string, unknown> } | { event: 'message_ack'; session: string; payload: { id: string; ack: number } };

export function messageEnvelope(channelId: string, message: Record<string, unknown>): SessionEventEnvelope {
  return { event: 'message', session: channelId, payload: message };
}

export function ackEnvelope(channelId: string, id: string, ack: number): SessionEventEnvelope {
  return { event: 'message_ack', session: channelId, payload: { id, ack } };
}

/** A WebhookRequest carrying `eventJson` signed with `secret` (hex HMAC-SHA256 of the exact bytes). */
export function signedSessionRequest(secret: string, eventJson: string | Buffer): WebhookRequest {
  const rawBody = Buffer.isBuffer(eventJson) ? eventJson : Buffer.from(eventJson, 'utf8');
  return {
    method: 'POST',
    headers: { 'content-type': 'application/json', [SESSION_SIGNATURE_HEADER]: hmacSha256Hex(secret, rawBody) },
    query: {},
    rawBody,
  };
}
