import { ConnectorError, type OutboundMedia, type OutboundMessage } from '../contract';
import { buildViberMessages, FILE_MAX_BYTES, PICTURE_MAX_BYTES, type OutboundMediaWithUrl } from './outbound';

/** The pure builder: which Viber message type each reply becomes, and the limits checked before any call. */
const sender = { name: 'Support' };
const base = 'https://parley.example.com/m';
const build = (text: string | null, media?: OutboundMedia, opts: { publicMediaBaseUrl?: string } = { publicMediaBaseUrl: base }) =>
  buildViberMessages({ messageId: 'id-1', threadExternalId: 'u', recipientExternalId: 'u', text, media } as OutboundMessage, {
    sender,
    ...opts,
  });
const media = (kind: OutboundMedia['kind'], mimeType: string, fileName: string, size = 10): OutboundMedia => ({
  kind,
  mimeType,
  fileName,
  data: Buffer.alloc(size),
});
const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ConnectorError);
    return (e as ConnectorError).code;
  }
  throw new Error('expected a ConnectorError');
};

test('text: at most 7000 characters', () => {
  expect(build('x'.repeat(7000))).toEqual([{ type: 'text', sender, text: 'x'.repeat(7000) }]);
  expect(codeOf(() => build('x'.repeat(7001)))).toBe('text_too_long');
});

test('picture: caption up to 768 inside, a longer one as a second message', () => {
  expect(build('c'.repeat(768), media('image', 'image/jpeg', 'a.JPG'))).toEqual([
    { type: 'picture', sender, text: 'c'.repeat(768), media: `${base}/id-1/a.jpg` },
  ]);
  const two = build('c'.repeat(769), media('image', 'image/jpeg', 'a.jpg'));
  expect(two.map((m) => [m.type, m.text])).toEqual([
    ['picture', ''],
    ['text', 'c'.repeat(769)],
  ]);
  // No caption: Viber still wants the field, empty.
  expect(build(null, media('image', 'image/gif', 'g.gif'))[0].text).toBe('');
});

test('images Viber cannot show as a picture go as files', () => {
  expect(build(null, media('image', 'image/webp', 'a.webp'))[0]).toMatchObject({ type: 'file', file_name: 'a.webp' });
  expect(build(null, media('image', 'image/png', 'big.png', PICTURE_MAX_BYTES + 1))[0].type).toBe('file');
  expect(build(null, media('animation', 'image/gif', 'anim.gif'))[0].type).toBe('file');
});

test('video: mp4 as a video with its size, anything else as a file; text follows', () => {
  const [video, text] = build('look', media('video', 'video/mp4', 'clip.MP4', 500));
  expect(video).toEqual({ type: 'video', sender, media: `${base}/id-1/clip.mp4`, size: 500 });
  expect(text).toEqual({ type: 'text', sender, text: 'look' });
  expect(build(null, media('video', 'video/quicktime', 'clip.mov'))[0].type).toBe('file');
});

test('files: name gets an extension when it has none, size and forbidden types are checked', () => {
  expect(build(null, media('document', 'application/pdf', 'contract'))[0]).toMatchObject({
    file_name: 'contract.pdf',
    media: `${base}/id-1/contract.pdf`,
  });
  expect(build(null, media('audio', 'audio/x-unknown', 'noise'))[0].file_name).toBe('noise.dat');
  const long = build(null, media('document', 'text/plain', `${'n'.repeat(300)}.txt`))[0].file_name as string;
  expect(long).toHaveLength(256);
  expect(long.endsWith('.txt')).toBe(true);
  expect(codeOf(() => build(null, media('document', 'application/octet-stream', 'setup.EXE')))).toBe('forbidden_file_type');
  expect(codeOf(() => build(null, media('document', 'application/pdf', 'a.pdf', FILE_MAX_BYTES + 1)))).toBe('too_large');
});

test('a URL given with the media (proposed contract field) wins over publicMediaBaseUrl', () => {
  const withUrl: OutboundMediaWithUrl = { ...media('image', 'image/png', 'a.png'), url: 'https://cdn.example.com/x/a.png' };
  expect(build(null, withUrl, {})[0].media).toBe('https://cdn.example.com/x/a.png');
  expect(codeOf(() => build(null, media('image', 'image/png', 'a.png'), {}))).toBe('media_url_not_configured');
});

test('the message id is escaped in the URL', () => {
  const [m] = buildViberMessages(
    { messageId: 'a/b?c', threadExternalId: 'u', recipientExternalId: 'u', text: null, media: media('image', 'image/png', 'x.png') },
    { sender, publicMediaBaseUrl: `${base}/` },
  );
  expect(m.media).toBe(`${base}/a%2Fb%3Fc/x.png`);
});
