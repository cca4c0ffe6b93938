import { createHmac, generateKeyPairSync, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';

/**
 * Test identities and tokens shaped like the ones the Bot Framework channel service sends
 * (https://learn.microsoft.com/azure/bot-service/rest-api/bot-framework-rest-connector-authentication#connector-to-bot).
 * One key pair per process: the SDK caches fetched keys per metadata URL for 24 hours, so every fake serves the
 * same key and a reused port can never meet a stale cache.
 */
export const TEST_APP_ID = '3f2b6a1c-8d4e-4f5a-9b6c-7d8e9f0a1b2c';
export const TEST_APP_PASSWORD = 'test-app-password-not-a-secret';
export const TEST_KID = 'parley-test-signing-key';
export const CHANNEL_ISSUER = 'https://api.botframework.com';
/** An Emulator token's issuer: Entra ID v1 for the botframework.com tenant. */
export const EMULATOR_ISSUER = 'https://sts.windows.net/d6d49420-f39b-4df7-a1dc-d59a935871db/';
/** Channels the fake's key is endorsed for, as the real keys list them. */
export const ENDORSED_CHANNELS = ['msteams', 'facebook', 'skype', 'webchat', 'directline', 'emulator'];

const signingKey = generateKeyPairSync('rsa', { modulusLength: 2048 });
/** A key the fake does not publish: what a forger would sign with. */
const forgerKey = generateKeyPairSync('rsa', { modulusLength: 2048 });

export function publicJwk(endorsements?: string[]): Record<string, unknown> {
  const { n, e } = (signingKey.publicKey as KeyObject).export({ format: 'jwk' });
  return { kty: 'RSA', use: 'sig', kid: TEST_KID, n, e, ...(endorsements ? { endorsements } : {}) };
}

export interface TokenOptions {
  serviceUrl?: string;
  audience?: string;
  issuer?: string;
  /** Seconds from now; negative for an expired token. */
  expiresIn?: number;
  forged?: boolean;
  kid?: string;
  extraClaims?: Record<string, unknown>;
}

/** A channel → bot JWT for this serviceUrl, RS256-signed with the key the fake publishes (unless forged). */
export function channelToken(opts: TokenOptions = {}): string {
  const now = Math.floor(Date.now() / 1000);
  const payload: Record<string, unknown> = {
    iss: opts.issuer ?? CHANNEL_ISSUER,
    aud: opts.audience ?? TEST_APP_ID,
    nbf: now - 60,
    exp: now + (opts.expiresIn ?? 3600),
    ...(opts.serviceUrl !== undefined ? { serviceurl: opts.serviceUrl } : {}),
    ...opts.extraClaims,
  };
  const key = (opts.forged ? forgerKey : signingKey).privateKey;
  return jwt.sign(payload, key, { algorithm: 'RS256', keyid: opts.kid ?? TEST_KID, noTimestamp: true });
}

/** An Emulator token (Entra v1): issuer from Entra, `appid` and `aud` both the bot's app id. */
export function emulatorToken(opts: { forged?: boolean } = {}): string {
  return channelToken({ issuer: EMULATOR_ISSUER, forged: opts.forged, extraClaims: { ver: '1.0', appid: TEST_APP_ID } });
}

/** `alg: none`: must never pass, whatever the claims. */
export function unsignedToken(serviceUrl: string): string {
  const now = Math.floor(Date.now() / 1000);
  return `${enc({ alg: 'none', typ: 'JWT', kid: TEST_KID })}.${enc({ iss: CHANNEL_ISSUER, aud: TEST_APP_ID, serviceurl: serviceUrl, exp: now + 3600 })}.`;
}

/** HS256 keyed with the public key's PEM: the classic algorithm-confusion forgery. */
export function confusedToken(serviceUrl: string): string {
  const pem = (signingKey.publicKey as KeyObject).export({ type: 'spki', format: 'pem' }).toString();
  const now = Math.floor(Date.now() / 1000);
  const head = `${enc({ alg: 'HS256', typ: 'JWT', kid: TEST_KID })}.${enc({ iss: CHANNEL_ISSUER, aud: TEST_APP_ID, serviceurl: serviceUrl, exp: now + 3600 })}`;
  return `${head}.${createHmac('sha256', pem).update(head).digest('base64url')}`;
}

function enc(o: unknown): string {
  return Buffer.from(JSON.stringify(o)).toString('base64url');
}
