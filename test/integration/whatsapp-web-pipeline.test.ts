import { Client } from 'pg';
import type { InboundEvent } from '../../connectors/contract';
import { defaultSessionRegistry, signedSessionRequest, SESSION_SIGNATURE_HEADER, type WhatsAppWebAccount } from '../../connectors/whatsapp-web';
import { FakeWhatsAppSession } from '../../connectors/whatsapp-web/testing/fake-session';
import { FakeWhatsAppWeb } from '../../connectors/whatsapp-web/testing/fake-whatsapp-web';
import { ingestWebhook } from '../../src/ingest/ingest-webhook';
import { mediaCacheKey } from '../../src/media/upload-store';
import {
  countRows,
  createIdleChannel,
  waitForInboundJob,
  sleep,
  ApiClient,
  connectSocket,
  eventually,
  startTestParley,
  type TestParley,
} from '../support/parley';

/**
 * The core pipeline end to end for WhatsApp Web on the real app, PostgreSQL and Redis. WhatsApp Web has no
 * webhook: the worker's runtime runs one session per channel. Here the session is the connector's
 * FakeWhatsAppSession (driven by this file as Chromium would drive the real one), whose sends reach the
 * FakeWhatsAppWeb server on 127.0.0.1:
 * channel created → runtime starts the session → QR / ready through the API → session event → signed → ingest
 * → verify → parse → queue → store → API + socket → reply → outbound queue → session → fake → acks → API + socket.
 */
let app: TestParley;
let fake: FakeWhatsAppWeb;
let admin: ApiClient;
let agent: ApiClient;
let db: Client;
let channel: { id: string; webhookUrl: string };
let sessionSecret: string;

/** Every session the runtime asked the factory for, by channel id. */
const created = new Map<string, FakeWhatsAppSession[]>();

function sessionFactory(account: WhatsAppWebAccount): FakeWhatsAppSession {
  const session = new FakeWhatsAppSession(account.id, { backendUrl: fake.url });
  created.set(account.id, [...(created.get(account.id) ?? []), session]);
  return session;
}

/** The one session of a channel (the runtime builds one per channel and relaunches that same one). */
function sessionOf(channelId: string): FakeWhatsAppSession {
  const list = created.get(channelId) ?? [];
  if (list.length !== 1) throw new Error(`expected exactly one session for ${channelId}, the factory built ${list.length}`);
  return list[0];
}

beforeAll(async () => {
  fake = new FakeWhatsAppWeb();
  await fake.start();
  app = await startTestParley({}, { sessionFactories: { whatsapp_web: (account) => sessionFactory(account as WhatsAppWebAccount) }, sessionReconcileMs: 200 });
  admin = await ApiClient.login(app.url);
  await admin.patch('/api/v1/me', { availability: 'online' });
  const ann = await admin.post('/api/v1/agents', { email: 'ann@parley.test', name: 'ann', password: 'ann-password-123' });
  expect(ann.status).toBe(201);
  agent = await ApiClient.login(app.url, 'ann@parley.test', 'ann-password-123');
  db = new Client({ connectionString: app.databaseUrl });
  await db.connect();
});

afterAll(async () => {
  await db?.end();
  await app?.stop();
  await fake?.stop();
});

// --- helpers -------------------------------------------------------------------------------------------------------

const OUR_NUMBER = '4930901820@c.us';
let nextId = 0x1000;

/** A JSON-serialised whatsapp-web.js Message, as the session emits it. */
function waMessage(
  chat: string,
  body: string,
  opts: { author?: string; notifyName?: string; fromMe?: boolean; type?: string; extra?: Record<string, unknown> } = {},
) {
  const fromMe = opts.fromMe ?? false;
  const id = `3EB0${(nextId++).toString(16).toUpperCase().padStart(16, '0')}`;
  const participant = opts.author && chat.endsWith('@g.us') ? `_${opts.author}` : '';
  return {
    id: { fromMe, remote: chat, id, ...(participant ? { participant: opts.author } : {}), _serialized: `${fromMe}_${chat}_${id}${participant}` },
    ack: fromMe ? 1 : 0,
    hasMedia: false,
    body,
    type: opts.type ?? 'chat',
    timestamp: Math.floor(Date.now() / 1000),
    from: fromMe ? OUR_NUMBER : chat,
    to: fromMe ? chat : OUR_NUMBER,
    ...(opts.author ? { author: opts.author } : {}),
    fromMe,
    isStatus: false,
    _data: { notifyName: opts.notifyName ?? '', type: opts.type ?? 'chat' },
    ...opts.extra,
  };
}

async function conversationFor(chat: string, channelId = channel.id) {
  const list = await admin.get('/api/v1/conversations?limit=200');
  return list.body.conversations.find((c: any) => c.externalThreadId === chat && c.channelId === channelId);
}

async function messagesOf(conversationId: string): Promise<any[]> {
  return (await admin.get(`/api/v1/conversations/${conversationId}/messages`)).body.messages;
}

async function messageWithStatus(conversationId: string, messageId: string, status: string) {
  return eventually(async () => {
    const m = (await messagesOf(conversationId)).find((x) => x.id === messageId);
    return m?.status === status ? m : null;
  });
}

async function sessionState(channelId = channel.id, client = admin) {
  return client.get(`/api/v1/channels/${channelId}/session`);
}

async function stateIs(status: string, channelId = channel.id) {
  return eventually(async () => {
    const res = await sessionState(channelId);
    return res.status === 200 && res.body.session.status === status ? res.body.session : null;
  });
}

/** A customer writes from their phone; resolves with the conversation once it exists. */
async function customerWrites(chat: string, body: string, notifyName = 'Customer') {
  const message = waMessage(chat, body, { notifyName });
  sessionOf(channel.id).receive(message);
  const conversation = await eventually(() => conversationFor(chat));
  await eventually(async () => (await messagesOf(conversation.id)).some((m) => m.externalId === message.id._serialized));
  return conversation;
}

/** An agent reply that reached the fake; resolves with the stored message once `sent`. */
async function sentReply(conversationId: string, chat: string, text: string) {
  const expectedId = fake.peekNextMessageId(chat);
  const reply = await admin.post(`/api/v1/conversations/${conversationId}/messages`, { text });
  expect(reply.status).toBe(202);
  expect(reply.body.message.status).toBe('pending');
  const sent = await messageWithStatus(conversationId, reply.body.message.id, 'sent');
  expect(sent.platformMessageId).toBe(expectedId);
  return sent;
}

function sendsTo(chat: string) {
  return fake.sendCalls().filter((c) => c.json?.chatId === chat);
}

const count = (sql: string, params: unknown[] = []) => countRows(db, sql, params);

const inboundJobDone = (event: InboundEvent) => waitForInboundJob(app, channel.id, event);

// --- the channel and its session ------------------------------------------------------------------------------

test('an admin creates the channel; its session starts, shows the QR code (admins only), then becomes ready', async () => {
  const res = await admin.post('/api/v1/channels', { type: 'whatsapp_web', name: 'Support phone', settings: {} });
  expect(res.status).toBe(201);
  channel = res.body.channel;
  expect(res.body.channel).toMatchObject({ type: 'whatsapp_web', settings: { ignoreGroups: false } });
  expect(res.body.channel.capabilities).toMatchObject({ webhook: false, outboundMedia: true, readReceipts: true, replyWindowHours: null });
  // Parley generated the key of the session events' HMAC; it is shown this once and never again.
  sessionSecret = res.body.generatedCredentials.sessionSecret;
  expect(sessionSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);
  expect(JSON.stringify((await admin.get(`/api/v1/channels/${channel.id}`)).body)).not.toContain(sessionSecret);
  expect(JSON.stringify((await admin.get('/api/v1/channels')).body)).not.toContain(sessionSecret);

  // The worker's runtime notices the new channel and launches its session (one browser, one start).
  const session = await eventually(() => created.get(channel.id)?.[0]?.starts === 1 && created.get(channel.id)![0]);
  expect(created.get(channel.id)).toHaveLength(1);
  expect(defaultSessionRegistry.get(channel.id)).toBe(session);
  expect((await stateIs('starting')).qr).toBeUndefined();

  // Not paired yet: WhatsApp Web shows a QR code, which the admin reads through the API.
  const qr1 = '2@Yq9kQXcT0dJ7N5lM3r8a,bW9ja2VkIGtleSAx,c2lnbmluZyBrZXkgMQ==,aWRlbnRpdHkgMQ==';
  session.showQr(qr1);
  const pairing = await stateIs('pairing');
  expect(pairing.qr).toBe(qr1);

  // Agents may not see the QR code (anyone scanning it takes over the number) nor restart the session.
  const asAgent = await sessionState(channel.id, agent);
  expect(asAgent.status).toBe(403);
  expect(JSON.stringify(asAgent.body)).not.toContain(qr1);
  expect((await agent.post(`/api/v1/channels/${channel.id}/session/restart`)).status).toBe(403);
  expect((await new ApiClient(app.url).get(`/api/v1/channels/${channel.id}/session`)).status).toBe(401);

  // WhatsApp rotates the code: the API follows.
  const qr2 = '2@Zr0lRYdU1eK8O6mN4s9b,bW9ja2VkIGtleSAy,c2lnbmluZyBrZXkgMg==,aWRlbnRpdHkgMg==';
  session.showQr(qr2);
  await eventually(async () => (await sessionState()).body.session.qr === qr2);

  session.becomeReady();
  const ready = await stateIs('ready');
  expect(ready.qr).toBeUndefined();
  // Nothing relaunched it along the way.
  expect(session.starts).toBe(1);
  expect(created.get(channel.id)).toHaveLength(1);
});

test('a channel of another type has no session', async () => {
  const tg = await createIdleChannel(admin);
  expect((await sessionState(tg.id)).status).toBe(422);
  expect((await admin.post(`/api/v1/channels/${tg.id}/session/restart`)).status).toBe(422);
  await sleep(400);
  expect(created.has(tg.id)).toBe(false);
});

// --- inbound ----------------------------------------------------------------------------------------------------

test('an incoming message appears as a conversation, a message and socket events', async () => {
  const { socket, events } = await connectSocket(app.url, admin.token!);
  try {
    const chat = '4915112345678@c.us';
    const message = waMessage(chat, 'Hallo, meine Bestellung ist spät', { notifyName: 'Zoë Weber' });
    sessionOf(channel.id).receive(message);

    const conversation = await eventually(() => conversationFor(chat));
    expect(conversation).toMatchObject({ status: 'open', isGroup: false });
    const messages = await messagesOf(conversation.id);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({
      direction: 'inbound',
      text: 'Hallo, meine Bestellung ist spät',
      externalId: message.id._serialized,
      status: 'received',
      platformKind: 'chat',
      senderContactId: conversation.contactId,
    });
    expect(new Date(messages[0].sentAt).getTime()).toBe(message.timestamp * 1000);

    const contact = (await admin.get(`/api/v1/contacts/${conversation.contactId}`)).body.contact;
    expect(contact.name).toBe('Zoë Weber');
    expect(contact.identities).toHaveLength(1);
    expect(contact.identities[0]).toMatchObject({ channelId: channel.id, externalId: chat, displayName: 'Zoë Weber', profile: { phone: '+4915112345678' } });

    await eventually(() => events.find((e) => e.name === 'message.created' && e.payload.message.externalId === message.id._serialized)).catch((e) => {
      throw new Error(`no message.created socket event (got ${JSON.stringify(events.map((x) => x.name))}): ${e.message}`);
    });
    const convEvent = await eventually(() => events.find((e) => e.name === 'conversation.created' && e.payload.conversation.id === conversation.id));
    expect(convEvent.payload.conversation.externalThreadId).toBe(chat);
  } finally {
    socket.close();
  }
});

test("a group message's thread is the group and its sender the author", async () => {
  const group = '120363039010379837@g.us';
  const author = '8618500946096@c.us';
  const message = waMessage(group, 'hello from the team chat', { author, notifyName: 'Li Wei' });
  sessionOf(channel.id).receive(message);

  const conversation = await eventually(() => conversationFor(group));
  expect(conversation.isGroup).toBe(true);
  const [stored] = await messagesOf(conversation.id);
  expect(stored).toMatchObject({ text: 'hello from the team chat', externalId: `false_${group}_${message.id.id}_${author}` });

  // The conversation belongs to the group; the message to the person who wrote it.
  const groupContact = (await admin.get(`/api/v1/contacts/${conversation.contactId}`)).body.contact;
  expect(groupContact.identities.map((i: any) => i.externalId)).toEqual([group]);
  expect(stored.senderContactId).not.toBe(conversation.contactId);
  const sender = (await admin.get(`/api/v1/contacts/${stored.senderContactId}`)).body.contact;
  expect(sender.name).toBe('Li Wei');
  expect(sender.identities).toEqual([expect.objectContaining({ channelId: channel.id, externalId: author, profile: { phone: '+8618500946096' } })]);
  // No conversation was opened for the author on their own.
  expect(await conversationFor(author)).toBeUndefined();
});

test('our own messages (fromMe echoes) are not stored', async () => {
  const chat = '4915112345001@c.us';
  // Typed on the phone into a chat that never wrote to us, then into one that did.
  const echoAlone = waMessage('4915112345002@c.us', 'typed on the phone', { fromMe: true });
  const echo = waMessage(chat, 'also typed on the phone', { fromMe: true });
  const session = sessionOf(channel.id);
  session.receive(echoAlone);
  session.receive(echo);
  const conversation = await customerWrites(chat, 'and this is the customer');
  await sleep(500);
  expect((await messagesOf(conversation.id)).map((m) => m.text)).toEqual(['and this is the customer']);
  expect(await conversationFor('4915112345002@c.us')).toBeUndefined();
  expect(await count(`SELECT count(*) AS n FROM messages WHERE external_id IN ($1, $2)`, [echo.id._serialized, echoAlone.id._serialized])).toBe(0);
  expect(await count(`SELECT count(*) AS n FROM contact_identities WHERE external_id = '4915112345002@c.us'`)).toBe(0);
});

test('the same message emitted twice is stored once', async () => {
  const chat = '4915112345003@c.us';
  const message = waMessage(chat, 'only once please');
  const session = sessionOf(channel.id);
  session.receive(message);
  session.receive(message);
  const conversation = await eventually(() => conversationFor(chat));
  await eventually(async () => (await count(`SELECT count(*) AS n FROM messages WHERE external_id = $1`, [message.id._serialized])) === 1);
  session.receive(message);
  await sleep(500);
  expect(await count(`SELECT count(*) AS n FROM messages WHERE conversation_id = $1`, [conversation.id])).toBe(1);
});

test("a customer's image is fetched through the session by its owner and downloads from the cache", async () => {
  const chat = '4915112345004@c.us';
  const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('fake jpeg of a parcel')]);
  const message = waMessage(chat, 'the parcel arrived broken', { type: 'image', extra: { hasMedia: true } });
  message._data = { ...message._data, mimetype: 'image/jpeg' } as typeof message._data;
  fake.files.set(message.id._serialized, { data: jpeg, mimeType: 'image/jpeg' });
  sessionOf(channel.id).receive(message);

  const conversation = await eventually(() => conversationFor(chat));
  const [msg] = await messagesOf(conversation.id);
  expect(msg).toMatchObject({ text: 'the parcel arrived broken', platformKind: 'image' });
  expect(msg.attachments).toEqual([expect.objectContaining({ kind: 'image', mimeType: 'image/jpeg' })]);
  // The worker owning the session fetched it already (an API in another process could not reach the session).
  const cached = await eventually(() => app.parley.ctx.mediaCache.get(mediaCacheKey(channel.id, message.id._serialized)));
  expect(cached.equals(jpeg)).toBe(true);
  const file = await fetch(`${app.url}/api/v1/messages/${msg.id}/attachments/0`, { headers: { authorization: `Bearer ${admin.token}` } });
  expect(file.status).toBe(200);
  expect(file.headers.get('content-type')).toMatch(/^image\/jpeg/);
  expect(Buffer.from(await file.arrayBuffer()).equals(jpeg)).toBe(true);
  expect(fake.calls.filter((c) => c.method === 'GET' && c.path === `/sessions/${channel.id}/media/${encodeURIComponent(message.id._serialized)}`)).toHaveLength(
    1,
  );
});

// --- outbound and receipts ----------------------------------------------------------------------------------------

test("the agent's reply goes to the session as sendText to the chat and ends sent with WhatsApp's message id", async () => {
  const chat = '4915112345010@c.us';
  const conversation = await customerWrites(chat, 'Can you help?');
  const expectedId = fake.peekNextMessageId(chat);
  const reply = await admin.post(`/api/v1/conversations/${conversation.id}/messages`, { text: 'Of course! What is your order number?' });
  expect(reply.status).toBe(202);
  expect(reply.body.message.status).toBe('pending');

  const call = await fake.waitForCall((c) => c.json?.text === 'Of course! What is your order number?');
  expect(call.method).toBe('POST');
  expect(call.path).toBe(`/sessions/${channel.id}/messages`);
  expect(call.json).toEqual({ chatId: chat, text: 'Of course! What is your order number?' });
  const sent = await messageWithStatus(conversation.id, reply.body.message.id, 'sent');
  expect(sent.platformMessageId).toBe(expectedId);
  expect(sent.platformMessageId).toMatch(new RegExp(`^true_${chat}_[0-9A-F]{20}$`));
  expect(sent.sentAt).not.toBeNull();
  expect(sendsTo(chat)).toHaveLength(1);
  expect((await admin.get(`/api/v1/conversations/${conversation.id}`)).body.conversation.firstReplyAt).not.toBeNull();
});

test('a reply into a group goes to the group chat', async () => {
  const group = '120363039010379837@g.us';
  const conversation = await eventually(() => conversationFor(group));
  await sentReply(conversation.id, group, 'Thanks team, on it.');
  expect(sendsTo(group).map((c) => c.json.text)).toEqual(['Thanks team, on it.']);
  expect(sendsTo('8618500946096@c.us')).toHaveLength(0);
});

test('acks 2 then 3 move a reply to delivered then read (API and socket); a late ack 2 does not move it back', async () => {
  const chat = '4915112345020@c.us';
  const conversation = await customerWrites(chat, 'where is my parcel?');
  const { socket, events } = await connectSocket(app.url, admin.token!);
  try {
    const session = sessionOf(channel.id);
    const first = await sentReply(conversation.id, chat, 'It left the warehouse this morning.');
    const waId = first.platformMessageId;
    const updated = (id: string, status: string) =>
      eventually(() => events.find((e) => e.name === 'message.updated' && e.payload.message.id === id && e.payload.message.status === status));

    // 0 (pending) and 1 (server) change nothing.
    session.ack(waId, 0);
    session.ack(waId, 1);
    session.ack(waId, 2);
    const delivered = await messageWithStatus(conversation.id, first.id, 'delivered');
    expect(delivered.deliveredAt).not.toBeNull();
    expect(delivered.readAt).toBeNull();
    await updated(first.id, 'delivered');

    session.ack(waId, 3);
    const read = await messageWithStatus(conversation.id, first.id, 'read');
    expect(read.readAt).not.toBeNull();
    expect((await updated(first.id, 'read')).payload.message.platformMessageId).toBe(waId);

    // The same receipt again, late.
    const eventsBeforeLate = events.length;
    session.ack(waId, 2);
    await sleep(500);
    expect((await messagesOf(conversation.id)).find((m) => m.id === first.id)).toMatchObject({ status: 'read', readAt: read.readAt });
    expect(events.slice(eventsBeforeLate).some((e) => e.name === 'message.updated' && e.payload.message.id === first.id)).toBe(false);

    // Out of order on a second reply: read arrives before delivered.
    const second = await sentReply(conversation.id, chat, 'Expected tomorrow before noon.');
    session.ack(second.platformMessageId, 3);
    await messageWithStatus(conversation.id, second.id, 'read');
    session.ack(second.platformMessageId, 2);
    await inboundJobDone({ type: 'status', platformMessageId: second.platformMessageId, status: 'delivered' });
    const afterLate = (await messagesOf(conversation.id)).find((m) => m.id === second.id);
    expect(afterLate.status).toBe('read');
    expect(afterLate.readAt).not.toBeNull();
    expect(events.some((e) => e.name === 'message.updated' && e.payload.message.id === second.id && e.payload.message.status === 'delivered')).toBe(false);
    expect((await messagesOf(conversation.id)).find((m) => m.id === first.id).status).toBe('read');
  } finally {
    socket.close();
  }
});

test('ack -1 on another reply ends it failed; the first reply is untouched', async () => {
  const chat = '4915112345030@c.us';
  const conversation = await customerWrites(chat, 'hello?');
  const { socket, events } = await connectSocket(app.url, admin.token!);
  try {
    const session = sessionOf(channel.id);
    const ok = await sentReply(conversation.id, chat, 'Hello!');
    const doomed = await sentReply(conversation.id, chat, 'Here are the details.');
    session.ack(ok.platformMessageId, 2);
    session.ack(doomed.platformMessageId, -1);
    const failed = await messageWithStatus(conversation.id, doomed.id, 'failed');
    expect(failed.failureReason).toBe('WhatsApp reported an error delivering this message');
    const event = await eventually(() =>
      events.find((e) => e.name === 'message.updated' && e.payload.message.id === doomed.id && e.payload.message.status === 'failed'),
    );
    expect(event.payload.message.failureReason).toBe(failed.failureReason);
    await messageWithStatus(conversation.id, ok.id, 'delivered');
    // A failed message stays failed whatever arrives later.
    session.ack(doomed.platformMessageId, 3);
    await inboundJobDone({ type: 'status', platformMessageId: doomed.platformMessageId, status: 'read' });
    expect((await messagesOf(conversation.id)).find((m) => m.id === doomed.id).status).toBe('failed');
  } finally {
    socket.close();
  }
});

test('a media reply goes through sendMedia with the uploaded bytes and the caption', async () => {
  const chat = '4915112345040@c.us';
  const conversation = await customerWrites(chat, 'send me the invoice please');
  const pdf = Buffer.from('%PDF-1.4 invoice 42 \x00\x01\x02\xff');
  const upload = await admin.request('POST', '/api/v1/uploads?filename=invoice-42.pdf', pdf, { 'content-type': 'application/pdf' });
  expect(upload.status).toBe(201);
  const expectedId = fake.peekNextMessageId(chat);
  const reply = await admin.post(`/api/v1/conversations/${conversation.id}/messages`, { text: 'Here is your invoice', uploadIds: [upload.body.upload.id] });
  expect(reply.status).toBe(202);

  const call = await fake.waitForCall((c) => c.json?.chatId === chat && c.json?.media !== undefined);
  expect(call.path).toBe(`/sessions/${channel.id}/messages`);
  expect(call.json.caption).toBe('Here is your invoice');
  expect(call.json.media).toMatchObject({ kind: 'document', mimeType: 'application/pdf', fileName: 'invoice-42.pdf' });
  expect(Buffer.from(call.json.media.base64, 'base64').equals(pdf)).toBe(true);
  const sent = await messageWithStatus(conversation.id, reply.body.message.id, 'sent');
  expect(sent.platformMessageId).toBe(expectedId);
  expect(sent.attachments).toEqual([expect.objectContaining({ kind: 'document', fileName: 'invoice-42.pdf', mimeType: 'application/pdf' })]);
  // One message: the caption went with the file, not as a second text.
  expect(sendsTo(chat)).toHaveLength(1);
});

test('a failed send through the session is retried and ends sent', async () => {
  const chat = '4915112345050@c.us';
  const conversation = await customerWrites(chat, 'anyone there?');
  fake.serverErrorNext();
  const reply = await admin.post(`/api/v1/conversations/${conversation.id}/messages`, { text: 'after a browser hiccup' });
  const sent = await messageWithStatus(conversation.id, reply.body.message.id, 'sent');
  expect(sendsTo(chat)).toHaveLength(2);
  expect(sent.platformMessageId).toBe(fake.sentIds[fake.sentIds.length - 1]);
});

// --- disconnects and restarts -------------------------------------------------------------------------------

test('a logout shows disconnected with the reason; restart relaunches the session for a new QR code', async () => {
  const session = sessionOf(channel.id);
  const startsBefore = session.starts;
  const stopsBefore = session.stops;
  session.disconnect('LOGOUT');
  const disconnected = await stateIs('disconnected');
  expect(disconnected.reason).toBe('LOGOUT');
  // Nothing reconnects by itself after a logout.
  expect(disconnected.reconnectInMs).toBeUndefined();
  expect(session.stops).toBe(stopsBefore + 1);

  // Replies wait while the phone is unlinked: none reaches WhatsApp.
  const conversation = await eventually(() => conversationFor('4915112345050@c.us'));
  const waiting = await admin.post(`/api/v1/conversations/${conversation.id}/messages`, { text: 'sent once paired again' });
  expect(waiting.status).toBe(202);
  await sleep(500);
  expect(fake.sendCalls().some((c) => c.json?.text === 'sent once paired again')).toBe(false);
  expect(session.starts).toBe(startsBefore);

  const restarted = await admin.post(`/api/v1/channels/${channel.id}/session/restart`);
  expect(restarted.status).toBe(202);
  await eventually(() => session.starts === startsBefore + 1);
  await stateIs('starting');
  session.showQr('2@after-logout-qr-code,a2V5,c2ln,aWQ=');
  expect((await stateIs('pairing')).qr).toBe('2@after-logout-qr-code,a2V5,c2ln,aWQ=');
  session.becomeReady();
  await stateIs('ready');
  // The same session object was relaunched: the factory built no second one.
  expect(created.get(channel.id)).toHaveLength(1);
  expect(defaultSessionRegistry.get(channel.id)).toBe(session);
  expect(session.starts).toBe(startsBefore + 1);

  // Once ready again, the waiting reply goes out.
  await messageWithStatus(conversation.id, waiting.body.message.id, 'sent');
});

test('a conflict shows disconnected with the reconnect delay; restart relaunches at once and cancels the pending reconnect', async () => {
  const session = sessionOf(channel.id);
  const startsBefore = session.starts;
  session.disconnect('CONFLICT');
  const disconnected = await stateIs('disconnected');
  expect(disconnected).toMatchObject({ reason: 'CONFLICT', reconnectInMs: 5000 });
  expect((await admin.post(`/api/v1/channels/${channel.id}/session/restart`)).status).toBe(202);
  await eventually(() => session.starts === startsBefore + 1);
  session.becomeReady();
  await stateIs('ready');
  // Past the 5 s backoff: the cancelled reconnect did not launch a second browser.
  await sleep(5_500);
  expect(session.starts).toBe(startsBefore + 1);
  expect((await sessionState()).body.session.status).toBe('ready');
}, 20_000);

// --- deleting the channel ----------------------------------------------------------------------------------------

test('deleting a channel stops its session; later events of it are not stored', async () => {
  const res = await admin.post('/api/v1/channels', { type: 'whatsapp_web', name: 'Second phone', settings: {} });
  expect(res.status).toBe(201);
  const second = res.body.channel;
  const session = await eventually(() => created.get(second.id)?.[0]?.starts === 1 && created.get(second.id)![0]);
  session.becomeReady();
  await stateIs('ready', second.id);
  // It works before the deletion.
  const before = waMessage('4915112345070@c.us', 'to the second phone');
  session.receive(before);
  await eventually(() => conversationFor('4915112345070@c.us', second.id));

  const mainSession = sessionOf(channel.id);
  const mainStops = mainSession.stops;
  const deleted = await admin.request('DELETE', `/api/v1/channels/${second.id}`);
  expect(deleted.status).toBe(200);
  expect(deleted.body.webhook.status).toBe('none');
  await eventually(() => session.stops === 1);
  expect(defaultSessionRegistry.get(second.id)).toBeUndefined();
  expect((await sessionState(second.id)).status).toBe(404);
  // The other channel's session is untouched.
  expect(mainSession.stops).toBe(mainStops);
  expect(defaultSessionRegistry.get(channel.id)).toBe(mainSession);
  expect((await sessionState()).body.session.status).toBe('ready');

  // A straggling event from the stopped browser goes nowhere.
  const after = waMessage('4915112345071@c.us', 'after the deletion');
  session.receive(after);
  await sleep(1_500);
  expect(await count(`SELECT count(*) AS n FROM messages WHERE external_id = $1`, [after.id._serialized])).toBe(0);
  // And it is not launched again by the next reconciliations.
  await sleep(500);
  expect(session.starts).toBe(1);
  expect(created.get(second.id)).toHaveLength(1);
});

// --- forged events ------------------------------------------------------------------------------------------------

test('an event signed with the wrong session secret is refused and nothing is stored', async () => {
  const ch = await app.parley.ctx.channels.get(channel.id);
  const chat = '4915112345080@c.us';
  const forged = JSON.stringify({ event: 'message', session: channel.id, payload: waMessage(chat, 'forged: please refund me') });
  const before = await count(`SELECT count(*) AS n FROM messages`);

  expect((await ingestWebhook(app.parley.ctx, ch, signedSessionRequest('not-the-session-secret-0123456789abcdef', forged))).status).toBe(401);
  // Unsigned, and signed with another channel's secret.
  const unsigned = signedSessionRequest(sessionSecret, forged);
  delete unsigned.headers[SESSION_SIGNATURE_HEADER];
  expect((await ingestWebhook(app.parley.ctx, ch, unsigned)).status).toBe(401);
  // The right secret over other bytes.
  const other = signedSessionRequest(sessionSecret, forged.replace('forged', 'honest'));
  expect((await ingestWebhook(app.parley.ctx, ch, { ...other, rawBody: Buffer.from(forged) })).status).toBe(401);

  // Nor can anyone reach that path over HTTP: a WhatsApp Web channel has no webhook, even correctly signed.
  const signed = signedSessionRequest(sessionSecret, forged);
  const http = await fetch(channel.webhookUrl.replace('https://parley.example.test', app.url), {
    method: 'POST',
    headers: signed.headers as Record<string, string>,
    body: forged,
  });
  expect(http.status).toBe(404);

  await sleep(700);
  expect(await count(`SELECT count(*) AS n FROM messages`)).toBe(before);
  expect(await count(`SELECT count(*) AS n FROM contact_identities WHERE external_id = $1`, [chat])).toBe(0);
  expect(await count(`SELECT count(*) AS n FROM dead_letters`)).toBe(0);
  expect(await conversationFor(chat)).toBeUndefined();

  // The control: the same bytes signed with the channel's secret are accepted and stored.
  expect((await ingestWebhook(app.parley.ctx, ch, signed)).status).toBe(200);
  const conversation = await eventually(() => conversationFor(chat));
  expect((await messagesOf(conversation.id)).map((m) => m.text)).toEqual(['forged: please refund me']);
});
