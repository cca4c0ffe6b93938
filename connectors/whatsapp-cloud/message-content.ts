import type { z } from 'zod';
import type { InboundAttachment } from '../contract';
import {
  buttonSchema,
  interactiveSchema,
  locationSchema,
  mediaSchema,
  orderSchema,
  sharedContactsSchema,
  systemSchema,
  textSchema,
  unsupportedSchema,
} from './webhook-schema';

/**
 * What one WhatsApp message carries, by its `type`: the text the agent reads and the attachments.
 * Shared by new messages and by the `edit` webhook, whose `edit.message` has the same shape.
 * (https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages)
 */
export interface MessageContent {
  text: string | null;
  attachments: InboundAttachment[];
}

export type ContentResult = { ok: true; content: MessageContent } | { ok: false; reason: string };

const MEDIA_KINDS = {
  image: 'image',
  video: 'video',
  document: 'document',
  sticker: 'sticker',
  audio: 'audio',
} as const satisfies Record<string, InboundAttachment['kind']>;

/** `holder` is the message (or edit.message): its content sits under a key named like its type. */
export function contentOf(type: string, holder: Record<string, unknown>): ContentResult {
  const raw = holder[type];
  switch (type) {
    case 'text':
      return read(textSchema, raw, type, (t) => ({ text: t.body, attachments: [] }));
    case 'image':
    case 'video':
    case 'document':
    case 'sticker':
    case 'audio':
      return read(mediaSchema, raw, type, (m) => ({ text: m.caption ?? null, attachments: [mediaAttachment(type, m)] }));
    case 'location':
      return read(locationSchema, raw, type, (l) => ({
        text: null,
        // Latitude 0 is a real place: never test coordinates for truthiness.
        attachments: [{ kind: 'location', latitude: l.latitude, longitude: l.longitude, title: l.name ?? l.address }],
      }));
    case 'contacts':
      // A shared contact card is an attachment, never the sender's identity.
      return read(sharedContactsSchema, raw, type, (cards) => ({
        text: null,
        attachments: cards.map((c) => ({
          kind: 'contact' as const,
          title: c.name?.formatted_name ?? ([c.name?.first_name, c.name?.last_name].filter(Boolean).join(' ') || undefined),
          phone: c.phones?.[0]?.phone ?? c.phones?.[0]?.wa_id,
        })),
      }));
    case 'interactive':
      return read(interactiveSchema, raw, type, interactiveContent);
    case 'button':
      // A template quick-reply: the agent reads the button's label; the payload is for bots.
      return read(buttonSchema, raw, type, (b) => ({ text: b.text, attachments: [] }));
    case 'order':
      return read(orderSchema, raw, type, (o) => ({
        text: o.text ?? null,
        attachments: [{ kind: 'other', title: `order: ${o.product_items?.length ?? 0} item(s)` }],
      }));
    case 'system':
      // user_changed_number / customer_identity_changed: the agent must see it (replies to the old number fail).
      return read(systemSchema, raw, type, (s) => ({ text: s.body ?? null, attachments: [] }));
    default: {
      // "unsupported" (polls, view-once media...) and types newer than this code: the customer did write
      // something, so the agent gets a placeholder rather than silence.
      const what = unsupportedSchema.safeParse(holder.unsupported);
      const detail = type === 'unsupported' && what.success && what.data.type ? what.data.type : type;
      return { ok: true, content: { text: null, attachments: [{ kind: 'other', title: `unsupported WhatsApp message (${detail})` }] } };
    }
  }
}

function interactiveContent(i: z.infer<typeof interactiveSchema>): MessageContent {
  // Button and list replies read as what the customer tapped (the title), as if they had typed it.
  if (i.type === 'button_reply' && i.button_reply) return { text: i.button_reply.title, attachments: [] };
  if (i.type === 'list_reply' && i.list_reply) return { text: i.list_reply.title, attachments: [] };
  if (i.type === 'nfm_reply' && i.nfm_reply) {
    return { text: i.nfm_reply.body ?? null, attachments: [{ kind: 'other', title: `form response (${i.nfm_reply.name ?? 'flow'})` }] };
  }
  return { text: null, attachments: [{ kind: 'other', title: `interactive reply (${i.type})` }] };
}

function mediaAttachment(type: keyof typeof MEDIA_KINDS, m: z.infer<typeof mediaSchema>): InboundAttachment {
  // Voice notes arrive as type "audio" with voice: true.
  const kind: InboundAttachment['kind'] = type === 'audio' && m.voice ? 'voice' : MEDIA_KINDS[type];
  return { kind, mediaRef: m.id, mimeType: m.mime_type, fileName: m.filename, size: m.file_size };
}

function read<S extends z.ZodType>(schema: S, raw: unknown, type: string, build: (value: z.infer<S>) => MessageContent): ContentResult {
  const parsed = schema.safeParse(raw);
  return parsed.success ? { ok: true, content: build(parsed.data) } : { ok: false, reason: `malformed ${type} content` };
}
