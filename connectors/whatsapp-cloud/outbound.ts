import { ConnectorError, type OutboundMedia, type OutboundMessage } from '../contract';
import { outsideWindowError } from './errors';

/**
 * Pure rules for outgoing messages: the 24-hour customer service window, addressing, and which WhatsApp
 * message type (with which size limit) carries a file.
 * Limits: https://developers.facebook.com/documentation/business-messaging/whatsapp/business-phone-numbers/media
 * and the text/caption limits of https://developers.facebook.com/documentation/business-messaging/whatsapp/messages/
 */
export const TEXT_LIMIT = 4096;
export const CAPTION_LIMIT = 1024;
export const REPLY_WINDOW_HOURS = 24;
const REPLY_WINDOW_MS = REPLY_WINDOW_HOURS * 60 * 60 * 1000;
const MB = 1024 * 1024;
export const MAX_MEDIA_BYTES = 100 * MB;

/**
 * Free-form messages are allowed only within 24 hours of the customer's last message; outside it Meta answers
 * 131047 and only templates go through. Checked before any API call so the agent learns at once, not after retries.
 */
export function assertInsideReplyWindow(lastInboundAt: Date | undefined, now: number): void {
  if (!lastInboundAt) {
    throw outsideWindowError(
      'This customer has not written to this WhatsApp number yet: WhatsApp only lets a business start a ' + 'conversation with an approved template message.',
    );
  }
  if (now - lastInboundAt.getTime() >= REPLY_WINDOW_MS) throw outsideWindowError();
}

/** The addressing fields of a Messages API request. */
export type RecipientFields =
  { recipient_type: 'individual'; to: string } | { recipient_type: 'individual'; recipient: string } | { recipient_type: 'group'; to: string };

export function recipientFields(out: OutboundMessage): RecipientFields {
  const id = out.threadExternalId;
  if (out.replyContext?.recipientType === 'group') return { recipient_type: 'group', to: id };
  // A wa_id is the phone number in digits. Anything else is a business-scoped user id ("US.1349…") of a
  // customer who hides their number: since 2026 the Messages API takes those in `recipient`.
  return /^\+?\d+$/.test(id) ? { recipient_type: 'individual', to: id } : { recipient_type: 'individual', recipient: id };
}

export function assertTextFits(text: string): void {
  // Counted in code points: an emoji is one character to the customer.
  const length = [...text].length;
  if (length > TEXT_LIMIT) {
    throw ConnectorError.permanent(`WhatsApp text messages are limited to ${TEXT_LIMIT} characters (this one has ${length})`, {
      code: 'too_long',
    });
  }
}

export type WaMediaType = 'image' | 'video' | 'audio' | 'document' | 'sticker';

export interface MediaPlan {
  type: WaMediaType;
  maxBytes: number;
  /** Image, video and document take a caption; audio and stickers do not. */
  caption: boolean;
}

const PLANS: Record<WaMediaType, MediaPlan> = {
  image: { type: 'image', maxBytes: 5 * MB, caption: true },
  video: { type: 'video', maxBytes: 16 * MB, caption: true },
  audio: { type: 'audio', maxBytes: 16 * MB, caption: false },
  sticker: { type: 'sticker', maxBytes: 500 * 1024, caption: false },
  document: { type: 'document', maxBytes: MAX_MEDIA_BYTES, caption: true },
};

const IMAGE_MIMES = new Set(['image/jpeg', 'image/png']);
const VIDEO_MIMES = new Set(['video/mp4', 'video/3gpp', 'video/3gp']);
const AUDIO_MIMES = new Set(['audio/aac', 'audio/amr', 'audio/mpeg', 'audio/mp4', 'audio/ogg']);

/**
 * WhatsApp accepts only a few formats per media type; anything else (a GIF, a WebP photo, a .mov) still reaches
 * the customer as a document rather than being refused.
 */
export function mediaPlan(media: OutboundMedia): MediaPlan {
  const mime = media.mimeType.split(';')[0].trim().toLowerCase();
  switch (media.kind) {
    case 'image':
      return IMAGE_MIMES.has(mime) ? PLANS.image : PLANS.document;
    case 'video':
    case 'animation':
      return VIDEO_MIMES.has(mime) ? PLANS.video : PLANS.document;
    case 'audio':
    case 'voice':
      return AUDIO_MIMES.has(mime) ? PLANS.audio : PLANS.document;
    case 'sticker':
      return mime === 'image/webp' ? PLANS.sticker : PLANS.document;
    default:
      return PLANS.document;
  }
}

export function assertMediaFits(media: OutboundMedia, plan: MediaPlan): void {
  if (media.data.length > plan.maxBytes) {
    throw ConnectorError.permanent(`WhatsApp accepts ${plan.type} files up to ${formatBytes(plan.maxBytes)}; this one is ${formatBytes(media.data.length)}`, {
      code: 'too_large',
    });
  }
}

function formatBytes(n: number): string {
  return n >= MB ? `${Math.round((n / MB) * 10) / 10} MB` : `${Math.round(n / 1024)} KB`;
}
