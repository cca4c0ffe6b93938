import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * Password hashing with scrypt (node:crypto; no native dependency) at OWASP's recommended cost
 * (https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html#scrypt: N=2^17, r=8, p=1).
 * Stored as scrypt$N$r$p$<salt>$<hash>: a hash is verified with the parameters it was made with, so older,
 * cheaper hashes keep working, and `needsRehash` tells log-in to replace them.
 */
export const PASSWORD_PARAMS = { N: 2 ** 17, r: 8, p: 1 };
const KEY_LENGTH = 64;

interface Params {
  N: number;
  r: number;
  p: number;
}

function derive(password: string, salt: Buffer, opts: Params): Promise<Buffer> {
  // scrypt needs 128·N·r bytes; node's default ceiling (32 MiB) is below that at N=2^17.
  const options: ScryptOptions = { ...opts, maxmem: 128 * opts.N * opts.r * 2 };
  return new Promise((resolve, reject) => scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, options, (err, key) => (err ? reject(err) : resolve(key))));
}

export async function hashPassword(password: string, params: Params = PASSWORD_PARAMS): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, params);
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64'), key.toString('base64')].join('$');
}

/** The parameters a stored hash was made with, or null when it is not one of ours (or out of sane bounds). */
function parse(stored: string): { params: Params; salt: Buffer; hash: Buffer } | null {
  const [scheme, n, r, p, salt, hash, ...rest] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash || rest.length) return null;
  const params = { N: Number(n), r: Number(r), p: Number(p) };
  const powerOfTwo = Number.isInteger(params.N) && params.N >= 2 && params.N <= 2 ** 20 && (params.N & (params.N - 1)) === 0;
  if (!powerOfTwo || !Number.isInteger(params.r) || params.r < 1 || params.r > 32 || !Number.isInteger(params.p) || params.p < 1 || params.p > 16) return null;
  return { params, salt: Buffer.from(salt, 'base64'), hash: Buffer.from(hash, 'base64') };
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parse(stored);
  if (!parsed) return false;
  const key = await derive(password, parsed.salt, parsed.params);
  return key.length === parsed.hash.length && timingSafeEqual(key, parsed.hash);
}

/** True when a stored hash is weaker than today's parameters (log-in then stores a new one). */
export function needsRehash(stored: string): boolean {
  const parsed = parse(stored);
  if (!parsed) return false;
  const { N, r, p } = parsed.params;
  return N < PASSWORD_PARAMS.N || r < PASSWORD_PARAMS.r || p < PASSWORD_PARAMS.p;
}

/** A hash to verify against when the account does not exist, so timing does not reveal which emails exist. */
export const DUMMY_PASSWORD_HASH = [
  'scrypt',
  PASSWORD_PARAMS.N,
  PASSWORD_PARAMS.r,
  PASSWORD_PARAMS.p,
  'AAAAAAAAAAAAAAAAAAAAAA==',
  Buffer.alloc(KEY_LENGTH).toString('base64'),
].join('$');
