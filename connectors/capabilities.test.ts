import { captionFits, checkOutbound, textLength, type ConnectorCapabilities, type OutboundDraft } from './capabilities';
import { shippedConnectors } from './registry';

const caps = (over: Partial<ConnectorCapabilities> = {}): ConnectorCapabilities => ({
  webhook: true,
  outboundKinds: ['text', 'media'],
  outboundMedia: true,
  deliveryReceipts: false,
  readReceipts: false,
  replyWindowHours: null,
  maxOutboundMediaBytes: 1000,
  maxTextLength: 10,
  maxCaptionLength: 5,
  textLengthUnit: 'utf16',
  ...over,
});
const now = new Date('2026-11-24T12:00:00Z');
const text = (t: string): OutboundDraft => ({ kind: 'text', text: t });
const check = (c: ConnectorCapabilities, m: OutboundDraft, lastInboundAt?: Date) => checkOutbound(c, m, { lastInboundAt, now });

describe('textLength counts as the platform does', () => {
  test.each([
    // [text, utf16, codepoint, utf8]
    ['Zażółć gęślą jaźń', 17, 17, 26],
    ['Съешь же ещё', 12, 12, 22],
    ['👍', 2, 1, 4],
    ['👨‍👩‍👧', 8, 5, 18], // a family: three people joined by two zero-width joiners
    ['🇵🇱', 4, 2, 8], // a flag: two regional indicators
  ])('%s', (t, utf16, codepoint, utf8) => {
    expect(textLength(t, 'utf16')).toBe(utf16);
    expect(textLength(t, 'codepoint')).toBe(codepoint);
    expect(textLength(t, 'utf8')).toBe(utf8);
  });
});

describe('text length limits', () => {
  test('Polish text exactly at the limit goes; one character more is refused', () => {
    const c = caps({ maxTextLength: 17 });
    expect(check(c, text('Zażółć gęślą jaźń'))).toBeNull();
    expect(check(c, text('Zażółć gęślą jaźń!'))).toMatchObject({ code: 'text_too_long' });
  });

  test('Cyrillic counted in UTF-8 bytes: 2 bytes a letter', () => {
    const c = caps({ maxTextLength: 22, textLengthUnit: 'utf8' });
    expect(check(c, text('Съешь же ещё'))).toBeNull();
    const refusal = check(c, text('Съешь же ещё!'));
    expect(refusal).toMatchObject({ code: 'text_too_long' });
    expect(refusal!.reason).toBe('text is longer than the 22 bytes (UTF-8) this channel accepts');
  });

  test('an emoji is 2 UTF-16 units (Telegram) but 1 code point (WhatsApp Cloud)', () => {
    const four = '👍👍👍👍'; // 8 UTF-16 units, 4 code points
    expect(check(caps({ maxTextLength: 4, textLengthUnit: 'utf16' }), text(four))).toMatchObject({ code: 'text_too_long' });
    expect(check(caps({ maxTextLength: 4, textLengthUnit: 'codepoint' }), text(four))).toBeNull();
    expect(check(caps({ maxTextLength: 8, textLengthUnit: 'utf16' }), text(four))).toBeNull();
  });

  test('Telegram: 4,096 UTF-16 units, so 2,048 emoji fit and 2,049 do not', () => {
    const telegram = shippedConnectors.get('telegram')!.capabilities;
    expect(check(telegram, text('😀'.repeat(2048)))).toBeNull();
    expect(check(telegram, text('😀'.repeat(2049)))).toMatchObject({ code: 'text_too_long' });
  });

  test('a caption over the caption limit still goes (as a text after the file) if it fits a text message', () => {
    const c = caps();
    const media = (caption: string): OutboundDraft => ({ kind: 'media', media: { size: 10 }, caption });
    expect(captionFits(c, 'ąęść')).toBe(true);
    expect(captionFits(c, 'ąęśćź!')).toBe(false);
    expect(check(c, media('ąęśćźżółń!'))).toBeNull();
    expect(check(c, media('ąęśćźżółń!!'))).toMatchObject({ code: 'text_too_long' });
  });
});

describe('kinds and media', () => {
  test('a kind the connector does not declare is refused with a clear reason', () => {
    expect(check(caps(), { kind: 'choices', text: 'pick', choices: [{}] })).toEqual({
      code: 'unsupported_kind',
      reason: 'this channel cannot send quick-reply buttons',
    });
    expect(check(caps({ outboundKinds: ['text'], outboundMedia: false }), { kind: 'media', media: { size: 1 } })).toMatchObject({
      reason: 'this channel cannot send attachments',
    });
  });

  test('a file over the platform limit is 413; at the limit it goes', () => {
    expect(check(caps(), { kind: 'media', media: { size: 1000 } })).toBeNull();
    expect(check(caps(), { kind: 'media', media: { size: 1001 } })).toMatchObject({ code: 'media_too_large' });
  });
});

describe('reply window', () => {
  const c = caps({ replyWindowHours: 24, outboundKinds: ['text', 'media', 'template'] });
  const hoursAgo = (h: number) => new Date(now.getTime() - h * 3600_000);

  test('one millisecond inside the window goes; exactly 24 hours after is refused', () => {
    expect(check(c, text('hi'), new Date(hoursAgo(24).getTime() + 1))).toBeNull();
    expect(check(c, text('hi'), hoursAgo(24))).toMatchObject({ code: 'outside_window' });
    expect(check(c, text('hi'), hoursAgo(24))!.reason).toMatch(/24 hours ago or more.*templates/);
  });

  test('a customer who never wrote is outside the window', () => {
    expect(check(c, text('hi'))).toMatchObject({ code: 'outside_window' });
  });

  test('templates are what goes outside the window', () => {
    expect(check(c, { kind: 'template' }, hoursAgo(100))).toBeNull();
  });

  test('no window: any time', () => {
    expect(check(caps(), text('hi'), hoursAgo(10_000))).toBeNull();
  });
});

test('every shipped connector declares consistent limits', () => {
  for (const def of shippedConnectors.definitions()) {
    const c = def.capabilities;
    expect(c.maxCaptionLength).toBeLessThanOrEqual(c.maxTextLength);
    expect(c.outboundKinds).toContain('text');
    expect(['utf16', 'codepoint', 'utf8']).toContain(c.textLengthUnit);
  }
});
