import type { AttachmentKind, InboundAttachment } from '../contract';
import { asObject, num, str, type Json } from './parse-json';

/** whatsapp-web.js message types that carry a downloadable file. */
const MEDIA_KIND: Record<string, AttachmentKind> = {
  image: 'image',
  video: 'video',
  audio: 'audio',
  ptt: 'voice', // push-to-talk: a voice note
  document: 'document',
  sticker: 'sticker',
};

/**
 * The type, text and attachments of one message. The text is the body, or the caption for media; a
 * location's or contact card's body is not text (a JPEG thumbnail, the raw vCard), so those have none.
 */
export function messageAttachments(m: Json, data: Json, messageId: string): { type: string; text: string | null; attachments: InboundAttachment[] } {
  // WAHA's payload has no `type` when it has a `media` block: infer it from the MIME type.
  const wahaMedia = asObject(m.media);
  const mimeType = str(wahaMedia?.mimetype) ?? str(data.mimetype) ?? str(m.mimetype);
  const type = str(m.type) ?? str(data.type) ?? (wahaMedia ? typeFromMime(mimeType) : 'chat');

  if (type === 'location') return { type, text: null, attachments: [location(m, data)] };
  if (type === 'vcard' || type === 'multi_vcard') return { type, text: null, attachments: contacts(m, data, type) };

  const attachments: InboundAttachment[] = [];
  const kind = Object.hasOwn(MEDIA_KIND, type) ? MEDIA_KIND[type] : undefined;
  if (kind) {
    // hasMedia is false when the file is no longer downloadable (whatsapp-web.js: no directPath): keep the kind
    // so the agent sees what was sent, without a reference that cannot be fetched.
    const downloadable = m.hasMedia !== false || wahaMedia !== undefined;
    const fileName = str(wahaMedia?.filename) ?? str(data.filename) ?? str(m.filename);
    const size = num(data.size);
    attachments.push({
      kind: kind === 'video' && (m.isGif === true || data.isGif === true) ? 'animation' : kind,
      ...(downloadable ? { mediaRef: messageId } : {}),
      ...(mimeType ? { mimeType } : {}),
      ...(fileName ? { fileName } : {}),
      ...(size !== undefined ? { size } : {}),
    });
  }
  // For media, whatsapp-web.js puts the caption in `body`; the raw model's `body` is then a thumbnail.
  const text = str(m.body) ?? (kind ? str(data.caption) : str(data.body)) ?? null;
  return { type, text, attachments };
}

function typeFromMime(mime: string | undefined): string {
  if (mime?.startsWith('image/')) return 'image';
  if (mime?.startsWith('video/')) return 'video';
  if (mime?.startsWith('audio/')) return 'audio';
  return 'document';
}

function location(m: Json, data: Json): InboundAttachment {
  const loc = asObject(m.location) ?? {};
  const latitude = num(loc.latitude) ?? num(data.lat);
  const longitude = num(loc.longitude) ?? num(data.lng);
  // `loc` in the raw model is "name\naddress" for a shared place.
  const title = str(loc.description) ?? str(loc.name) ?? str(data.loc)?.split('\n')[0];
  return {
    kind: 'location',
    ...(latitude !== undefined ? { latitude } : {}),
    ...(longitude !== undefined ? { longitude } : {}),
    ...(title ? { title } : {}),
  };
}

function contacts(m: Json, data: Json, type: string): InboundAttachment[] {
  let cards = Array.isArray(m.vCards) ? m.vCards.filter((c): c is string => typeof c === 'string') : [];
  if (cards.length === 0 && Array.isArray(data.vcardList)) {
    cards = data.vcardList.map((c) => str(asObject(c)?.vcard)).filter((c): c is string => c !== undefined);
  }
  if (cards.length === 0 && type === 'vcard') cards = [str(m.body) ?? str(data.body)].filter((c): c is string => c !== undefined);
  if (cards.length === 0) return [{ kind: 'contact' }];
  return cards.map(contactFromVCard);
}

/** The name (FN) and first phone number (TEL) of a vCard 3.0 as WhatsApp writes it. */
export function contactFromVCard(card: string): InboundAttachment {
  const unfolded = card.replace(/\r?\n[ \t]/g, '');
  const name = /^FN(?:;[^:\n]*)?:(.*)$/m.exec(unfolded)?.[1]?.trim();
  const tel = /^(?:item\d+\.)?TEL([^:\n]*):(.*)$/m.exec(unfolded);
  // WhatsApp adds `waid=<digits>` to a number that has WhatsApp: the cleanest form of it.
  const waid = tel ? /waid=(\d+)/i.exec(tel[1])?.[1] : undefined;
  const phone = waid ? `+${waid}` : tel?.[2]?.trim();
  return { kind: 'contact', ...(name ? { title: name } : {}), ...(phone ? { phone } : {}) };
}
