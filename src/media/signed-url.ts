import { createHmac, hkdfSync } from 'node:crypto';
import { safeEqual } from '../../connectors/shared/signature';

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

  url(uploadId: string, fileName: string, now = Date.now()): string {
    const expires = Math.floor((now + this.ttlMs) / 1000);
    return `${this.publicUrl}/media/${uploadId}/${encodeURIComponent(fileName)}?expires=${expires}&signature=${this.sign(uploadId, expires)}`;
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
