import type { z } from 'zod';
import { UnparseableWebhookError, type InboundAttachment, type InboundEvent, type InboundSender } from '../contract';
import {
  messageCallbackSchema,
  receiptCallbackSchema,
  subscribedCallbackSchema,
  unsubscribedCallbackSchema,
  type ViberMessage,
  type ViberUser,
} from './callback-schema';
import { parseViberJson } from './json';

/**
 * Pure parser: one Viber callback (https://creators.viber.com/docs/bots-api/events/intro) to Parley events.
 *
 * - `message` → message keyed by `message_token` (unique per bot); Viber is 1:1, so the thread is the sender.
 * - `delivered` / `seen` / `failed` → status of our message with that token (`seen` is `read`).
 * - `subscribed` → subscription blocked=false; `unsubscribed` → blocked=true.
 * - `conversation_started` → ignored with CONVERSATION_STARTED_REASON (the connector may answer it with the
 *   welcome message); `webhook` (the check set_webhook triggers) and unknown events → ignored, never thrown.
 */
export const CONVERSATION_STARTED_REASON = 'viber conversation_started: the user opened the chat, no message yet';

/** Raw bytes to events: the big-integer-safe JSON parse is part of parsing. */
export function parseViberWebhookBody(raw: Buffer): InboundEvent[] {
  let body: unknown;
  try {
    body = parseViberJson(raw.toString('utf8'));
  } catch {
    throw new UnparseableWebhookError('body is not JSON');
  }
  return parseViberCallback(body);
}

export function parseViberCallback(body: unknown): InboundEvent[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new UnparseableWebhookError('a Viber callback is a JSON object');
  }
  const event = (body as Record<string, unknown>).event;
  if (typeof event !== 'string' || !event) throw new UnparseableWebhookError('event is missing');

  switch (event) {
    case 'message': {
      const cb = validate(messageCallbackSchema, body);
      return [
        {
          type: 'message',
          externalId: cb.message_token,
          thread: { externalId: cb.sender.id, isGroup: false },
          sender: senderOf(cb.sender),
          text: textOf(cb.message),
          attachments: attachmentsOf(cb.message),
          sentAt: fromMillis(cb.timestamp),
          platformKind: cb.message.type,
        },
      ];
    }
    case 'delivered':
    case 'seen':
    case 'failed': {
      const cb = validate(receiptCallbackSchema, body);
      return [
        {
          type: 'status',
          platformMessageId: cb.message_token,
          status: cb.event === 'seen' ? 'read' : cb.event,
          at: fromMillis(cb.timestamp),
          // Only a failure's `desc` is a reason: courier's fixtures show a stray `desc` on `delivered`.
          error: cb.event === 'failed' ? (cb.desc ?? 'Viber reported the message as failed') : undefined,
          recipientExternalId: cb.user_id,
        },
      ];
    }
    case 'subscribed': {
      const cb = validate(subscribedCallbackSchema, body);
      return [{ type: 'subscription', sender: senderOf(cb.user), blocked: false, at: fromMillis(cb.timestamp) }];
    }
    case 'unsubscribed': {
      const cb = validate(unsubscribedCallbackSchema, body);
      return [{ type: 'subscription', sender: { externalId: cb.user_id }, blocked: true, at: fromMillis(cb.timestamp) }];
    }
    case 'conversation_started':
      return [{ type: 'ignored', reason: CONVERSATION_STARTED_REASON }];
    case 'webhook':
      // Sent once by set_webhook to check the URL: it only needs our 200.
      return [{ type: 'ignored', reason: 'viber webhook check' }];
    default:
      return [{ type: 'ignored', reason: `viber event ${event} is not an inbox message` }];
  }
}

// ---------------------------------------------------------------------------------------------------------------

function validate<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UnparseableWebhookError(`viber callback: ${issue.path.join('.') || 'body'} ${issue.message}`);
  }
  return parsed.data;
}

function senderOf(user: ViberUser): InboundSender {
  const profile: Record<string, string> = {};
  if (user.language) profile.language = user.language;
  if (user.country) profile.country = user.country;
  // Which message features the user's app supports (min_api_version on send).
  if (user.api_version !== undefined) profile.apiVersion = String(user.api_version);
  return {
    externalId: user.id,
    displayName: user.name || undefined,
    avatarUrl: user.avatar || undefined,
    profile: Object.keys(profile).length ? profile : undefined,
  };
}

function textOf(m: ViberMessage): string | null {
  // A URL message carries its URL in `media`: that URL is what the customer wrote.
  if (m.type === 'url') return m.media ?? m.text ?? null;
  if (m.type === 'rich_media') return m.text ?? m.alt_text ?? null;
  return m.text ?? null;
}

/**
 * Trust `type`: the official example of a text message also carries `media` and `location`, which are not
 * attachments. Media URLs point at Viber's servers and expire; `downloadMedia` fetches them.
 */
function attachmentsOf(m: ViberMessage): InboundAttachment[] {
  switch (m.type) {
    case 'text':
    case 'url':
      return [];
    case 'picture':
      return [{ kind: 'image', mediaRef: m.media, fileName: m.file_name, size: m.size }];
    case 'video':
      return [{ kind: 'video', mediaRef: m.media, size: m.size }];
    case 'file':
      return [{ kind: 'document', mediaRef: m.media, fileName: m.file_name, size: m.size }];
    case 'sticker':
      // Viber gives a sticker id (and sometimes its image URL), never an emoji.
      return [{ kind: 'sticker', mediaRef: m.media }];
    case 'location':
      // Coordinates are kept as sent, even out of range (the SDK's own test sends lat 1234).
      return m.location ? [{ kind: 'location', latitude: m.location.lat, longitude: m.location.lon }] : [{ kind: 'location' }];
    case 'contact':
      return [{ kind: 'contact', title: m.contact?.name || undefined, phone: m.contact?.phone_number || undefined }];
    case 'rich_media':
      return [{ kind: 'other', title: 'rich media message' }];
    default:
      // A type this parser does not know is still something the customer sent: show it, never drop it.
      return [{ kind: 'other', title: `unsupported Viber message type "${m.type}"`, mediaRef: m.media }];
  }
}

function fromMillis(ms: number | undefined): Date | undefined {
  return ms !== undefined ? new Date(ms) : undefined;
}
