import { randomBytes } from 'node:crypto';
import { DUMMY_PASSWORD_HASH, PASSWORD_PARAMS, hashPassword, needsRehash, verifyPassword } from './password';
import { SecretBox } from './secret-box';
import { hashToken, newToken } from './tokens';

test('sealed credentials open with the same key only', () => {
  const box = new SecretBox(randomBytes(32));
  const sealed = box.seal({ botToken: '123:abc' });
  expect(sealed).not.toContain('123:abc');
  expect(box.open(sealed)).toEqual({ botToken: '123:abc' });
  expect(() => new SecretBox(randomBytes(32)).open(sealed)).toThrow();
});

test('a tampered ciphertext is refused', () => {
  const box = new SecretBox(randomBytes(32));
  const [v, iv, tag, data] = box.seal({ a: 1 }).split('.');
  const flipped = Buffer.from(data, 'base64url');
  flipped[0] ^= 1;
  expect(() => box.open([v, iv, tag, flipped.toString('base64url')].join('.'))).toThrow();
});

test('passwords are hashed with a salt and verified', async () => {
  const a = await hashPassword('correct horse battery');
  const b = await hashPassword('correct horse battery');
  expect(a).not.toBe(b);
  expect(a).not.toContain('correct horse');
  expect(await verifyPassword('correct horse battery', a)).toBe(true);
  expect(await verifyPassword('wrong horse battery', a)).toBe(false);
  expect(await verifyPassword('anything', DUMMY_PASSWORD_HASH)).toBe(false);
  expect(await verifyPassword('anything', 'not-a-hash')).toBe(false);
});

test('tokens are random and only their hash is kept', () => {
  const t = newToken();
  expect(t).not.toBe(newToken());
  expect(hashToken(t)).toMatch(/^[0-9a-f]{64}$/);
  expect(hashToken(t)).not.toContain(t);
});

test("new hashes use OWASP's scrypt cost; older, cheaper ones still verify and are marked for rehashing", async () => {
  const current = await hashPassword('Zażółć gęślą jaźń');
  expect(current.split('$').slice(0, 4)).toEqual(['scrypt', '131072', '8', '1']);
  expect(PASSWORD_PARAMS).toEqual({ N: 2 ** 17, r: 8, p: 1 });
  expect(await verifyPassword('Zażółć gęślą jaźń', current)).toBe(true);
  expect(needsRehash(current)).toBe(false);

  // A hash as earlier versions stored it (N=2^15).
  const legacy = await hashPassword('Съешь же ещё этих булок', { N: 2 ** 15, r: 8, p: 1 });
  expect(legacy.startsWith('scrypt$32768$8$1$')).toBe(true);
  expect(await verifyPassword('Съешь же ещё этих булок', legacy)).toBe(true);
  expect(await verifyPassword('Съешь же ещё этих булок!', legacy)).toBe(false);
  expect(needsRehash(legacy)).toBe(true);
  expect(DUMMY_PASSWORD_HASH.startsWith('scrypt$131072$8$1$')).toBe(true);
});

test('hashes with absurd parameters are refused rather than computed', async () => {
  expect(await verifyPassword('x', 'scrypt$3$8$1$AAAA$AAAA')).toBe(false);
  expect(await verifyPassword('x', `scrypt$${2 ** 30}$8$1$AAAA$AAAA`)).toBe(false);
});
