import { hmacSha256Hex, safeEqual } from '../shared/signature';

/** `sha256=<hex HMAC-SHA256 of the exact body bytes>`, as the header carries it both ways. */
export function sandboxSignature(secret: string, body: Buffer | string): string {
  return `sha256=${hmacSha256Hex(secret, body)}`;
}

export function verifySandboxSignature(secret: string, body: Buffer, header: string | undefined): boolean {
  return safeEqual(header, sandboxSignature(secret, body));
}
