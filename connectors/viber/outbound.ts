import { extname } from 'node:path';
import { ConnectorError, type OutboundMedia, type OutboundMessage } from '../contract';
import { VIBER_TEXT_MAX } from './schema';

/**
 * Pure: one agent reply to the Viber message bodies that carry it, in sending order
 * (https://creators.viber.com/docs/bots-api/data-models/message). Viber takes media by public URL only, and only
 * pictures have a caption, so a reply can take two messages (the file, then its text).
 */
export interface ViberSender {
  name: string;
  avatar?: string;
}

/** A send_message body without `receiver`; the welcome message has the same shape. */
export type ViberMessageBody = { type: 'text' | 'picture' | 'video' | 'file'; sender: ViberSender } & Record<string, unknown>;

/** Viber allows 3 MB on Android but only 1 MB on iOS: a bigger image goes as a file so every client shows it. */
export const PICTURE_MAX_BYTES = 1024 * 1024;
export const PICTURE_CAPTION_MAX = 768;
export const VIDEO_MAX_BYTES = 27_262_976;
export const FILE_MAX_BYTES = 52_428_800;
const FILE_NAME_MAX = 256;

const PICTURE_EXT: Record<string, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/gif': 'gif' };

/** Viber refuses these as files ("Forbidden File Formats"). */
const FORBIDDEN_EXT = new Set(
  ('bat bin cmd com cpl exe gadget inf1 ins inx isu job jse lnk msc msi msp mst paf pif ps1 reg rgs sct shb shs u3p ' +
    'vb vbe vbs vbscript ws wsf action app command csh osx workflow ksh out run apk ipa').split(' '),
);

/** For files named without an extension: Viber needs one on the URL, and the customer's app needs one to open it. */
const MIME_EXT: Record<string, string> = {
  'application/pdf': 'pdf',
  'text/plain': 'txt',
  'text/csv': 'csv',
  'application/zip': 'zip',
  'application/json': 'json',
  'application/msword': 'doc',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/vnd.ms-excel': 'xls',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'video/mp4': 'mp4',
  'video/quicktime': 'mov',
  'audio/mpeg': 'mp3',
  'audio/ogg': 'ogg',
  'audio/mp4': 'm4a',
};

/**
 * Proposed contract addition (see README): a public URL for the file, filled by the core. Read when present so
 * the connector works unchanged once the contract has it.
 */
export type OutboundMediaWithUrl = OutboundMedia & { url?: string };

export interface BuildOptions {
  sender: ViberSender;
  publicMediaBaseUrl?: string;
}

export function buildViberMessages(out: OutboundMessage, opts: BuildOptions): ViberMessageBody[] {
  const text = out.text ? out.text : null;
  if (text && text.length > VIBER_TEXT_MAX) {
    throw ConnectorError.permanent(`Viber accepts at most ${VIBER_TEXT_MAX} characters per message (this one has ${text.length})`, {
      code: 'text_too_long',
      policy: true,
    });
  }
  const textBody = (t: string): ViberMessageBody => ({ type: 'text', sender: opts.sender, text: t });
  if (!out.media) {
    if (!text) throw ConnectorError.permanent('nothing to send: no text and no attachment', { code: 'empty', policy: true });
    return [textBody(text)];
  }

  const media = out.media as OutboundMediaWithUrl;
  const size = media.data.length;
  const pictureExt = PICTURE_EXT[media.mimeType.toLowerCase()];
  const trailingText = (first: ViberMessageBody) => (text ? [first, textBody(text)] : [first]);

  if (media.kind === 'image' && pictureExt && size <= PICTURE_MAX_BYTES) {
    const url = mediaUrl(out, media, `${stem(media.fileName)}.${pictureExt}`, opts);
    const fits = !text || text.length <= PICTURE_CAPTION_MAX;
    // `text` is required on a picture (empty allowed); a longer caption follows as its own message.
    const picture: ViberMessageBody = { type: 'picture', sender: opts.sender, text: fits ? (text ?? '') : '', media: url };
    return fits ? [picture] : [picture, textBody(text!)];
  }
  if (media.kind === 'video' && media.mimeType.toLowerCase() === 'video/mp4' && size <= VIDEO_MAX_BYTES) {
    const url = mediaUrl(out, media, `${stem(media.fileName)}.mp4`, opts);
    return trailingText({ type: 'video', sender: opts.sender, media: url, size });
  }

  // Everything else (documents, audio, stickers, animated GIFs, other image or video formats) goes as a file.
  if (size > FILE_MAX_BYTES) {
    throw ConnectorError.permanent(`Viber accepts files up to 50 MB (this one is ${size} bytes)`, { code: 'too_large', policy: true });
  }
  const fileName = fileNameWithExtension(media);
  const ext = extname(fileName).slice(1).toLowerCase();
  if (FORBIDDEN_EXT.has(ext)) {
    throw ConnectorError.permanent(`Viber does not deliver .${ext} files`, { code: 'forbidden_file_type', policy: true });
  }
  const url = mediaUrl(out, media, fileName, opts);
  return trailingText({ type: 'file', sender: opts.sender, media: url, size, file_name: fileName });
}

/**
 * The URL Viber fetches the file from. Viber checks the extension of the URL's last path segment, so Parley's
 * media route must serve `<base>/<messageId>/<any name>` by message id and ignore the name.
 */
export function mediaUrl(out: OutboundMessage, media: OutboundMediaWithUrl, name: string, opts: BuildOptions): string {
  if (media.url) return media.url;
  if (!opts.publicMediaBaseUrl) {
    throw ConnectorError.permanent('Viber takes attachments by public URL only: set "publicMediaBaseUrl" in the channel settings', {
      code: 'media_url_not_configured',
      policy: true,
    });
  }
  const base = opts.publicMediaBaseUrl.replace(/\/+$/, '');
  return `${base}/${encodeURIComponent(out.messageId)}/${encodeURIComponent(name)}`;
}

function fileNameWithExtension(media: OutboundMedia): string {
  const name = media.fileName.trim() || 'file';
  const withExt = extname(name) ? name : `${name}.${MIME_EXT[media.mimeType.toLowerCase()] ?? 'dat'}`;
  if (withExt.length <= FILE_NAME_MAX) return withExt;
  const ext = extname(withExt);
  return withExt.slice(0, FILE_NAME_MAX - ext.length) + ext;
}

function stem(fileName: string): string {
  const base = fileName.trim();
  const s = extname(base) ? base.slice(0, -extname(base).length) : base;
  return s || 'file';
}
