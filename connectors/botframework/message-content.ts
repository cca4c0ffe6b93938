import type { AttachmentKind, InboundAttachment } from '../contract';
import type { ActivityAttachment, ActivityEntity, AddressedActivity } from './activity';

/** Teams' description of a file a user sent in a personal chat (https://learn.microsoft.com/microsoftteams/platform/bots/how-to/bots-filesv4). */
export const TEAMS_FILE_DOWNLOAD_INFO = 'application/vnd.microsoft.teams.file.download.info';

/**
 * The customer's text: Teams puts `<at>Bot</at>` in channel and group messages to address the bot, which is not
 * part of what they said. Mentions of the bot (by the mention entities, as TurnContext.removeRecipientMention does,
 * but every occurrence) are removed; mentions of other people keep the name and lose the markup.
 * A message with no text but a `value` (an Adaptive Card Action.Submit or a messaging-extension submit) is the
 * customer answering a form: the inbox shows the submitted fields as text rather than an empty message.
 */
export function messageText(a: AddressedActivity): string | null {
  let text = a.text ?? '';
  for (const mention of botMentions(a)) {
    text = text.split(mention).join(' ');
  }
  text = text
    .replace(/<at>([\s\S]*?)<\/at>/gi, '$1')
    .replace(/ {2,}/g, ' ')
    .trim();
  if (text) return text;
  return a.value === undefined ? null : renderValue(a.value);
}

/** The literal strings that address the bot: its mention entities, or `<at>name</at>` when a client sent none. */
function botMentions(a: AddressedActivity): string[] {
  const found = (a.entities ?? [])
    .filter((e) => e.type === 'mention' && mentionedId(e) === a.recipient.id && typeof e.text === 'string' && e.text)
    .map((e) => e.text as string);
  if (found.length === 0 && a.recipient.name) found.push(`<at>${a.recipient.name}</at>`);
  return found;
}

function mentionedId(e: ActivityEntity): string | undefined {
  const m = e.mentioned as { id?: unknown } | undefined;
  return typeof m?.id === 'string' ? m.id : undefined;
}

/** `{"rating": 5, "comment": "ok"}` → "rating: 5\ncomment: ok"; a plain string value is the text itself. */
export function renderValue(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'object') return String(value).trim() || null;
  if (Array.isArray(value)) return value.length ? JSON.stringify(value) : null;
  const lines = Object.entries(value as Record<string, unknown>).map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`.trimEnd());
  return lines.length ? lines.join('\n') : null;
}

/**
 * Attachments as the inbox sees them. `text/html` is dropped: Teams sends the message once more as HTML, which only
 * renders the text (its pasted images arrive as their own image/* attachment). Location shares arrive as Place /
 * GeoCoordinates entities, not attachments.
 */
export function messageAttachments(a: AddressedActivity): InboundAttachment[] {
  const out: InboundAttachment[] = [];
  for (const att of a.attachments ?? []) {
    const mapped = mapAttachment(att);
    if (mapped) out.push(mapped);
  }
  for (const e of a.entities ?? []) {
    const location = mapLocation(e);
    if (location) out.push(location);
  }
  return out;
}

function mapAttachment(att: ActivityAttachment): InboundAttachment | null {
  const type = (att.contentType ?? '').toLowerCase();
  if (type === 'text/html') return null;
  const fileName = att.name ?? undefined;
  if (type === TEAMS_FILE_DOWNLOAD_INFO) {
    // The file itself sits in the sender's OneDrive; downloadUrl is a short-lived pre-authenticated link.
    const content = (att.content ?? {}) as { downloadUrl?: unknown; fileType?: unknown };
    const mediaRef = typeof content.downloadUrl === 'string' ? content.downloadUrl : (att.contentUrl ?? undefined);
    return { kind: 'document', mediaRef, fileName };
  }
  const kind = kindOf(type);
  if (att.contentUrl) {
    return { kind: kind ?? 'document', mediaRef: att.contentUrl, mimeType: att.contentType ?? undefined, fileName };
  }
  // A card or other structured content sent by a user: kept as "something was attached", not lost silently.
  return { kind: kind ?? 'other', mimeType: att.contentType ?? undefined, fileName, title: fileName };
}

/** MIME families; some channels send the bare family name ("image") as the content type. */
function kindOf(type: string): AttachmentKind | undefined {
  const family = type.split('/')[0];
  if (family === 'image') return type === 'image/gif' ? 'animation' : 'image';
  if (family === 'video') return 'video';
  if (family === 'audio') return 'audio';
  if (type.startsWith('application/vnd.microsoft.card.')) return 'other';
  if (family === 'application' || family === 'text' || type === 'file') return 'document';
  return undefined;
}

function mapLocation(e: ActivityEntity): InboundAttachment | null {
  const geo = (e.type === 'Place' ? e.geo : e.type === 'GeoCoordinates' ? e : undefined) as { latitude?: unknown; longitude?: unknown } | undefined;
  if (typeof geo?.latitude !== 'number' || typeof geo.longitude !== 'number') return null;
  const title = typeof e.name === 'string' ? e.name : undefined;
  return { kind: 'location', latitude: geo.latitude, longitude: geo.longitude, title };
}
