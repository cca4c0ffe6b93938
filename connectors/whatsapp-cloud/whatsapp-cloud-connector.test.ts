import { ConnectorError, type Connector, type WebhookRequest } from '../contract';
import { outboundMessageSchema } from '../contract';
import { hmacSha256Hex } from '../shared/signature';
import { whatsappCloudConnector } from './index';
import { whatsappCloudCredentialsSchema, whatsappCloudSettingsSchema, DEFAULT_GRAPH_API_BASE } from './schema';
import { FakeGraphApi } from './testing/fake-graph-api';
import { TEST_CREDENTIALS, TEST_PHONE_NUMBER_ID, outbound, signedWebhook, startFake, testAccount, webhook } from './testing/harness';
import { WhatsAppCloudConnector } from './whatsapp-cloud-connector';

let fake: FakeGraphApi;
let connector: Connector;

beforeEach(async () => {
  ({ fake, connector } = await startFake({ wabaId: '102290129340398' }));
});
afterEach(() => fake.stop());

const failure = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: unknown) => e as ConnectorError,
  );

describe('webhook verification handshake', () => {
  const get = (query: Record<string, string>): WebhookRequest => ({ method: 'GET', headers: {}, query, rawBody: Buffer.alloc(0) });
  const hub = (token: string) => ({ 'hub.mode': 'subscribe', 'hub.verify_token': token, 'hub.challenge': '1158201444' });

  test('answers the challenge as text/plain when the verify token matches', () => {
    expect(connector.handshake!(get(hub(TEST_CREDENTIALS.verifyToken)))).toEqual({ status: 200, body: '1158201444', contentType: 'text/plain' });
  });

  test('refuses a wrong token, a wrong mode or a missing challenge with 403', () => {
    expect(connector.handshake!(get(hub('wrong-token-0123456789')))?.status).toBe(403);
    expect(connector.handshake!(get({ ...hub(TEST_CREDENTIALS.verifyToken), 'hub.mode': 'unsubscribe' }))?.status).toBe(403);
    const { 'hub.challenge': _c, ...noChallenge } = hub(TEST_CREDENTIALS.verifyToken);
    expect(connector.handshake!(get(noChallenge))?.status).toBe(403);
  });

  test('is not a handshake for a POST or a GET without hub.mode', () => {
    expect(connector.handshake!({ ...get(hub(TEST_CREDENTIALS.verifyToken)), method: 'POST' })).toBeNull();
    expect(connector.handshake!(get({}))).toBeNull();
  });
});

describe('signature', () => {
  const body = Buffer.from('{"object":"whatsapp_business_account","entry":[]}');

  test('accepts the app secret HMAC of the raw body, in either hex case', () => {
    expect(connector.verify(signedWebhook(body))).toBe(true);
    expect(connector.verify(webhook(body, `sha256=${hmacSha256Hex(TEST_CREDENTIALS.appSecret, body).toUpperCase()}`))).toBe(true);
  });

  test('rejects a changed body, a bare hex digest, a sha1 header and a repeated header', () => {
    expect(connector.verify({ ...signedWebhook(body), rawBody: Buffer.from(`${body} `) })).toBe(false);
    expect(connector.verify(webhook(body, hmacSha256Hex(TEST_CREDENTIALS.appSecret, body)))).toBe(false);
    const sha1: WebhookRequest = { ...webhook(body), headers: { 'x-hub-signature': 'sha1=abc' } };
    expect(connector.verify(sha1)).toBe(false);
    const sig = signedWebhook(body).headers['x-hub-signature-256'] as string;
    expect(connector.verify({ ...webhook(body), headers: { 'x-hub-signature-256': [sig, sig] } })).toBe(false);
  });
});

test('parse drops events for another phone number of the same Meta app', () => {
  const value = { metadata: { phone_number_id: '999' }, messages: [{ from: '1', id: 'wamid.x', type: 'text', text: { body: 'hi' } }] };
  const body = Buffer.from(JSON.stringify({ object: 'whatsapp_business_account', entry: [{ changes: [{ field: 'messages', value }] }] }));
  expect(connector.parse(signedWebhook(body))).toEqual([expect.objectContaining({ type: 'ignored' })]);
});

describe('sending text', () => {
  test('posts a text message with the bearer token and returns the wamid', async () => {
    const expected = fake.peekNextMessageId();
    await expect(connector.send(outbound())).resolves.toEqual({ platformMessageId: expected, status: 'sent' });
    const [call] = fake.messageCalls();
    expect(call.path).toBe(`/v25.0/${TEST_PHONE_NUMBER_ID}/messages`);
    expect(call.headers.authorization).toBe(`Bearer ${TEST_CREDENTIALS.accessToken}`);
    expect(call.json).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '972987654321',
      type: 'text',
      text: { body: 'Hello from Parley' },
    });
  });

  test('outside the 24-hour window it refuses before calling WhatsApp', async () => {
    const err = await failure(connector.send(outbound({ lastInboundAt: new Date(Date.now() - 25 * 3600_000) })));
    expect(err).toMatchObject({ retryable: false, policy: true, code: 'outside_window' });
    expect(fake.calls).toHaveLength(0);
  });

  test('the window is measured with the connector clock', async () => {
    const lastInboundAt = new Date(Date.UTC(2026, 0, 1, 10));
    const account = testAccount(fake.apiBaseUrl);
    const inside = new WhatsAppCloudConnector(account, () => lastInboundAt.getTime() + 23 * 3600_000);
    const outside = new WhatsAppCloudConnector(account, () => lastInboundAt.getTime() + 24 * 3600_000);
    await expect(inside.send(outbound({ lastInboundAt }))).resolves.toHaveProperty('platformMessageId');
    await expect(failure(outside.send(outbound({ lastInboundAt })))).resolves.toMatchObject({ code: 'outside_window' });
  });

  test('a customer known only by BSUID is addressed with `recipient`', async () => {
    await connector.send(outbound({ threadExternalId: 'US.1234', recipientExternalId: 'US.1234' }));
    expect(fake.messageCalls()[0].json).toMatchObject({ recipient: 'US.1234' });
    expect(fake.messageCalls()[0].json.to).toBeUndefined();
  });

  test('a text over 4,096 characters or an empty reply is refused without a call', async () => {
    await expect(failure(connector.send(outbound({ text: 'x'.repeat(4097) })))).resolves.toMatchObject({ code: 'too_long' });
    expect(outboundMessageSchema.safeParse(outbound({ text: null })).success).toBe(false);
    expect(fake.calls).toHaveLength(0);
  });
});

describe('sending media', () => {
  const pdf = { kind: 'document' as const, data: Buffer.from('%PDF-1.4 fake'), fileName: 'invoice.pdf', mimeType: 'application/pdf' };

  test('uploads the bytes first, then sends the document by media id with caption and filename', async () => {
    const expected = fake.peekNextMessageId();
    const result = await connector.send(outbound({ text: 'your invoice', media: pdf }));
    expect(result.platformMessageId).toBe(expected);

    const [upload] = fake.uploadCalls();
    expect(upload.headers.authorization).toBe(`Bearer ${TEST_CREDENTIALS.accessToken}`);
    const form = await FakeGraphApi.formOf(upload);
    expect(form.get('messaging_product')).toBe('whatsapp');
    expect(form.get('type')).toBe('application/pdf');
    const file = form.get('file') as File;
    expect(file.name).toBe('invoice.pdf');
    expect(Buffer.from(await file.arrayBuffer())).toEqual(pdf.data);

    const mediaId = [...fake.media.keys()][0];
    expect(fake.messageCalls().map((c) => c.json)).toEqual([
      expect.objectContaining({ type: 'document', document: { id: mediaId, caption: 'your invoice', filename: 'invoice.pdf' } }),
    ]);
  });

  test('audio takes no caption: the text follows as its own message, whose id is returned', async () => {
    const voice = { kind: 'voice' as const, data: Buffer.from('OggS'), fileName: 'note.ogg', mimeType: 'audio/ogg; codecs=opus' };
    const result = await connector.send(outbound({ text: 'listen to this', media: voice }));
    const sent = fake.messageCalls().map((c) => c.json);
    expect(sent.map((j) => j.type)).toEqual(['audio', 'text']);
    expect(sent[0].audio).toEqual({ id: expect.any(String) });
    expect(sent[1].text).toEqual({ body: 'listen to this' });
    expect(result.platformMessageId).toMatch(/^wamid\./);
  });

  test('a caption over 1,024 characters is sent as a separate text', async () => {
    const photo = { kind: 'image' as const, data: Buffer.from([0xff, 0xd8]), fileName: 'a.jpg', mimeType: 'image/jpeg' };
    await connector.send(outbound({ text: 'y'.repeat(1025), media: photo }));
    const sent = fake.messageCalls().map((c) => c.json);
    expect(sent.map((j) => j.type)).toEqual(['image', 'text']);
    expect(sent[0].image.caption).toBeUndefined();
  });

  test('a file over the type limit is refused before uploading', async () => {
    const big = { kind: 'image' as const, data: Buffer.alloc(5 * 1024 * 1024 + 1), fileName: 'big.png', mimeType: 'image/png' };
    await expect(failure(connector.send(outbound({ media: big })))).resolves.toMatchObject({ code: 'too_large', retryable: false });
    expect(fake.calls).toHaveLength(0);
  });

  test('a rate-limited upload is retryable with the wait', async () => {
    fake.rateLimitNext(3, (c) => c.path.endsWith('/media'));
    const err = await failure(connector.send(outbound({ media: pdf })));
    expect(err).toMatchObject({ retryable: true, retryAfterMs: 3000 });
    expect(fake.messageCalls()).toHaveLength(0);
  });
});

describe('failures from the Graph API', () => {
  test('throughput errors arrive as HTTP 400 and are retryable', async () => {
    fake.graphErrorNext(400, 131056, '(Business Account, Consumer Account) pair rate limit hit');
    await expect(failure(connector.send(outbound()))).resolves.toMatchObject({ retryable: true, code: '131056' });
  });

  test('131047 becomes the window policy error', async () => {
    fake.graphErrorNext(400, 131047, 'Re-engagement message', 'Message failed to send because more than 24 hours have passed');
    await expect(failure(connector.send(outbound()))).resolves.toMatchObject({ retryable: false, policy: true, code: 'outside_window' });
  });

  test('a wrong access token is permanent', async () => {
    const account = testAccount(fake.apiBaseUrl, {}, { accessToken: 'EAAGnotthetoken0000000000' });
    const err = await failure(whatsappCloudConnector.create(account).send(outbound()));
    expect(err).toMatchObject({ retryable: false, code: '190' });
    expect((err as Error).message).not.toContain('EAAGnotthetoken');
  });

  test('a platform that does not answer in time is retryable', async () => {
    fake.route('POST', /\/slow\/\d+\/messages$/, () => new Promise((r) => setTimeout(() => r({ status: 200, body: {} }), 1000)));
    // Below the schema's 1 s minimum on purpose: create() trusts already-validated settings.
    const account = testAccount(`${fake.url}/slow`, { timeoutMs: 100 });
    await expect(failure(whatsappCloudConnector.create(account).send(outbound()))).resolves.toMatchObject({ retryable: true, code: 'timeout' });
  });
});

describe('downloading inbound media', () => {
  test('resolves the media id to a URL, then fetches it with the bearer token', async () => {
    fake.media.set('65463453', { data: Buffer.from('jpeg bytes'), mimeType: 'image/jpeg' });
    await expect(connector.downloadMedia!('65463453')).resolves.toEqual({ data: Buffer.from('jpeg bytes'), mimeType: 'image/jpeg' });
    const paths = fake.calls.map((c) => [c.path, c.headers.authorization]);
    expect(paths).toEqual([
      ['/v25.0/65463453', `Bearer ${TEST_CREDENTIALS.accessToken}`],
      ['/media-files/65463453', `Bearer ${TEST_CREDENTIALS.accessToken}`],
    ]);
  });

  test('an unknown or malformed media id is permanent', async () => {
    await expect(failure(connector.downloadMedia!('404404'))).resolves.toMatchObject({ retryable: false });
    await expect(failure(connector.downloadMedia!('../me'))).resolves.toMatchObject({ code: 'bad_media_ref' });
  });
});

describe('registering the webhook (phone number override)', () => {
  test('subscribes the app to the WABA, then points the number at Parley with the verify token', async () => {
    await connector.registerWebhook!('https://parley.example.com/webhooks/w1');
    expect(fake.calls.map((c) => c.path)).toEqual(['/v25.0/102290129340398/subscribed_apps', `/v25.0/${TEST_PHONE_NUMBER_ID}`]);
    expect(fake.calls[1].json).toEqual({
      webhook_configuration: { override_callback_uri: 'https://parley.example.com/webhooks/w1', verify_token: TEST_CREDENTIALS.verifyToken },
    });
  });

  test('a URL longer than Meta accepts is refused', async () => {
    await expect(failure(connector.registerWebhook!(`https://parley.example.com/${'x'.repeat(200)}`))).resolves.toMatchObject({ code: 'url_too_long' });
    expect(fake.calls).toHaveLength(0);
  });
});

describe('definition', () => {
  test('settings default to the Graph API and need a numeric phone number id', () => {
    expect(whatsappCloudSettingsSchema.parse({ phoneNumberId: '106540352242922' })).toEqual({
      apiBaseUrl: DEFAULT_GRAPH_API_BASE,
      phoneNumberId: '106540352242922',
      timeoutMs: 15_000,
    });
    expect(whatsappCloudSettingsSchema.safeParse({ phoneNumberId: '+1 555 0100' }).success).toBe(false);
  });

  test('generated verify tokens are random and valid credentials', () => {
    const a = whatsappCloudConnector.generateCredentials!();
    const b = whatsappCloudConnector.generateCredentials!();
    expect(a.verifyToken).not.toBe(b.verifyToken);
    expect(whatsappCloudCredentialsSchema.safeParse({ ...TEST_CREDENTIALS, ...a }).success).toBe(true);
  });
});
