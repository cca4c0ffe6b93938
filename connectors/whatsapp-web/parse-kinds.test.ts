import type { InboundMessageEvent, InboundStatusEvent } from '../contract';
import { contactFromVCard } from './parse-attachments';
import { parseSessionEvent } from './parse-event';

/** Message kinds and receipts the fixtures do not contain, as whatsapp-web.js serialises them. */
function incoming(fields: Record<string, unknown>): Record<string, unknown> {
  return {
    id: { fromMe: false, remote: '4915112345678@c.us', id: '3EB0AAAA', _serialized: 'false_4915112345678@c.us_3EB0AAAA' },
    from: '4915112345678@c.us',
    to: '4915187654321@c.us',
    fromMe: false,
    timestamp: 1_767_000_000,
    body: '',
    hasMedia: false,
    _data: { notifyName: 'Erika' },
    ...fields,
  };
}

const one = (body: unknown) => parseSessionEvent(body)[0] as InboundMessageEvent;

describe('media', () => {
  test('a voice note (ptt) is a voice attachment fetched by message id', () => {
    const e = one(incoming({ type: 'ptt', hasMedia: true, _data: { mimetype: 'audio/ogg; codecs=opus', size: 5120 } }));
    expect(e.attachments).toEqual([{ kind: 'voice', mediaRef: 'false_4915112345678@c.us_3EB0AAAA', mimeType: 'audio/ogg; codecs=opus', size: 5120 }]);
    expect(e.text).toBeNull();
    expect(e.platformKind).toBe('ptt');
  });

  test('an image keeps its caption as text and a document its file name', () => {
    const image = one(incoming({ type: 'image', hasMedia: true, body: 'my receipt', _data: { mimetype: 'image/jpeg' } }));
    expect(image.text).toBe('my receipt');
    expect(image.attachments[0]).toMatchObject({ kind: 'image', mimeType: 'image/jpeg' });
    const doc = one(incoming({ type: 'document', hasMedia: true, _data: { mimetype: 'application/pdf', filename: 'bill.pdf' } }));
    expect(doc.attachments[0]).toMatchObject({ kind: 'document', fileName: 'bill.pdf' });
  });

  test('a GIF (a video flagged isGif) is an animation; stickers and audio map to their kinds', () => {
    expect(one(incoming({ type: 'video', hasMedia: true, isGif: true })).attachments[0].kind).toBe('animation');
    expect(one(incoming({ type: 'video', hasMedia: true })).attachments[0].kind).toBe('video');
    expect(one(incoming({ type: 'sticker', hasMedia: true })).attachments[0].kind).toBe('sticker');
    expect(one(incoming({ type: 'audio', hasMedia: true })).attachments[0].kind).toBe('audio');
  });

  test('media no longer downloadable (hasMedia false) keeps its kind but no reference', () => {
    const e = one(incoming({ type: 'image', hasMedia: false }));
    expect(e.attachments).toEqual([{ kind: 'image' }]);
  });

  test('the raw model body of a media message (a thumbnail) is not taken as text', () => {
    const e = one(incoming({ type: 'image', hasMedia: true, body: undefined, _data: { body: '/9j/4AAQSkZJRgABAQ', caption: 'look' } }));
    expect(e.text).toBe('look');
  });
});

describe('location and contacts', () => {
  test('a location has coordinates and a title, and its body (a JPEG thumbnail) is not text', () => {
    const e = one(
      incoming({
        type: 'location',
        body: '/9j/4AAQSkZJRgABAQAAAQABAAD',
        location: { latitude: 52.5163, longitude: 13.3777, description: 'Brandenburger Tor\nPariser Platz' },
      }),
    );
    expect(e.text).toBeNull();
    expect(e.attachments).toEqual([{ kind: 'location', latitude: 52.5163, longitude: 13.3777, title: 'Brandenburger Tor\nPariser Platz' }]);
  });

  test('a location from the raw model (lat, lng, loc)', () => {
    const e = one(incoming({ type: 'location', _data: { lat: '-0.22', lng: '-78.51', loc: 'Quito\nEcuador' } }));
    expect(e.attachments[0]).toEqual({ kind: 'location', latitude: -0.22, longitude: -78.51, title: 'Quito' });
  });

  test('a contact card is a contact attachment, not the sender', () => {
    const vcard = 'BEGIN:VCARD\nVERSION:3.0\nN:Taxi;Adolf;;;\nFN:Adolf Taxi\nTEL;type=CELL;type=VOICE;waid=250788531373:+250 788 531 373\nEND:VCARD';
    const e = one(incoming({ type: 'vcard', body: vcard, vCards: [vcard] }));
    expect(e.attachments).toEqual([{ kind: 'contact', title: 'Adolf Taxi', phone: '+250788531373' }]);
    expect(e.sender.externalId).toBe('4915112345678@c.us');
    expect(e.text).toBeNull();
  });

  test('several cards give several contacts; a number without WhatsApp keeps its written form', () => {
    const a = 'BEGIN:VCARD\r\nFN:Ana\r\nitem1.TEL:+34 600 000 000\r\nEND:VCARD';
    const b = 'BEGIN:VCARD\nFN:Bo\nEND:VCARD';
    expect(one(incoming({ type: 'multi_vcard', vCards: [a, b] })).attachments).toEqual([
      { kind: 'contact', title: 'Ana', phone: '+34 600 000 000' },
      { kind: 'contact', title: 'Bo' },
    ]);
    expect(contactFromVCard('FN;CHARSET=UTF-8:Jürgen\nTEL;waid=49301234:+49 30 1234')).toEqual({ kind: 'contact', title: 'Jürgen', phone: '+49301234' });
  });

  test('a type named like an Object property is just an unknown type', () => {
    for (const type of ['constructor', 'toString', '__proto__']) {
      expect(parseSessionEvent(incoming({ type }))[0]).toEqual({ type: 'ignored', reason: `message type ${type} is not supported` });
    }
  });

  test('a button or list reply carries its title as text', () => {
    expect(one(incoming({ type: 'buttons_response', body: 'Yes, please', selectedButtonId: 'yes' })).text).toBe('Yes, please');
    expect(one(incoming({ type: 'list_response', body: 'Opening hours' })).text).toBe('Opening hours');
  });
});

describe('receipts (message_ack)', () => {
  const ackOf = (ack: number) => parseSessionEvent({ event: 'message_ack', session: 'c1', payload: { id: 'true_4915112345678@c.us_3EB0BBBB', ack } })[0];

  test.each([
    [1, 'sent'],
    [2, 'delivered'],
    [3, 'read'],
    [4, 'read'], // played (voice notes): read is the furthest Parley knows
  ])('ack %d is %s', (ack, status) => {
    expect(ackOf(ack)).toEqual({
      type: 'status',
      platformMessageId: 'true_4915112345678@c.us_3EB0BBBB',
      status,
      recipientExternalId: '4915112345678@c.us',
    });
  });

  test('ack -1 is failed, with a reason for the agent', () => {
    const e = ackOf(-1) as InboundStatusEvent;
    expect(e.status).toBe('failed');
    expect(e.error).toMatch(/error/);
  });

  test('ack 0 (pending) changes nothing', () => {
    expect(ackOf(0).type).toBe('ignored');
  });

  test('a group receipt names no single recipient', () => {
    const e = parseSessionEvent({ event: 'message_ack', payload: { id: 'true_120363039010379837@g.us_3EB0CCCC', ack: 3 } })[0];
    expect(e).toEqual({ type: 'status', platformMessageId: 'true_120363039010379837@g.us_3EB0CCCC', status: 'read' });
  });

  test("a receipt for someone else's message is ignored", () => {
    const e = parseSessionEvent({ event: 'message.ack', payload: { id: 'false_4915112345678@c.us_3EB0DDDD', ack: 3 } })[0];
    expect(e.type).toBe('ignored');
  });
});
