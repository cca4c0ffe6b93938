import { createHmac, hkdfSync } from 'node:crypto';
import { safeEqual } from '../../connectors/shared/signature';

const EXTENSIONS: Record<string, string> = {
  'image/jpeg': '.jpg',
  'image/png': '.png',
  'image/gif': '.gif',
  'image/webp': '.webp',
  'video/mp4': '.mp4',
  'audio/mpeg': '.mp3',
  'audio/ogg': '.ogg',
  'application/pdf': '.pdf',
};

/**
 * Expiring, signed links to an agent's upload, for platforms that fetch media by URL (Viber). The link names
 * one upload and an expiry and is signed with a key derived from ENCRYPTION_KEY; it grants nothing else.
 */
export class MediaUrlSigner {
  private readonly key: Buffer;

  constructor(
    encryptionKey: Buffer,
    private readonly publicUrl: string,
    private readonly ttlMs = 24 * 3600_000,
  ) {
    this.key = Buffer.from(hkdfSync('sha256', encryptionKey, Buffer.alloc(0), 'parley media url v1', 32));
  }

  /** The link's last segment is the file name, with an extension from the type when it has none (Viber reads it). */
  url(uploadId: string, fileName: string, now = Date.now(), mimeType?: string): string {
    const expires = Math.floor((now + this.ttlMs) / 1000);
    const name = /\.[A-Za-z0-9]{1,5}$/.test(fileName) || !mimeType || !EXTENSIONS[mimeType] ? fileName : `${fileName}${EXTENSIONS[mimeType]}`;
    return `${this.publicUrl}/media/${uploadId}/${encodeURIComponent(name)}?expires=${expires}&signature=${this.sign(uploadId, expires)}`;
  }

  verify(uploadId: string, expires: string | undefined, signature: string | undefined, now = Date.now()): boolean {
    const exp = Number(expires);
    if (!Number.isInteger(exp) || exp * 1000 < now) return false;
    return safeEqual(signature, this.sign(uploadId, exp));
  }

  private sign(uploadId: string, expires: number): string {
    return createHmac('sha256', this.key).update(`${uploadId}\n${expires}`).digest('base64url');
  }
}
