import { join } from 'node:path';
import type { InboundEvent, InboundMessageEvent } from '../contract';
import { loadFixtureCases, type FixtureCase } from '../shared/testing/fixtures';
import { parseSessionEvent } from './parse-event';

/**
 * Table-driven: every file in fixtures/ against its Expected line in fixtures/SOURCES.md.
 *
 * Deliberate deviation: the Expected lines describe messages sent FROM this account (fromMe true, or an id
 * starting `true_`) as if they were inbound. Parley ignores those as echoes (design: echoes of our own messages
 * are never inbound). For those fixtures the table checks the echo is ignored, and then checks the Expected
 * normalisation on the same payload marked as received (`fromMe: false`), so the mapping is still tested.
 * The exception is the group echo (wechaty-...-fromme-remote-object): its `from` is our own number, so as a
 * received message it would have no author; only the echo check and the remote-object chat id apply there.
 */
const cases = loadFixtureCases(join(__dirname, 'fixtures'));

/** The Expected lines give the WAHA media's MIME type as the attachment. */
const ATTACHMENT_KIND: Record<string, string> = { 'image/jpeg': 'image', 'application/pdf': 'document' };
/** WAHA / whatsapp-web.js ack values → Parley's status. */
const ACK_STATUS: Record<number, string> = { 1: 'sent', 2: 'delivered', 3: 'read', 4: 'read' };

function json(c: FixtureCase): any {
  return JSON.parse(c.raw.toString('utf8'));
}

/** The same payload as if someone else had sent it. */
function asReceived(body: any): any {
  const copy = structuredClone(body);
  if (copy.event) copy.payload.fromMe = false;
  else copy.fromMe = false;
  return copy;
}

test('every fixture has an expectation', () => {
  expect(cases).toHaveLength(10);
});

describe.each(cases.map((c) => [c.file, c] as const))('%s', (_file, c) => {
  const x = c.expected as Record<string, any>;
  const kind = String(x.kind);
  const events = parseSessionEvent(json(c));

  test('gives exactly one event', () => {
    expect(events).toHaveLength(1);
  });
  const e = events[0];

  if (kind === 'waha:message.ack') {
    test('is a delivery status of our message', () => {
      expect(e).toEqual({ type: 'status', platformMessageId: x.message_id, status: ACK_STATUS[x.ack], recipientExternalId: x.chat_id });
    });
    return;
  }
  if (kind === 'waha:message.reaction' || kind === 'waha:message.revoked') {
    test('is ignored, not a message', () => {
      expect(e.type).toBe('ignored');
    });
    return;
  }

  const echo = x.fromMe === true || String(x.message_id).startsWith('true_');
  if (echo) {
    test('is an echo of our own message: ignored', () => {
      expect(e).toMatchObject({ type: 'ignored', reason: expect.stringContaining('echo') });
    });
    if (String(x.chat_id).endsWith('@g.us')) return;
    describe('as if received', () => expectMessage(() => parseSessionEvent(asReceived(json(c)))[0], x));
    return;
  }
  expectMessage(() => e, x);
});

function expectMessage(get: () => InboundEvent, x: Record<string, any>): void {
  const msg = () => get() as InboundMessageEvent;

  test('is a message', () => {
    expect(get().type).toBe('message');
  });
  test('has the sender', () => {
    expect(msg().sender.externalId).toBe(x.sender_id);
    expect(msg().sender.displayName).toBe(x.sender_name);
  });
  test('has the thread to reply into', () => {
    expect(msg().thread).toEqual({ externalId: x.chat_id, isGroup: String(x.chat_id).endsWith('@g.us') });
  });
  test('has the text', () => {
    expect(msg().text).toBe(x.text ?? null);
  });
  test('has the dedupe key', () => {
    expect(msg().externalId).toBe(x.message_id);
  });
  test('has the attachment', () => {
    if (x.attachment === null || x.attachment === undefined) expect(msg().attachments).toEqual([]);
    else {
      expect(msg().attachments).toHaveLength(1);
      expect(msg().attachments[0]).toMatchObject({ kind: ATTACHMENT_KIND[x.attachment], mimeType: x.attachment, mediaRef: x.message_id });
    }
  });
  test('has the time it was sent', () => {
    expect(msg().sentAt?.getTime()).toBe(Number(x.timestamp) * 1000);
  });
}

describe('details the Expected lines do not cover', () => {
  const byFile = (f: string) => json(cases.find((c) => c.file === f)!);

  test('the echo with an object id.remote still names the group as its chat', () => {
    // Marked as received with an author, the remote-object id gives the group chat.
    const body = { ...byFile('wechaty-wwebjs-group-msg-fromme-remote-object.json'), fromMe: false, author: '4915100000001@c.us' };
    expect(parseSessionEvent(body)[0]).toMatchObject({
      type: 'message',
      thread: { externalId: '120363039010379837@g.us', isGroup: true },
      sender: { externalId: '4915100000001@c.us' },
    });
  });

  test('a group message without author falls back to the participant in its id', () => {
    const body = byFile('wechaty-wwebjs-group-msg-from-other-contact.json');
    delete body.author;
    expect(parseSessionEvent(body)[0]).toMatchObject({ sender: { externalId: '8618500946096@c.us' } });
  });

  test('a @c.us sender keeps the phone number on the identity', () => {
    expect(parseSessionEvent(byFile('wechaty-wwebjs-direct-msg-from-other-contact.json'))[0]).toMatchObject({
      sender: { profile: { phone: '+8618500946096' } },
    });
  });

  test('a @lid sender (WhatsApp hides the number) is kept as is, without a phone', () => {
    const body = { ...byFile('wechaty-wwebjs-direct-msg-from-other-contact.json'), from: '201234567890123@lid' };
    body.id = { ...body.id, remote: '201234567890123@lid', _serialized: 'false_201234567890123@lid_157D906AC6B04EA8' };
    const e = parseSessionEvent(body)[0] as InboundMessageEvent;
    expect(e.thread.externalId).toBe('201234567890123@lid');
    expect(e.sender).toEqual({ externalId: '201234567890123@lid' });
  });

  test('our own envelope carries a message the same way', () => {
    const payload = byFile('wechaty-wwebjs-direct-msg-from-other-contact.json');
    expect(parseSessionEvent({ event: 'message', session: 'c1', payload })).toEqual(parseSessionEvent(payload));
  });

  test('a message from our own account in message.any is an echo', () => {
    const payload = { ...byFile('wechaty-wwebjs-direct-msg-from-other-contact.json'), fromMe: true };
    expect(parseSessionEvent({ event: 'message.any', payload })[0]).toMatchObject({ type: 'ignored', reason: expect.stringContaining('echo') });
  });

  test('unknown session events and message types are ignored', () => {
    expect(parseSessionEvent({ event: 'group_join', payload: {} })[0].type).toBe('ignored');
    const base = byFile('wechaty-wwebjs-direct-msg-from-other-contact.json');
    for (const type of ['revoked', 'e2e_notification', 'ciphertext', 'call_log', 'poll_creation']) {
      expect(parseSessionEvent({ ...base, type })[0]).toMatchObject({ type: 'ignored', reason: expect.stringContaining(type) });
    }
  });

  test('status updates and channel posts are not customer messages', () => {
    const base = byFile('wechaty-wwebjs-direct-msg-from-other-contact.json');
    const status = { ...base, from: 'status@broadcast', author: '8618500946096@c.us', id: { ...base.id, remote: 'status@broadcast' } };
    const channel = { ...base, from: '1203630000@newsletter', id: { ...base.id, remote: '1203630000@newsletter' } };
    expect(parseSessionEvent(status)[0]).toMatchObject({ type: 'ignored', reason: expect.stringContaining('status') });
    expect(parseSessionEvent(channel)[0]).toMatchObject({ type: 'ignored', reason: expect.stringContaining('channel') });
  });

  test('ignoreGroups drops group messages and keeps one-to-one chats', () => {
    expect(parseSessionEvent(byFile('wechaty-wwebjs-group-msg-from-other-contact.json'), { ignoreGroups: true })[0].type).toBe('ignored');
    expect(parseSessionEvent(byFile('wechaty-wwebjs-direct-msg-from-other-contact.json'), { ignoreGroups: true })[0].type).toBe('message');
  });

  test('malformed input is unparseable, not a crash', () => {
    expect(() => parseSessionEvent([])).toThrow('JSON object');
    expect(() => parseSessionEvent({ hello: 1 })).toThrow('neither');
    expect(() => parseSessionEvent({ event: 'message' })).toThrow('payload');
    expect(() => parseSessionEvent({ event: 'message', payload: { body: 'hi' } })).toThrow('id');
    expect(() => parseSessionEvent({ event: 'message_ack', payload: { id: 'true_1@c.us_A' } })).toThrow('ack');
    expect(() => parseSessionEvent({ id: 'not-a-serialised-id', body: 'hi' })).toThrow('chat');
  });
});
