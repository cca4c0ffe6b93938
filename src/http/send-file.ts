import { create as contentDisposition } from 'content-disposition';
import type { Response } from 'express';
import { MEDIA_CSP } from './middleware/security-headers';

/**
 * Types a browser may show inline from Parley's origin: pictures, sound and video, which run no script.
 * Everything else (text/html, image/svg+xml, PDFs, anything unknown) is served as a download: an agent's or a
 * customer's file must never become a page on Parley's origin.
 */
const INLINE_TYPES = new Set([
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'audio/ogg',
  'audio/mpeg',
  'audio/mp4',
  'audio/aac',
  'audio/webm',
  'video/mp4',
  'video/webm',
]);

// RFC 9110's token: a type that is not one (a platform's or an agent's odd string) is sent as plain bytes.
const MIME = /^[\w!#$&^.+-]{1,64}\/[\w!#$&^.+-]{1,64}$/;

/** The type to send: the stored one when it is a well-formed type/subtype (parameters dropped), lowercase. */
export function safeContentType(stored: string | null | undefined): string {
  const type = (stored ?? '').split(';')[0].trim().toLowerCase();
  return MIME.test(type) ? type : 'application/octet-stream';
}

export function isInlineType(contentType: string): boolean {
  return INLINE_TYPES.has(contentType);
}

/**
 * A stored file, as a download or (safe types only) inline, with its name in any script: RFC 6266 / 5987
 * (`filename="ASCII fallback"; filename*=UTF-8''…`), so отчёт.pdf or Łódź.png keep their names, and quotes or
 * line breaks in a name cannot split the header.
 */
export function sendStoredFile(res: Response, file: { data: Buffer; contentType: string | null | undefined; fileName: string }): void {
  const type = safeContentType(file.contentType);
  res.setHeader('content-type', type);
  const name = fileNameForHeader(file.fileName);
  res.setHeader('content-disposition', contentDisposition(name, { type: isInlineType(type) ? 'inline' : 'attachment', fallback: asciiFallback(name) }));
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('content-security-policy', MEDIA_CSP);
  res.send(file.data);
}

/** For clients that ignore filename*: accents dropped (Łódź → _odz), other letters and emoji as "_". */
function asciiFallback(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\x20-\x7e]/gu, '_');
}

/** Control characters (CR, LF, NUL...) and path separators have no place in a name the browser saves. */
function fileNameForHeader(name: string): string {
  // eslint-disable-next-line no-control-regex
  const cleaned = name.replace(/[\u0000-\u001f\u007f/\\]+/g, ' ').trim();
  return cleaned || 'file';
}
