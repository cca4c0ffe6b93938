import { Client } from 'pg';
import { parseViberWebhookBody } from '../../connectors/viber';
import { hmacSha256Hex } from '../../connectors/shared/signature';
import { FakeViberApi } from '../../connectors/viber/testing/fake-viber-api';
import { TEST_AUTH_TOKEN } from '../../connectors/viber/testing/harness';
import { countRows, waitForInboundJob, sleep, ApiClient, connectSocket, eventually, startTestParley, type TestParley } from '../support/parley';

/**
 * The core pipeline end to end for Viber on the real app, PostgreSQL and Redis, with Viber faked by the
 * connector's fake API on 127.0.0.1: set_webhook → signed callback → verify → parse → queue → store → API +
 * socket → reply → outbound queue → fake /pa/send_message → receipts; media by signed link; welcome message.
 */
const SENDER_NAME = 'Parley Support';
const WELCOME = 'Hi! An agent will answer you here shortly.';
const TWO_POW_53 = 2n ** 53n;

let app: TestParley;
let fake: FakeViberApi;
let admin: ApiClient;
let db: Client;
let channel: { id: string; type: string; webhookUrl: string; settings: Record<string, unknown> };
/** Inbound message tokens, above 2^53 like Viber's (and unlike the fake's outbound tokens). */
let nextInboundToken = 4_912_661_846_655_238_145n;
let nextUser = 1;

beforeAll(async () => {
  fake = new FakeViberApi(TEST_AUTH_TOKEN);
  await fake.start();
  app = await startTestParley();
  admin = await ApiClient.login(app.url);
  db = new Client({ connectionString: app.databaseUrl });
  await db.connect();

  const created = await admin.post('/api/v1/channels', {
    type: 'viber',
    name: 'Viber support',
    credentials: { authToken: TEST_AUTH_TOKEN },
    settings: { apiBaseUrl: fake.url, senderName: SENDER_NAME, welcomeMessage: WELCOME, timeoutMs: 5000 },
  });
  expect(created.status).toBe(201);
  channel = created.body.channel;
  const registered = await admin.post(`/api/v1/channels/${channel.id}/register-webhook`);
  expect(registered.status).toBe(200);
});

afterAll(async () => {
  await db?.end();
  await app?.stop();
  await fake?.stop();
});

// ---------------------------------------------------------------------------------------------------------------
// Helpers

/** A Viber user id (base64 of 16 bytes, as Viber's are), new for each test. */
function newUser(): string {
  return Buffer.from(`viber-user-${String(nextUser++).padStart(5, '0')}`).toString('base64');
}

function newInboundToken(): bigint {
  nextInboundToken += 1n;
  return nextInboundToken;
}

/**
 * A callback body as Viber writes it: `message_token` a bare JSON number above 2^53 (JSON.stringify cannot
 * write one from a bigint, so it is spliced in as text).
 */
function callback(fields: Record<string, unknown>, token: bigint): Buffer {
  const json = JSON.stringify({ timestamp: Date.now(), ...fields });
  return Buffer.from(`${json.slice(0, -1)},"message_token":${token}}`);
}

function messageCallback(userId: string, text: string, token = newInboundToken()): Buffer {
  return callback(
    {
      event: 'message',
      sender: { id: userId, name: 'John McClane', avatar: 'https://media.example.com/avatar.jpg', country: 'GB', language: 'en', api_version: 10 },
      message: { type: 'text', text, tracking_data: 'tracking data' },
    },
    token,
  );
}

function receiptCallback(event: 'delivered' | 'seen' | 'failed', userId: string, token: string): Buffer {
  return callback({ event, user_id: userId }, BigInt(token));
}

function sign(body: Buffer, key = TEST_AUTH_TOKEN): string {
  return hmacSha256Hex(key, body);
}

/** POSTs a callback to the channel's webhook as Viber does; `signature: null` sends none. */
async function postCallback(body: Buffer, signature: string | null = sign(body)): Promise<{ status: number; text: string; contentType: string | null }> {
  const res = await fetch(`${app.url}${new URL(channel.webhookUrl).pathname}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(signature === null ? {} : { 'x-viber-content-signature': signature }) },
    body,
  });
  return { status: res.status, text: await res.text(), contentType: res.headers.get('content-type') };
}

/** Resolves once the inbound job of this (signed, parseable) callback has completed. */
async function processed(body: Buffer): Promise<void> {
  const [event] = parseViberWebhookBody(body);
  await waitForInboundJob(app, channel.id, event);
}

async function conversationFor(userId: string) {
  const list = await admin.get('/api/v1/conversations?limit=200');
  return list.body.conversations.find((c: any) => c.externalThreadId === userId);
}

/** A new customer writes in: their conversation, once stored. */
async function openConversation(userId = newUser(), text = 'Hello from Viber') {
  const { status } = await postCallback(messageCallback(userId, text));
  expect(status).toBe(200);
  return eventually(() => conversationFor(userId));
}

async function messageById(conversationId: string, id: string) {
  const list = await admin.get(`/api/v1/conversations/${conversationId}/messages`);
  return list.body.messages.find((m: any) => m.id === id);
}

async function messageInState(conversationId: string, id: string, status: string, timeoutMs?: number) {
  return eventually(async () => {
    const m = await messageById(conversationId, id);
    return m?.status === status ? m : null;
  }, timeoutMs);
}

function sendCallsWithText(text: string) {
  return fake.sendCalls().filter((c) => c.json?.text === text);
}

const count = (sql: string, params: unknown[] = []) => countRows(db, sql, params);

// ---------------------------------------------------------------------------------------------------------------

test('an admin creates a viber channel; register-webhook calls /pa/set_webhook with its webhook URL', async () => {
  expect(channel.type).toBe('viber');
  expect(channel.webhookUrl).toMatch(new RegExp(`^${app.config.publicUrl}/webhooks/[\\w-]{8,64}$`));
  expect(channel.settings).toMatchObject({ apiBaseUrl: fake.url, senderName: SENDER_NAME, welcomeMessage: WELCOME });
  // Credentials never come back.
  expect(JSON.stringify((await admin.get(`/api/v1/channels/${channel.id}`)).body)).not.toContain(TEST_AUTH_TOKEN);

  const calls = fake.callsTo(/^\/pa\/set_webhook$/);
  expect(calls).toHaveLength(1);
  expect(calls[0].headers['x-viber-auth-token']).toBe(TEST_AUTH_TOKEN);
  expect(calls[0].json).toMatchObject({ url: channel.webhookUrl, send_name: true, send_photo: true });
  expect(calls[0].json.event_types).toEqual(expect.arrayContaining(['delivered', 'seen', 'unsubscribed', 'conversation_started']));
  expect(fake.webhookUrl).toBe(channel.webhookUrl);
});

test('a signed message callback becomes a conversation and a message (API and socket), its 64-bit token kept exactly', async () => {
  const userId = newUser();
  const body = messageCallback(userId, 'Hello, my order is late', newInboundToken());
  // The token as Viber wrote it, digit for digit, from the raw JSON text.
  const rawToken = /"message_token":(\d+)/.exec(body.toString('utf8'))![1];
  expect(BigInt(rawToken)).toBeGreaterThan(TWO_POW_53);
  expect(String(Number(rawToken))).not.toBe(rawToken); // JSON.parse would have rounded it

  const { socket, events } = await connectSocket(app.url, admin.token!);
  try {
    const res = await postCallback(body);
    expect(res.status).toBe(200);
    const conversation = await eventually(() => conversationFor(userId));
    expect(conversation).toMatchObject({ channelId: channel.id, status: 'open', isGroup: false });

    const messages = await admin.get(`/api/v1/conversations/${conversation.id}/messages`);
    expect(messages.body.messages).toHaveLength(1);
    expect(messages.body.messages[0]).toMatchObject({ direction: 'inbound', text: 'Hello, my order is late', status: 'received', platformKind: 'text' });
    // Compared as text: the API's raw JSON, and the database column.
    const rawApi = await (
      await fetch(`${app.url}/api/v1/conversations/${conversation.id}/messages`, { headers: { authorization: `Bearer ${admin.token}` } })
    ).text();
    expect(/"externalId":"(\d+)"/.exec(rawApi)?.[1]).toBe(rawToken);
    const stored = await db.query(`SELECT external_id FROM messages WHERE conversation_id = $1`, [conversation.id]);
    expect(stored.rows.map((r) => r.external_id)).toEqual([rawToken]);

    const contact = (await admin.get(`/api/v1/contacts/${conversation.contactId}`)).body.contact;
    expect(contact).toMatchObject({ name: 'John McClane', blocked: false });
    expect(contact.identities[0]).toMatchObject({ channelId: channel.id, externalId: userId });

    const created = await eventually(() => events.find((e) => e.name === 'message.created' && e.payload.message.conversationId === conversation.id));
    expect(created.payload.message).toMatchObject({ externalId: rawToken, text: 'Hello, my order is late', direction: 'inbound' });
    await eventually(() => events.find((e) => e.name === 'conversation.created' && e.payload.conversation.id === conversation.id));
  } finally {
    socket.close();
  }
});

test("the agent's reply reaches /pa/send_message for the right user with the channel's sender name, and ends sent with the exact token", async () => {
  const userId = newUser();
  const conversation = await openConversation(userId, 'Can you help?');
  const expectedToken = fake.peekNextMessageToken();
  expect(BigInt(expectedToken)).toBeGreaterThan(TWO_POW_53);
  expect(String(Number(expectedToken))).not.toBe(expectedToken);

  const reply = await admin.post(`/api/v1/conversations/${conversation.id}/messages`, { text: 'Of course! What is your order number?' });
  expect(reply.status).toBe(202);
  expect(reply.body.message.status).toBe('pending');

  const call = await fake.waitForCall((c) => c.path === '/pa/send_message' && c.json?.text === 'Of course! What is your order number?');
  expect(call.headers['x-viber-auth-token']).toBe(TEST_AUTH_TOKEN);
  expect(call.json).toEqual({ receiver: userId, type: 'text', text: 'Of course! What is your order number?', sender: { name: SENDER_NAME } });

  const sent = await messageInState(conversation.id, reply.body.message.id, 'sent');
  expect(sent.platformMessageId).toBe(expectedToken);
  const stored = await db.query(`SELECT platform_message_id FROM messages WHERE id = $1`, [reply.body.message.id]);
  expect(stored.rows[0].platform_message_id).toBe(expectedToken);
  expect(sendCallsWithText('Of course! What is your order number?')).toHaveLength(1);
});

test('delivered then seen move the reply to delivered then read (API and socket); a late delivered does not move it back', async () => {
  const userId = newUser();
  const conversation = await openConversation(userId);
  const { socket, events } = await connectSocket(app.url, admin.token!);
  try {
    const reply = await admin.post(`/api/v1/conversations/${conversation.id}/messages`, { text: 'Your parcel left today.' });
    const id = reply.body.message.id;
    const token = (await messageInState(conversation.id, id, 'sent')).platformMessageId;
    const statuses = () => events.filter((e) => e.name === 'message.updated' && e.payload.message.id === id).map((e) => e.payload.message.status);
    await eventually(() => statuses().includes('sent'));

    const delivered = receiptCallback('delivered', userId, token);
    expect((await postCallback(delivered)).status).toBe(200);
    const afterDelivered = await messageInState(conversation.id, id, 'delivered');
    expect(afterDelivered.deliveredAt).not.toBeNull();
    expect(afterDelivered.readAt).toBeNull();
    await eventually(() => statuses().includes('delivered'));

    expect((await postCallback(receiptCallback('seen', userId, token))).status).toBe(200);
    const afterSeen = await messageInState(conversation.id, id, 'read');
    expect(afterSeen.readAt).not.toBeNull();
    await eventually(() => statuses().includes('read'));

    // Viber retrying the delivered callback after seen.
    const late = receiptCallback('delivered', userId, token);
    expect((await postCallback(late)).status).toBe(200);
    await processed(late);
    await sleep(300);
    expect(await messageById(conversation.id, id)).toMatchObject({ status: 'read', readAt: afterSeen.readAt, deliveredAt: afterDelivered.deliveredAt });
    expect(statuses()).toEqual(['sent', 'delivered', 'read']);
  } finally {
    socket.close();
  }
});

test('seen arriving before delivered: the message is read and the delivered that follows changes nothing', async () => {
  const userId = newUser();
  const conversation = await openConversation(userId);
  const reply = await admin.post(`/api/v1/conversations/${conversation.id}/messages`, { text: 'Receipts out of order.' });
  const id = reply.body.message.id;
  const token = (await messageInState(conversation.id, id, 'sent')).platformMessageId;

  expect((await postCallback(receiptCallback('seen', userId, token))).status).toBe(200);
  const read = await messageInState(conversation.id, id, 'read');
  expect(read.deliveredAt).not.toBeNull(); // read implies delivered

  const delivered = receiptCallback('delivered', userId, token);
  expect((await postCallback(delivered)).status).toBe(200);
  await processed(delivered); // a job of its own (not deduplicated): it ran, and stored nothing new
  expect(await messageById(conversation.id, id)).toMatchObject({ status: 'read', readAt: read.readAt, deliveredAt: read.deliveredAt });
});

test("a media reply goes to Viber as a link to PUBLIC_URL's /media/ path, and the link serves the uploaded bytes", async () => {
  const userId = newUser();
  const conversation = await openConversation(userId, 'Can I have the receipt?');
  const bytes = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('fake png receipt bytes')]);
  const upload = await admin.request('POST', '/api/v1/uploads?filename=receipt.png', bytes, { 'content-type': 'image/png' });
  expect(upload.status).toBe(201);
  const uploadId = upload.body.upload.id;

  const expectedToken = fake.peekNextMessageToken();
  const reply = await admin.post(`/api/v1/conversations/${conversation.id}/messages`, { text: 'here is your receipt', uploadIds: [uploadId] });
  expect(reply.status).toBe(202);

  const call = await fake.waitForCall((c) => c.path === '/pa/send_message' && c.json?.receiver === userId);
  expect(call.json).toMatchObject({ receiver: userId, type: 'picture', text: 'here is your receipt', sender: { name: SENDER_NAME } });
  const link = new URL(call.json.media);
  expect(link.origin).toBe(new URL(app.config.publicUrl).origin);
  expect(link.pathname).toBe(`/media/${uploadId}/receipt.png`);
  expect(link.searchParams.get('expires')).toMatch(/^\d+$/);
  expect(link.searchParams.get('signature')).toBeTruthy();
  expect((await messageInState(conversation.id, reply.body.message.id, 'sent')).platformMessageId).toBe(expectedToken);

  // Fetched as Viber would (no credentials), from the test app instead of the public origin.
  const res = await fetch(`${app.url}${link.pathname}${link.search}`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('image/png');
  expect(Buffer.from(await res.arrayBuffer()).equals(bytes)).toBe(true);

  // The link is only good as signed.
  const forged = new URL(link);
  forged.searchParams.set('signature', `${link.searchParams.get('signature')!.slice(0, -2)}xx`);
  expect((await fetch(`${app.url}${forged.pathname}${forged.search}`)).status).toBe(403);
});

test('a forged or missing signature gets 401 and stores nothing', async () => {
  const userId = newUser();
  const before = await count(`SELECT count(*) AS n FROM messages`);
  const body = messageCallback(userId, 'forged');
  expect((await postCallback(body, sign(body, 'another-bots-token-0000000000000000'))).status).toBe(401);
  expect((await postCallback(body, null)).status).toBe(401);
  // A valid signature of other bytes (the same JSON, reformatted).
  expect((await postCallback(Buffer.from(`${body.toString()} `), sign(body))).status).toBe(401);
  await sleep(500);
  expect(await count(`SELECT count(*) AS n FROM messages`)).toBe(before);
  expect(await count(`SELECT count(*) AS n FROM contact_identities WHERE external_id = $1`, [userId])).toBe(0);
  expect(await count(`SELECT count(*) AS n FROM dead_letters`)).toBe(0);
  // The same body correctly signed is accepted: the 401s were about the signature.
  expect((await postCallback(body)).status).toBe(200);
  await eventually(() => conversationFor(userId));
});

test('the same callback twice is stored once', async () => {
  const userId = newUser();
  const body = messageCallback(userId, 'only once please');
  expect((await postCallback(body)).status).toBe(200);
  expect((await postCallback(body)).status).toBe(200);
  const conversation = await eventually(() => conversationFor(userId));
  await processed(body);
  // And once more after the first job has certainly completed: the database is the final guard.
  expect((await postCallback(body)).status).toBe(200);
  await sleep(700);
  expect(await count(`SELECT count(*) AS n FROM messages WHERE conversation_id = $1`, [conversation.id])).toBe(1);
  expect(await count(`SELECT count(*) AS n FROM conversations WHERE external_thread_id = $1`, [userId])).toBe(1);
});

test('unsubscribed marks the contact blocked; subscribed unblocks it', async () => {
  const userId = newUser();
  const conversation = await openConversation(userId);
  const unsubscribed = callback({ event: 'unsubscribed', user_id: userId }, newInboundToken());
  expect((await postCallback(unsubscribed)).status).toBe(200);
  const contact = await eventually(async () => {
    const c = (await admin.get(`/api/v1/contacts/${conversation.contactId}`)).body.contact;
    return c.blocked ? c : null;
  });
  expect(contact.identities[0]).toMatchObject({ externalId: userId });
  expect(contact.identities[0].blockedAt).not.toBeNull();
  // A reply is refused up front, and nothing reaches Viber.
  const refused = await admin.post(`/api/v1/conversations/${conversation.id}/messages`, { text: 'are you still there?' });
  expect(refused.status).toBe(409);
  expect(refused.body.error).toContain('blocked');

  const subscribed = callback({ event: 'subscribed', user: { id: userId, name: 'John McClane', api_version: 10 } }, newInboundToken());
  expect((await postCallback(subscribed)).status).toBe(200);
  await eventually(async () => (await admin.get(`/api/v1/contacts/${conversation.contactId}`)).body.contact.blocked === false);
  expect(sendCallsWithText('are you still there?')).toHaveLength(0);
});

test("Viber's status 6 (not subscribed) inside an HTTP 200 ends the reply failed with the reason, without retrying", async () => {
  const userId = newUser();
  const conversation = await openConversation(userId);
  fake.notSubscribedNext();
  const reply = await admin.post(`/api/v1/conversations/${conversation.id}/messages`, { text: 'hello? (status 6)' });
  expect(reply.status).toBe(202);
  const failed = await messageInState(conversation.id, reply.body.message.id, 'failed');
  expect(failed.failureReason).toContain('not subscribed');
  expect(failed.failureReason).toContain('status 6');
  expect(failed.platformMessageId).toBeNull();
  await sleep(500);
  expect(sendCallsWithText('hello? (status 6)')).toHaveLength(1);
  // Status 6 also tells us the customer is gone.
  expect((await admin.get(`/api/v1/contacts/${conversation.contactId}`)).body.contact.blocked).toBe(true);
});

test("Viber's status 12 (too many requests) is retried and the reply ends sent", async () => {
  const userId = newUser();
  const conversation = await openConversation(userId);
  fake.statusNext(12, 'tooManyRequests');
  // The refused call gets no token: the retry gets the next one.
  const expectedToken = fake.peekNextMessageToken();
  const reply = await admin.post(`/api/v1/conversations/${conversation.id}/messages`, { text: 'retry me (status 12)' });
  const sent = await messageInState(conversation.id, reply.body.message.id, 'sent', 15_000);
  expect(sent.platformMessageId).toBe(expectedToken);
  expect(sent.failureReason).toBeNull();
  const calls = sendCallsWithText('retry me (status 12)');
  expect(calls).toHaveLength(2);
  expect(calls.every((c) => c.json.receiver === userId)).toBe(true);
});

test('conversation_started is answered with the welcome message in the HTTP response body, and stores nothing', async () => {
  const userId = newUser();
  const sendsBefore = fake.sendCalls().length;
  const body = callback(
    { event: 'conversation_started', type: 'open', context: 'ad-campaign', user: { id: userId, name: 'New Customer', api_version: 10 }, subscribed: false },
    newInboundToken(),
  );
  const res = await postCallback(body);
  expect(res.status).toBe(200);
  expect(res.contentType).toContain('application/json');
  expect(JSON.parse(res.text)).toEqual({ type: 'text', text: WELCOME, sender: { name: SENDER_NAME } });

  // Only a signed request gets it.
  expect((await postCallback(body, sign(body, 'another-bots-token-0000000000000000'))).status).toBe(401);
  await sleep(500);
  expect(fake.sendCalls().length).toBe(sendsBefore);
  expect(await count(`SELECT count(*) AS n FROM contact_identities WHERE external_id = $1`, [userId])).toBe(0);
});
