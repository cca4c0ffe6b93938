import { extname } from 'node:path';
import { ConnectorError, type OutboundMedia } from '../contract';
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

const PICTURE_MIME = new Set(['image/jpeg', 'image/png', 'image/gif']);

/** Viber refuses these as files ("Forbidden File Formats"). */
const FORBIDDEN_EXT = new Set(
  (
    'bat bin cmd com cpl exe gadget inf1 ins inx isu job jse lnk msc msi msp mst paf pif ps1 reg rgs sct shb shs u3p ' +
    'vb vbe vbs vbscript ws wsf action app command csh osx workflow ksh out run apk ipa'
  ).split(' '),
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

export interface BuildOptions {
  sender: ViberSender;
}

/**
 * Viber checks the extension of the URL's last path segment: .jpg/.jpeg/.png/.gif for a picture, .mp4 for a video.
 * The core's URL ends with the upload's own name, so an image or video whose name lacks that extension goes as a file.
 */
const PICTURE_URL_EXT = new Set(['jpg', 'jpeg', 'png', 'gif']);

/** `out`: the text (or caption) and the file of a text or media message (textAndMedia). */
export function buildViberMessages(out: { text: string | null; media?: OutboundMedia }, opts: BuildOptions): ViberMessageBody[] {
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

  const media = out.media;
  const size = media.data.length;
  const url = publicUrlOf(media);
  const urlExt = urlExtension(url);
  const trailingText = (first: ViberMessageBody) => (text ? [first, textBody(text)] : [first]);

  if (media.kind === 'image' && PICTURE_MIME.has(media.mimeType.toLowerCase()) && size <= PICTURE_MAX_BYTES && PICTURE_URL_EXT.has(urlExt)) {
    const fits = !text || text.length <= PICTURE_CAPTION_MAX;
    // `text` is required on a picture (empty allowed); a longer caption follows as its own message.
    const picture: ViberMessageBody = { type: 'picture', sender: opts.sender, text: fits ? (text ?? '') : '', media: url };
    return fits ? [picture] : [picture, textBody(text!)];
  }
  if (media.kind === 'video' && media.mimeType.toLowerCase() === 'video/mp4' && size <= VIDEO_MAX_BYTES && urlExt === 'mp4') {
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
  return trailingText({ type: 'file', sender: opts.sender, media: url, size, file_name: fileName });
}

/**
 * The URL Viber fetches the file from: the core's signed, expiring link (`OutboundMedia.url`), used as given.
 * Viber takes media by public URL only, so without one a media reply cannot go.
 */
export function publicUrlOf(media: OutboundMedia): string {
  if (!media.url) {
    throw ConnectorError.permanent(
      "Viber takes attachments by public URL only, and Parley gave none for this file: Parley's PUBLIC_URL must be reachable from Viber",
      { code: 'media_url_not_configured', policy: true },
    );
  }
  return media.url;
}

/** The lower-cased extension of the URL's last path segment (the query string does not count), or ''. */
export function urlExtension(url: string): string {
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    return '';
  }
  const last = path.slice(path.lastIndexOf('/') + 1);
  return /\.([A-Za-z0-9]+)$/.exec(last)?.[1].toLowerCase() ?? '';
}

function fileNameWithExtension(media: OutboundMedia): string {
  const name = media.fileName.trim() || 'file';
  const withExt = extname(name) ? name : `${name}.${MIME_EXT[media.mimeType.toLowerCase()] ?? 'dat'}`;
  if (withExt.length <= FILE_NAME_MAX) return withExt;
  const ext = extname(withExt);
  return withExt.slice(0, FILE_NAME_MAX - ext.length) + ext;
}
