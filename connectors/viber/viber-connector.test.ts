import { ConnectorError, outboundMessageSchema, type Connector, type OutboundMessage } from '../contract';
import { hmacSha256Hex } from '../shared/signature';
import { CONVERSATION_STARTED_REASON } from './parse-callback';
import { FakeViberApi } from './testing/fake-viber-api';
import { viberSettingsSchema } from './schema';
import { startViber, TEST_AUTH_TOKEN, testMediaUrl, TEST_USER_ID, viberRequest } from './testing/harness';
import { outboundOf, type ReplyFields } from '../shared/testing/outbound';

/** The connector against the fake Viber API: what goes over the wire, and how every failure is classified. */
let ctx: Awaited<ReturnType<typeof startViber>>;
let connector: Connector;
let fake: FakeViberApi;

beforeAll(async () => {
  ctx = await startViber({ senderAvatarUrl: 'https://parley.example.com/avatar.png', welcomeMessage: 'Hi! An agent will answer soon.' });
  connector = ctx.connector;
  fake = ctx.fake as FakeViberApi;
});
afterAll(() => ctx.teardown());
beforeEach(() => {
  fake.calls.length = 0;
});

const reply = (extra: Partial<ReplyFields> = {}): OutboundMessage =>
  outboundOf({
    messageId: 'msg-1',
    threadExternalId: TEST_USER_ID,
    recipientExternalId: TEST_USER_ID,
    text: 'Hello',
    ...extra,
  });

async function failure(p: Promise<unknown>): Promise<ConnectorError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ConnectorError);
  return err as ConnectorError;
}

describe('verify', () => {
  const body = Buffer.from('{"event":"webhook","timestamp":1457764197627,"message_token":4912661846655238145}');
  const sig = hmacSha256Hex(TEST_AUTH_TOKEN, body);

  test('accepts the HMAC of the exact bytes, in either hex case', () => {
    expect(connector.verify(viberRequest(body, sig))).toBe(true);
    expect(connector.verify(viberRequest(body, sig.toUpperCase()))).toBe(true);
  });

  test('rejects the same JSON with different bytes (signature is over the raw body)', () => {
    const reformatted = Buffer.from(JSON.stringify(JSON.parse(body.toString()), null, 1));
    expect(connector.verify(viberRequest(reformatted, sig))).toBe(false);
  });

  test('rejects a repeated signature header and a truncated signature', () => {
    expect(connector.verify({ ...viberRequest(body), headers: { 'x-viber-content-signature': [sig, sig] } })).toBe(false);
    expect(connector.verify(viberRequest(body, sig.slice(0, 32)))).toBe(false);
  });
});

describe('send', () => {
  test('a text goes to /pa/send_message with the token header, sender and receiver; the token comes back exact', async () => {
    const expected = fake.peekNextMessageToken();
    const result = await connector.send(reply());
    expect(result).toEqual({ platformMessageId: expected, status: 'sent' });
    expect(BigInt(expected)).toBeGreaterThan(2n ** 53n);
    const [call] = fake.sendCalls();
    expect(call.headers['x-viber-auth-token']).toBe(TEST_AUTH_TOKEN);
    expect(call.json).toEqual({
      receiver: TEST_USER_ID,
      type: 'text',
      text: 'Hello',
      sender: { name: 'Parley Support', avatar: 'https://parley.example.com/avatar.png' },
    });
  });

  test("a picture with a short caption is one message carrying the core's signed URL unchanged", async () => {
    const url = testMediaUrl('scan.png');
    await connector.send(reply({ text: 'receipt', media: { kind: 'image', data: Buffer.from('png'), fileName: 'scan.png', mimeType: 'image/png', url } }));
    const [call] = fake.sendCalls();
    expect(call.json).toEqual({ receiver: TEST_USER_ID, type: 'picture', text: 'receipt', media: url, sender: expect.any(Object) });
  });

  test('a document and its text are two messages; the text, sent last, gives the id', async () => {
    const tokenOfSecond = (BigInt(fake.peekNextMessageToken()) + 1n).toString();
    const result = await connector.send(
      reply({
        text: 'the invoice',
        media: { kind: 'document', data: Buffer.alloc(2048), fileName: 'Invoice 7.pdf', mimeType: 'application/pdf', url: testMediaUrl('Invoice 7.pdf') },
      }),
    );
    expect(result.platformMessageId).toBe(tokenOfSecond);
    const [file, text] = fake.sendCalls().map((c) => c.json);
    expect(file).toMatchObject({ type: 'file', size: 2048, file_name: 'Invoice 7.pdf', media: testMediaUrl('Invoice 7.pdf') });
    expect(file.media).toContain('/Invoice%207.pdf?');
    expect(text).toMatchObject({ type: 'text', text: 'the invoice' });
  });

  test('nothing is sent when the reply breaks a Viber limit', async () => {
    expect((await failure(connector.send(reply({ text: 'x'.repeat(7001) })))).code).toBe('text_too_long');
    expect(outboundMessageSchema.safeParse(reply({ text: null })).success).toBe(false);
    expect(fake.sendCalls()).toHaveLength(0);
  });

  test('media without a URL from the core is a clear permanent error, and nothing is sent (not even the text)', async () => {
    const err = await failure(
      connector.send(reply({ text: 'see attached', media: { kind: 'document', data: Buffer.from('x'), fileName: 'a.pdf', mimeType: 'application/pdf' } })),
    );
    expect(err).toMatchObject({ retryable: false, code: 'media_url_not_configured' });
    expect(err.message).toContain('public URL');
    expect(fake.calls).toHaveLength(0);
  });

  test("a publicMediaBaseUrl left in an older channel's settings is accepted and dropped", () => {
    const settings = viberSettingsSchema.parse({ senderName: 'Support', publicMediaBaseUrl: 'https://parley.example.com/media/outbound' });
    expect(settings).not.toHaveProperty('publicMediaBaseUrl');
    expect(settings.senderName).toBe('Support');
  });
});

describe('failures', () => {
  test('status 6 (not subscribed) is permanent and marks the contact as blocked', async () => {
    fake.unsubscribed.add('gone==');
    const err = await failure(connector.send(reply({ threadExternalId: 'gone==', recipientExternalId: 'gone==' })));
    expect(err).toMatchObject({ retryable: false, contactBlocked: true, code: 'receiverNotSubscribed' });
  });

  test('status 12 (too many requests) is retryable', async () => {
    fake.statusNext(12, 'tooManyRequests');
    expect(await failure(connector.send(reply()))).toMatchObject({ retryable: true, code: 'tooManyRequests' });
  });

  test('a status Viber does not document is its "general error": retryable', async () => {
    fake.statusNext(99, 'somethingNew');
    const err = await failure(connector.send(reply()));
    expect(err).toMatchObject({ retryable: true, code: 'viber_99' });
    expect(err.message).toContain('somethingNew');
  });

  test('a wrong auth token (status 2) is permanent', async () => {
    const wrong = await startViber({}, 'not-the-right-token-00000000');
    try {
      expect(await failure(wrong.connector.send(reply()))).toMatchObject({ retryable: false, code: 'invalidAuthToken' });
    } finally {
      await wrong.teardown();
    }
  });

  test('HTTP 429 is retryable with the Retry-After wait; 5xx is retryable', async () => {
    fake.rateLimitNext(30);
    expect(await failure(connector.send(reply()))).toMatchObject({ retryable: true, retryAfterMs: 30_000 });
    fake.serverErrorNext();
    expect(await failure(connector.send(reply()))).toMatchObject({ retryable: true, code: '503' });
  });

  test('a 200 that is not a Viber answer is retryable', async () => {
    fake.failNext({ status: 200, body: Buffer.from('<html>proxy error</html>'), headers: { 'content-type': 'text/html' } });
    expect(await failure(connector.send(reply()))).toMatchObject({ retryable: true, code: 'bad_response' });
  });

  test('a slow Viber is a retryable timeout', async () => {
    const slow = await startViber({ timeoutMs: 100 });
    (slow.fake as FakeViberApi).delayMs = 1000;
    try {
      expect(await failure(slow.connector.send(reply()))).toMatchObject({ retryable: true, code: 'timeout' });
    } finally {
      await slow.teardown();
    }
  });

  test('an unreachable Viber is retryable', async () => {
    const gone = await startViber();
    await gone.teardown();
    expect(await failure(gone.connector.send(reply()))).toMatchObject({ retryable: true, code: 'network' });
  });
});

describe('registerWebhook', () => {
  test('calls set_webhook with the URL, the event types and names/photos on', async () => {
    await connector.registerWebhook!('https://parley.example.com/webhooks/w1');
    const [call] = fake.callsTo(/^\/pa\/set_webhook$/);
    expect(call.headers['x-viber-auth-token']).toBe(TEST_AUTH_TOKEN);
    expect(call.json).toEqual({
      url: 'https://parley.example.com/webhooks/w1',
      event_types: ['delivered', 'seen', 'failed', 'subscribed', 'unsubscribed', 'conversation_started'],
      send_name: true,
      send_photo: true,
    });
    expect(fake.webhookUrl).toBe('https://parley.example.com/webhooks/w1');
  });

  test('a URL Viber refuses (status 1) is a permanent error', async () => {
    expect(await failure(connector.registerWebhook!('not a url'))).toMatchObject({ retryable: false, code: 'invalidUrl' });
  });
});

describe('webhookResponse', () => {
  test('answers conversation_started with the welcome message from the settings', () => {
    expect(connector.webhookResponse!([{ type: 'ignored', reason: CONVERSATION_STARTED_REASON }])).toEqual({
      status: 200,
      contentType: 'application/json',
      body: {
        type: 'text',
        text: 'Hi! An agent will answer soon.',
        sender: { name: 'Parley Support', avatar: 'https://parley.example.com/avatar.png' },
      },
    });
  });

  test('answers nothing special to other events, or without a welcome message', async () => {
    expect(connector.webhookResponse!([{ type: 'ignored', reason: 'viber webhook check' }])).toBeNull();
    const plain = await startViber();
    try {
      expect(plain.connector.webhookResponse!([{ type: 'ignored', reason: CONVERSATION_STARTED_REASON }])).toBeNull();
    } finally {
      await plain.teardown();
    }
  });
});

describe('downloadMedia', () => {
  test('fetches the media URL, without our auth token', async () => {
    fake.media.set('photo.jpg', { data: Buffer.from('jpeg bytes'), contentType: 'image/jpeg' });
    const got = await connector.downloadMedia!(`${fake.url}/media/photo.jpg`);
    expect(got).toEqual({ data: Buffer.from('jpeg bytes'), mimeType: 'image/jpeg', fileName: 'photo.jpg' });
    const [call] = fake.callsTo(/^\/media\//);
    expect(call.headers['x-viber-auth-token']).toBeUndefined();
  });

  test('an expired link is permanent; a non-URL is refused without a request', async () => {
    expect(await failure(connector.downloadMedia!(`${fake.url}/media/expired.jpg`))).toMatchObject({ retryable: false, code: 'media_expired' });
    expect(await failure(connector.downloadMedia!('file:///etc/passwd'))).toMatchObject({ code: 'bad_media_ref' });
    expect(fake.callsTo(/^\/media\//)).toHaveLength(1);
  });
});
