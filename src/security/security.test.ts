import { randomBytes } from 'node:crypto';
import { DUMMY_PASSWORD_HASH, hashPassword, verifyPassword } from './password';
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
