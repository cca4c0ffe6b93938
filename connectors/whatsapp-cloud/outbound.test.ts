import { ConnectorError, type OutboundMedia } from '../contract';
import { assertInsideReplyWindow, assertMediaFits, assertTextFits, mediaPlan, recipientFields } from './outbound';
import { outbound } from './testing/harness';

const HOUR = 60 * 60 * 1000;
const NOW = Date.UTC(2026, 5, 1, 12, 0, 0);

describe('the 24-hour customer service window', () => {
  test.each([
    [1 * HOUR, true],
    [23.99 * HOUR, true],
    [24 * HOUR, false],
    [72 * HOUR, false],
  ])('last customer message %d ms ago → allowed %s', (ago, allowed) => {
    const check = () => assertInsideReplyWindow(new Date(NOW - ago), NOW);
    if (allowed) expect(check).not.toThrow();
    else expect(check).toThrow(expect.objectContaining({ retryable: false, policy: true, code: 'outside_window' }));
  });

  test('a customer who never wrote cannot get a free-form message', () => {
    let err: unknown;
    try {
      assertInsideReplyWindow(undefined, NOW);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConnectorError);
    expect(err).toMatchObject({ policy: true, code: 'outside_window', message: expect.stringMatching(/template/) });
  });
});

describe('addressing', () => {
  test('a phone number goes in `to`', () => {
    expect(recipientFields(outbound({ threadExternalId: '972987654321' }))).toEqual({ recipient_type: 'individual', to: '972987654321' });
  });

  test('a business-scoped user id goes in `recipient`', () => {
    expect(recipientFields(outbound({ threadExternalId: 'US.13491208655302741918' }))).toEqual({
      recipient_type: 'individual',
      recipient: 'US.13491208655302741918',
    });
  });

  test('a group thread is addressed as a group', () => {
    expect(recipientFields(outbound({ threadExternalId: '555555555', replyContext: { recipientType: 'group' } }))).toEqual({
      recipient_type: 'group',
      to: '555555555',
    });
  });
});

describe('text length', () => {
  test('4,096 characters pass, one more does not; emoji count as one', () => {
    expect(() => assertTextFits('a'.repeat(4096))).not.toThrow();
    expect(() => assertTextFits('😀'.repeat(4096))).not.toThrow();
    expect(() => assertTextFits('a'.repeat(4097))).toThrow(expect.objectContaining({ code: 'too_long', retryable: false }));
  });
});

describe('media type per file', () => {
  const media = (kind: OutboundMedia['kind'], mimeType: string, size = 10): OutboundMedia => ({
    kind,
    mimeType,
    data: Buffer.alloc(size),
    fileName: 'f',
  });

  test.each([
    ['image', 'image/jpeg', 'image'],
    ['image', 'image/png', 'image'],
    ['image', 'image/gif', 'document'],
    ['video', 'video/mp4', 'video'],
    ['video', 'video/quicktime', 'document'],
    ['animation', 'video/mp4', 'video'],
    ['voice', 'audio/ogg; codecs=opus', 'audio'],
    ['audio', 'audio/mpeg', 'audio'],
    ['audio', 'audio/wav', 'document'],
    ['sticker', 'image/webp', 'sticker'],
    ['document', 'application/pdf', 'document'],
    ['other', 'application/zip', 'document'],
  ] as const)('%s %s is sent as %s', (kind, mime, expected) => {
    expect(mediaPlan(media(kind, mime)).type).toBe(expected);
  });

  test('size limits depend on the WhatsApp type', () => {
    const big = media('image', 'image/jpeg', 5 * 1024 * 1024 + 1);
    expect(() => assertMediaFits(big, mediaPlan(big))).toThrow(expect.objectContaining({ code: 'too_large' }));
    const sameAsDocument = media('document', 'application/pdf', 5 * 1024 * 1024 + 1);
    expect(() => assertMediaFits(sameAsDocument, mediaPlan(sameAsDocument))).not.toThrow();
  });
});
