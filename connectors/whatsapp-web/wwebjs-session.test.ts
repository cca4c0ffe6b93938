import type { InboundMessageEvent } from '../contract';
import { parseSessionEvent } from './parse-event';
import { WhatsAppSessionError } from './session';
import { classify, serialiseMessage, WwebjsSession } from './wwebjs-session';

/**
 * The real session cannot run here (it needs Chromium and a paired phone), but the parts that do not touch the
 * browser can: the serialisation of the library's own Message class, error classification, refusals.
 */
// The typings declare Message as an interface; at runtime it is a class that builds itself from the raw model.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Message } = require('whatsapp-web.js') as { Message: new (client: unknown, data: unknown) => any };

/** A raw WhatsApp Web message model, as window.WWebJS.getMessageModel gives it. */
function rawModel(fields: Record<string, unknown>): Record<string, unknown> {
  return {
    id: { fromMe: false, remote: '4915112345678@c.us', id: '3EB0E8E1B3B9BE46AB12', _serialized: 'false_4915112345678@c.us_3EB0E8E1B3B9BE46AB12' },
    from: '4915112345678@c.us',
    to: '4915187654321@c.us',
    t: 1_767_000_000,
    notifyName: 'Erika',
    ack: 1,
    ...fields,
  };
}

const roundTrip = (raw: Record<string, unknown>) =>
  parseSessionEvent(JSON.parse(JSON.stringify({ event: 'message', session: 'c1', payload: serialiseMessage(new Message(null, raw)) })))[0];

describe('serialiseMessage → parseSessionEvent', () => {
  test('a text message', () => {
    expect(roundTrip(rawModel({ type: 'chat', body: 'Hallo, wo ist mein Paket?' }))).toMatchObject({
      type: 'message',
      externalId: 'false_4915112345678@c.us_3EB0E8E1B3B9BE46AB12',
      thread: { externalId: '4915112345678@c.us', isGroup: false },
      sender: { externalId: '4915112345678@c.us', displayName: 'Erika' },
      text: 'Hallo, wo ist mein Paket?',
      sentAt: new Date(1_767_000_000 * 1000),
    });
  });

  test('an image: the caption is the text, the thumbnail in the raw body is dropped', () => {
    const raw = rawModel({ type: 'image', body: '/9j/4AAQSkZJRgABAQ', caption: 'damaged box', directPath: '/v/t62/x', mimetype: 'image/jpeg', size: 48213 });
    const json = serialiseMessage(new Message(null, raw));
    expect(JSON.stringify(json)).not.toContain('/9j/');
    expect(roundTrip(raw)).toMatchObject({
      text: 'damaged box',
      attachments: [{ kind: 'image', mediaRef: 'false_4915112345678@c.us_3EB0E8E1B3B9BE46AB12', mimeType: 'image/jpeg', size: 48213 }],
    });
  });

  test('a location keeps coordinates, not the thumbnail the library puts in body', () => {
    const e = roundTrip(rawModel({ type: 'location', body: '/9j/4AAQSkZJRg', lat: 52.52, lng: 13.4, loc: 'Alexanderplatz\nBerlin' })) as InboundMessageEvent;
    expect(e.text).toBeNull();
    expect(e.attachments).toEqual([{ kind: 'location', latitude: 52.52, longitude: 13.4, title: 'Alexanderplatz\nBerlin' }]);
  });

  test('a group message names the author; our own message is an echo', () => {
    const group = rawModel({
      type: 'chat',
      body: 'hi',
      from: '120363039010379837@g.us',
      author: { server: 'c.us', user: '4915100000001', _serialized: '4915100000001@c.us' },
      id: { fromMe: false, remote: '120363039010379837@g.us', id: 'AB', _serialized: 'false_120363039010379837@g.us_AB_4915100000001@c.us' },
    });
    expect(roundTrip(group)).toMatchObject({ thread: { isGroup: true }, sender: { externalId: '4915100000001@c.us' } });
    const own = rawModel({
      type: 'chat',
      body: 'sent from the phone',
      id: { fromMe: true, remote: '4915112345678@c.us', id: 'CD', _serialized: 'true_4915112345678@c.us_CD' },
    });
    expect(roundTrip(own).type).toBe('ignored');
  });
});

describe('classify', () => {
  test.each([
    ['Evaluation failed: Error: No LID for user', 'not_on_whatsapp'],
    ['Evaluation failed: Error: invalid wid', 'invalid_recipient'],
    ['rate-overlimit', 'rate_limited'],
    ['Protocol error (Runtime.callFunctionOn): Target closed.', 'transient'],
    ['Execution context was destroyed, most likely because of a navigation.', 'transient'],
  ])('%s → %s', (message, kind) => {
    expect(classify(new Error(message)).kind).toBe(kind);
  });

  test('keeps an already classified error', () => {
    const err = new WhatsAppSessionError('media_unavailable', 'gone');
    expect(classify(err)).toBe(err);
  });
});

describe('WwebjsSession without a browser', () => {
  const config = { dataPath: '/tmp/parley-wwebjs-test', chromiumPath: '/usr/bin/chromium' };

  test('refuses a channel id LocalAuth cannot use as a folder name', () => {
    expect(() => new WwebjsSession('../etc', config)).toThrow(/LocalAuth/);
  });

  test('sends and downloads before start() are not_ready, not a crash', async () => {
    const session = new WwebjsSession('c1', config);
    expect(session.isReady()).toBe(false);
    await expect(session.sendText('4915112345678@c.us', 'hi')).rejects.toMatchObject({ kind: 'not_ready' });
    await expect(session.downloadMedia('false_1@c.us_A')).rejects.toMatchObject({ kind: 'not_ready' });
    await expect(session.stop()).resolves.toBeUndefined();
  });
});
