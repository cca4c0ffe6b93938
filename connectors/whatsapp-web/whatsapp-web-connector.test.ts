import { ConnectorError, outboundMessageSchema, type Connector, type OutboundMessage } from '../contract';
import { createWhatsAppWebDefinition } from './index';
import { SessionRegistry } from './session';
import { signedSessionRequest, SESSION_SIGNATURE_HEADER } from './session-events';
import { chatIdFor } from './whatsapp-web-connector';
import { FakeWhatsAppSession } from './testing/fake-session';
import { FakeWhatsAppWeb } from './testing/fake-whatsapp-web';
import { outboundOf } from '../shared/testing/outbound';

const SECRET = 'connector-test-secret-0123456789abcdef';
const CUSTOMER = '4915112345678@c.us';

let fake: FakeWhatsAppWeb;
let registry: SessionRegistry;
let session: FakeWhatsAppSession;
let connector: Connector;

function connect(settings = { ignoreGroups: false }): Connector {
  return createWhatsAppWebDefinition(registry).create({
    id: 'wa1',
    name: 'support phone',
    webhookId: 'w1',
    credentials: { sessionSecret: SECRET },
    settings,
  });
}

const text = (t: string | null, thread = CUSTOMER): OutboundMessage =>
  outboundOf({ messageId: 'm1', threadExternalId: thread, recipientExternalId: thread, text: t });
const address = { messageId: 'm1', threadExternalId: CUSTOMER, recipientExternalId: CUSTOMER };

beforeEach(async () => {
  fake = new FakeWhatsAppWeb();
  const backendUrl = await fake.start();
  registry = new SessionRegistry();
  session = new FakeWhatsAppSession('wa1', { backendUrl });
  session.becomeReady();
  registry.set(session);
  connector = connect();
});
afterEach(() => fake.stop());

describe('verify', () => {
  const body = Buffer.from(JSON.stringify({ event: 'message_ack', session: 'wa1', payload: { id: 'true_1@c.us_A', ack: 3 } }));

  test('accepts the session runner signature and nothing else', () => {
    expect(connector.verify(signedSessionRequest(SECRET, body))).toBe(true);
    expect(connector.verify(signedSessionRequest('another-channel-secret-0123456789abc', body))).toBe(false);
    const tampered = signedSessionRequest(SECRET, body);
    tampered.rawBody = Buffer.from(body.toString().replace('"ack":3', '"ack":4'));
    expect(connector.verify(tampered)).toBe(false);
  });

  test('refuses a missing or repeated signature header', () => {
    const req = signedSessionRequest(SECRET, body);
    const sig = req.headers[SESSION_SIGNATURE_HEADER] as string;
    expect(connector.verify({ ...req, headers: {} })).toBe(false);
    expect(connector.verify({ ...req, headers: { [SESSION_SIGNATURE_HEADER]: [sig, sig] } })).toBe(false);
  });
});

test('parse applies the ignoreGroups setting', () => {
  const group = { event: 'message', payload: { id: 'false_1203@g.us_AB_49151@c.us', from: '1203@g.us', author: '49151@c.us', type: 'chat', body: 'hi' } };
  const req = signedSessionRequest(SECRET, JSON.stringify(group));
  expect(connect().parse(req)[0].type).toBe('message');
  expect(connect({ ignoreGroups: true }).parse(req)[0].type).toBe('ignored');
});

describe('send', () => {
  test('text goes to the chat through the session and returns its message id', async () => {
    const expected = fake.peekNextMessageId(CUSTOMER);
    await expect(connector.send(text('Hello'))).resolves.toEqual({ platformMessageId: expected, status: 'sent' });
    expect(fake.sendCalls().map((c) => c.json)).toEqual([{ chatId: CUSTOMER, text: 'Hello' }]);
    expect(fake.sendCalls()[0].path).toBe('/sessions/wa1/messages');
  });

  test('media carries its bytes, kind and caption', async () => {
    const out: OutboundMessage = outboundOf({
      ...address,
      text: 'your label',
      media: { kind: 'image', data: Buffer.from([0xff, 0xd8, 0xff]), fileName: 'label.jpg', mimeType: 'image/jpeg' },
    });
    await connector.send(out);
    const sent = fake.sendCalls()[0].json;
    expect(sent).toEqual({ chatId: CUSTOMER, caption: 'your label', media: { kind: 'image', mimeType: 'image/jpeg', fileName: 'label.jpg', base64: '/9j/' } });
  });

  test('a text too long for a caption follows the file as its own message', async () => {
    const long = 'x'.repeat(1025);
    const out = outboundOf({ ...address, text: long, media: { kind: 'document', data: Buffer.from('pdf'), fileName: 'a.pdf', mimeType: 'application/pdf' } });
    const result = await connector.send(out);
    const [file, message] = fake.sendCalls().map((c) => c.json);
    expect(file.caption).toBeUndefined();
    expect(message).toEqual({ chatId: CUSTOMER, text: long });
    // Receipts follow the last message sent.
    expect(fake.sentIds).toHaveLength(2);
    expect(result.platformMessageId).toBe(fake.sentIds[1]);
  });

  test('a phone number becomes a @c.us chat; a group id is kept', async () => {
    await connector.send(text('hi', '+49 151 1234-5678'));
    await connector.send(text('hi all', '120363039010379837@g.us'));
    expect(fake.sendCalls().map((c) => c.json.chatId)).toEqual(['4915112345678@c.us', '120363039010379837@g.us']);
  });

  test('nothing to send, or a chat id WhatsApp cannot take, is permanent and sends nothing', async () => {
    expect(outboundMessageSchema.safeParse(text(null)).success).toBe(false);
    await expect(connector.send(text('hi', 'status@broadcast'))).rejects.toMatchObject({ retryable: false, code: 'invalid_recipient' });
    expect(fake.sendCalls()).toHaveLength(0);
  });

  test('a session still pairing or reconnecting is retryable, with a clear message', async () => {
    session.disconnect('CONFLICT');
    const err = (await connector.send(text('hi')).catch((e: unknown) => e)) as ConnectorError;
    expect(err).toBeInstanceOf(ConnectorError);
    expect(err).toMatchObject({ retryable: true, code: 'session_not_ready' });
    expect(err.message).toMatch(/not connected/);
    expect(fake.sendCalls()).toHaveLength(0);
  });

  test('no session for the channel in this process is retryable', async () => {
    registry.delete(session);
    await expect(connector.send(text('hi'))).rejects.toMatchObject({ retryable: true, code: 'session_not_running' });
  });

  test('a number that is not on WhatsApp is permanent; a rate limit keeps its wait', async () => {
    fake.notOnWhatsAppNext();
    await expect(connector.send(text('hi'))).rejects.toMatchObject({ retryable: false, code: 'not_on_whatsapp' });
    fake.rateLimitNext(12);
    await expect(connector.send(text('hi'))).rejects.toMatchObject({ retryable: true, retryAfterMs: 12_000 });
  });

  test('the browser going away is retryable', async () => {
    await fake.stop();
    await expect(connector.send(text('hi'))).rejects.toMatchObject({ retryable: true, code: 'session_error' });
  });
});

describe('downloadMedia', () => {
  test('fetches the file of a message by its id', async () => {
    const ref = 'false_4915112345678@c.us_3EB0AAAA';
    fake.files.set(ref, { data: Buffer.from('OggS voice'), mimeType: 'audio/ogg', fileName: 'voice.ogg' });
    await expect(connector.downloadMedia!(ref)).resolves.toEqual({ data: Buffer.from('OggS voice'), mimeType: 'audio/ogg', fileName: 'voice.ogg' });
  });

  test('a file WhatsApp no longer has is permanent', async () => {
    await expect(connector.downloadMedia!('false_1@c.us_GONE')).rejects.toMatchObject({ retryable: false, code: 'media_unavailable' });
  });
});

test('chatIdFor normalises what it can and refuses the rest', () => {
  expect(chatIdFor('4915112345678@s.whatsapp.net')).toBe('4915112345678@c.us');
  expect(chatIdFor('201234567890123@lid')).toBe('201234567890123@lid');
  expect(() => chatIdFor('1203630000@newsletter')).toThrow(ConnectorError);
  expect(() => chatIdFor('12')).toThrow(/not a WhatsApp chat id/);
});

describe('findSent', () => {
  test('finds a text this account already sent to the chat since then, and nothing else', async () => {
    const before = new Date(Date.now() - 1000);
    const { platformMessageId } = await connector.send(text('Ďakujem, posielam 📦'));
    expect(await connector.findSent!(text('Ďakujem, posielam 📦'), before)).toEqual({ platformMessageId, status: 'sent' });
    expect(await connector.findSent!(text('something else'), before)).toBeNull();
    expect(await connector.findSent!(text('Ďakujem, posielam 📦', '4915199999999@c.us'), before)).toBeNull();
    expect(await connector.findSent!(text('Ďakujem, posielam 📦'), new Date(Date.now() + 1000))).toBeNull();
  });
});
