import { ConnectorError, type OutboundMedia } from '../contract';
import { buildViberMessages, FILE_MAX_BYTES, PICTURE_MAX_BYTES, urlExtension } from './outbound';

/** The pure builder: which Viber message type each reply becomes, and the limits checked before any call. */
const sender = { name: 'Support' };
/** Shaped like the core's signed link: the upload's name as the last path segment, then the signature. */
const linkTo = (name: string) => `https://parley.example.com/media/0b6f2c1e/${encodeURIComponent(name)}?expires=1900000000&signature=abc.def`;
const build = (text: string | null, media?: OutboundMedia) => buildViberMessages({ text, media }, { sender });
/** An attachment as the core gives it, with its signed URL (unless `url` says otherwise). */
const media = (kind: OutboundMedia['kind'], mimeType: string, fileName: string, size = 10): OutboundMedia => ({
  kind,
  mimeType,
  fileName,
  data: Buffer.alloc(size),
  url: linkTo(fileName),
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

test('picture: the URL is the one the core gave, used as given; caption up to 768 inside, a longer one as a second message', () => {
  expect(build('c'.repeat(768), media('image', 'image/jpeg', 'a.JPG'))).toEqual([{ type: 'picture', sender, text: 'c'.repeat(768), media: linkTo('a.JPG') }]);
  const two = build('c'.repeat(769), media('image', 'image/jpeg', 'a.jpg'));
  expect(two.map((m) => [m.type, m.text])).toEqual([
    ['picture', ''],
    ['text', 'c'.repeat(769)],
  ]);
  // No caption: Viber still wants the field, empty.
  expect(build(null, media('image', 'image/gif', 'g.gif'))[0].text).toBe('');
});

test('images Viber cannot show as a picture go as files', () => {
  expect(build(null, media('image', 'image/webp', 'a.webp'))[0]).toMatchObject({ type: 'file', file_name: 'a.webp', media: linkTo('a.webp') });
  expect(build(null, media('image', 'image/png', 'big.png', PICTURE_MAX_BYTES + 1))[0].type).toBe('file');
  expect(build(null, media('animation', 'image/gif', 'anim.gif'))[0].type).toBe('file');
});

test("a picture or video whose link does not end in Viber's extension for it goes as a file (Viber checks the URL)", () => {
  // The core's link ends with the upload's name: without .png, Viber would refuse it as a picture.
  expect(build(null, media('image', 'image/png', 'scan'))[0]).toMatchObject({ type: 'file', file_name: 'scan.png', media: linkTo('scan') });
  expect(build(null, media('image', 'image/jpeg', 'photo.heic'))[0].type).toBe('file');
  expect(build(null, media('video', 'video/mp4', 'clip.mov'))[0]).toMatchObject({ type: 'file', file_name: 'clip.mov' });
});

test('video: mp4 as a video with its size, anything else as a file; text follows', () => {
  const [video, text] = build('look', media('video', 'video/mp4', 'clip.MP4', 500));
  expect(video).toEqual({ type: 'video', sender, media: linkTo('clip.MP4'), size: 500 });
  expect(text).toEqual({ type: 'text', sender, text: 'look' });
  expect(build(null, media('video', 'video/quicktime', 'clip.mov'))[0].type).toBe('file');
});

test('files: name gets an extension when it has none, size and forbidden types are checked', () => {
  expect(build(null, media('document', 'application/pdf', 'contract'))[0]).toMatchObject({
    type: 'file',
    file_name: 'contract.pdf',
    media: linkTo('contract'),
  });
  expect(build(null, media('audio', 'audio/x-unknown', 'noise'))[0].file_name).toBe('noise.dat');
  const long = build(null, media('document', 'text/plain', `${'n'.repeat(300)}.txt`))[0].file_name as string;
  expect(long).toHaveLength(256);
  expect(long.endsWith('.txt')).toBe(true);
  expect(codeOf(() => build(null, media('document', 'application/octet-stream', 'setup.EXE')))).toBe('forbidden_file_type');
  expect(codeOf(() => build(null, media('document', 'application/pdf', 'a.pdf', FILE_MAX_BYTES + 1)))).toBe('too_large');
});

test('media without a URL from the core is a clear permanent error, whatever the type', () => {
  for (const m of [
    { ...media('image', 'image/png', 'a.png'), url: undefined },
    { ...media('video', 'video/mp4', 'a.mp4'), url: undefined },
    { ...media('document', 'application/pdf', 'a.pdf'), url: undefined },
    { ...media('image', 'image/png', 'a.png'), url: '' },
  ]) {
    let err: unknown;
    try {
      build('caption', m);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConnectorError);
    expect(err).toMatchObject({ retryable: false, code: 'media_url_not_configured' });
    expect((err as Error).message).toContain('public URL');
  }
});

test("urlExtension reads the last path segment's extension, never the query string", () => {
  expect(urlExtension('https://p.example/media/id/Photo.JPG?expires=1&signature=a.png')).toBe('jpg');
  expect(urlExtension('https://p.example/media/id/scan?name=x.png')).toBe('');
  expect(urlExtension('https://p.example/media/id.png/scan')).toBe('');
  expect(urlExtension('https://p.example/media/id/a%20b.pdf')).toBe('pdf');
  expect(urlExtension('not a url')).toBe('');
});
