import { randomBytes } from 'node:crypto';
import { MediaUrlSigner } from './signed-url';

const signer = new MediaUrlSigner(randomBytes(32), 'https://parley.example');
const id = '3f1c2a4e-0000-4000-8000-000000000001';

function parts(url: string) {
  const u = new URL(url);
  return { name: decodeURIComponent(u.pathname.split('/').pop()!), expires: u.searchParams.get('expires')!, signature: u.searchParams.get('signature')! };
}

test('a link verifies for its upload until it expires', () => {
  const now = Date.now();
  const { expires, signature } = parts(signer.url(id, 'a.png', now));
  expect(signer.verify(id, expires, signature, now)).toBe(true);
  expect(signer.verify('3f1c2a4e-0000-4000-8000-000000000002', expires, signature, now)).toBe(false);
  expect(signer.verify(id, String(Number(expires) + 1), signature, now)).toBe(false);
  expect(signer.verify(id, expires, signature, now + 25 * 3600_000)).toBe(false);
  expect(signer.verify(id, undefined, signature, now)).toBe(false);
});

test('a file name without an extension gets one from its type; one with an extension keeps it', () => {
  expect(parts(signer.url(id, 'scan', Date.now(), 'image/png')).name).toBe('scan.png');
  expect(parts(signer.url(id, 'clip.mov', Date.now(), 'video/mp4')).name).toBe('clip.mov');
  expect(parts(signer.url(id, 'notes', Date.now(), 'text/x-unknown')).name).toBe('notes');
});

test('another key does not verify the link', () => {
  const { expires, signature } = parts(signer.url(id, 'a.png'));
  expect(new MediaUrlSigner(randomBytes(32), 'https://parley.example').verify(id, expires, signature)).toBe(false);
});
