import { Client } from 'pg';
import { FakeTelegramBotApi } from '../../connectors/telegram/testing/fake-bot-api';
import { TEST_BOT_TOKEN } from '../../connectors/telegram/testing/harness';
import { parseTelegramUpdate } from '../../connectors/telegram/parse-update';
import { inboundJobId } from '../../src/queues/queues';
import { ApiClient, connectSocket, countRows, eventually, startTestParley, waitForInboundJob, type TestParley } from '../support/parley';

/**
 * The core pipeline end to end on the real app, PostgreSQL and Redis, with Telegram faked by an HTTP server:
 * webhook → verify → parse → queue → store → API + socket → reply → outbound queue → fake Bot API.
 */
let app: TestParley;
let fake: FakeTelegramBotApi;
let admin: ApiClient;
let db: Client;
let channel: { id: string; webhookUrl: string };
let secret: string;
let nextUpdateId = 1000;

beforeAll(async () => {
  fake = new FakeTelegramBotApi(TEST_BOT_TOKEN);
  await fake.start();
  app = await startTestParley();
  admin = await ApiClient.login(app.url);
  await admin.patch('/api/v1/me', { availability: 'online' });
  db = new Client({ connectionString: app.databaseUrl });
  await db.connect();

  const created = await admin.post('/api/v1/channels', {
    type: 'telegram',
    name: 'Support bot',
    credentials: { botToken: TEST_BOT_TOKEN },
    settings: { apiRoot: fake.url },
  });
  expect(created.status).toBe(201);
  channel = created.body.channel;
  const registered = await admin.post(`/api/v1/channels/${channel.id}/register-webhook`);
  expect(registered.status).toBe(200);
  // Parley generated the secret and gave it to Telegram in setWebhook: read it where Telegram would.
  const setWebhook = fake.callsTo(/\/setWebhook$/)[0];
  secret = setWebhook.json.secret_token;
  expect(setWebhook.json.url).toBe(channel.webhookUrl);
});

afterAll(async () => {
  await db?.end();
  await app?.stop();
  await fake?.stop();
});

function webhookPath(): string {
  return new URL(channel.webhookUrl).pathname;
}

function textUpdate(chatId: number, messageId: number, text: string, from = { id: chatId, first_name: 'Ada', last_name: 'Lovelace' }) {
  return {
    update_id: nextUpdateId++,
    message: {
      message_id: messageId,
      date: Math.floor(Date.now() / 1000),
      chat: { id: chatId, type: 'private', first_name: from.first_name },
      from: { ...from, is_bot: false },
      text,
    },
  };
}

async function postUpdate(update: unknown, token: string | null = secret) {
  const res = await fetch(`${app.url}${webhookPath()}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { 'x-telegram-bot-api-secret-token': token } : {}) },
    body: JSON.stringify(update),
  });
  return res.status;
}

async function conversationForChat(chatId: number) {
  const list = await admin.get('/api/v1/conversations?limit=200');
  return list.body.conversations.find((c: any) => c.externalThreadId === String(chatId));
}

const count = (sql: string, params: unknown[] = []) => countRows(db, sql, params);

test('a message arrives as a conversation, a message and socket events, and is assigned', async () => {
  const { socket, events } = await connectSocket(app.url, admin.token!);
  try {
    expect(await postUpdate(textUpdate(5001, 1, 'Hello, my order is late'))).toBe(200);
    const conversation = await eventually(() => conversationForChat(5001));
    expect(conversation.status).toBe('open');
    expect(conversation.platform).toBeNull();
    const messages = await admin.get(`/api/v1/conversations/${conversation.id}/messages`);
    expect(messages.body.messages).toHaveLength(1);
    expect(messages.body.messages[0]).toMatchObject({ direction: 'inbound', text: 'Hello, my order is late', externalId: '5001:1', status: 'received' });

    const contact = await admin.get(`/api/v1/contacts/${conversation.contactId}`);
    expect(contact.body.contact).toMatchObject({ name: 'Ada Lovelace', blocked: false });
    expect(contact.body.contact.identities[0]).toMatchObject({ channelId: channel.id, externalId: '5001' });

    await eventually(() => events.find((e) => e.name === 'message.created' && e.payload.message.text === 'Hello, my order is late')).catch((e) => {
      throw new Error(`no message.created socket event (got ${JSON.stringify(events.map((x) => x.name))}): ${e.message}`);
    });
    await eventually(() => events.find((e) => e.name === 'conversation.created' && e.payload.conversation.id === conversation.id));
    // The only online agent (the admin) gets it by round robin.
    const assigned = await eventually(async () => {
      const c = (await admin.get(`/api/v1/conversations/${conversation.id}`)).body.conversation;
      return c.assigneeId ? c : null;
    });
    const me = await admin.get('/api/v1/me');
    expect(assigned.assigneeId).toBe(me.body.agent.id);
  } finally {
    socket.close();
  }
});

test("the agent's reply reaches the Bot API as sendMessage to the right chat and ends sent", async () => {
  await postUpdate(textUpdate(5002, 1, 'Can you help?'));
  const conversation = await eventually(() => conversationForChat(5002));
  const reply = await admin.post(`/api/v1/conversations/${conversation.id}/messages`, { text: 'Of course! What is your order number?' });
  expect(reply.status).toBe(202);
  expect(reply.body.message.status).toBe('pending');

  const call = await fake.waitForCall((c) => c.path.endsWith('/sendMessage') && c.json?.text === 'Of course! What is your order number?');
  expect(String(call.json.chat_id)).toBe('5002');
  const sent = await eventually(async () => {
    const m = (await admin.get(`/api/v1/conversations/${conversation.id}/messages`)).body.messages.find((x: any) => x.id === reply.body.message.id);
    return m.status === 'sent' ? m : null;
  });
  expect(sent.platformMessageId).toMatch(/^\d+$/);
  expect((await admin.get(`/api/v1/conversations/${conversation.id}`)).body.conversation.firstReplyAt).not.toBeNull();
});

test("replies to one chat are spaced to Telegram's pace of one message a second", async () => {
  await postUpdate(textUpdate(5011, 1, 'tell me three things'));
  const conversation = await eventually(() => conversationForChat(5011));
  for (const n of [1, 2, 3]) await admin.post(`/api/v1/conversations/${conversation.id}/messages`, { text: `thing ${n}` });
  const sends = () => fake.calls.filter((c) => c.path.endsWith('/sendMessage') && /^thing \d$/.test(c.json?.text ?? ''));
  await eventually(() => sends().length === 3, 15_000);
  // Slots are booked a second apart; a job the delay queue wakes a little late shortens the gap to the next
  // one, not the overall pace: three sends span two seconds.
  const times = sends().map((c) => c.at);
  expect(times[2] - times[0]).toBeGreaterThanOrEqual(1900);
  expect(times[1] - times[0]).toBeGreaterThanOrEqual(800);
  expect(times[2] - times[1]).toBeGreaterThanOrEqual(800);
  const statuses = (await admin.get(`/api/v1/conversations/${conversation.id}/messages`)).body.messages.filter((m: any) => m.direction === 'outbound');
  await eventually(
    async () => (await admin.get(`/api/v1/conversations/${conversation.id}/messages`)).body.messages.filter((m: any) => m.status === 'sent').length === 3,
  );
  expect(statuses).toHaveLength(3);
});

test('a private note is stored and never sent', async () => {
  await postUpdate(textUpdate(5003, 1, 'hi'));
  const conversation = await eventually(() => conversationForChat(5003));
  const before = fake.sendCalls().length;
  const note = await admin.post(`/api/v1/conversations/${conversation.id}/messages`, { text: 'VIP customer, be nice', private: true });
  expect(note.status).toBe(201);
  expect(note.body.message).toMatchObject({ private: true, status: 'note' });
  await new Promise((r) => setTimeout(r, 500));
  expect(fake.sendCalls().length).toBe(before);
});

test('the same update posted twice is stored once', async () => {
  const update = textUpdate(5004, 7, 'only once please');
  expect(await postUpdate(update)).toBe(200);
  expect(await postUpdate(update)).toBe(200);
  // And once more after the first job has certainly completed: the database is the final guard.
  const conversation = await eventually(() => conversationForChat(5004));
  expect(await postUpdate(update)).toBe(200);
  await new Promise((r) => setTimeout(r, 700));
  expect(await count(`SELECT count(*) AS n FROM messages WHERE conversation_id = $1`, [conversation.id])).toBe(1);
});

test('a repeat delivery after the conversation was resolved opens no new, empty conversation', async () => {
  const update = textUpdate(5012, 3, 'thanks, solved');
  expect(await postUpdate(update)).toBe(200);
  const conversation = await eventually(() => conversationForChat(5012));
  await waitForInboundJob(app, channel.id, parseTelegramUpdate(update)[0]);
  expect((await admin.patch(`/api/v1/conversations/${conversation.id}/status`, { status: 'resolved' })).status).toBe(200);
  // Telegram delivers the same update again after its job was removed: only the database can tell.
  await app.parley.ctx.queues.inbound.remove(inboundJobId(channel.id, parseTelegramUpdate(update)[0])!);
  expect(await postUpdate(update)).toBe(200);
  await waitForInboundJob(app, channel.id, parseTelegramUpdate(update)[0]);
  expect(await count(`SELECT count(*) AS n FROM conversations WHERE external_thread_id = '5012'`)).toBe(1);
  expect(await count(`SELECT count(*) AS n FROM messages WHERE external_id = '5012:3'`)).toBe(1);
});

test('twenty first messages from one new user posted at once give one contact, one conversation and twenty messages', async () => {
  const updates = Array.from({ length: 20 }, (_, i) => textUpdate(5005, 100 + i, `burst ${i}`));
  const statuses = await Promise.all(updates.map((u) => postUpdate(u)));
  expect(statuses.every((s) => s === 200)).toBe(true);
  await eventually(async () => (await count(`SELECT count(*) AS n FROM messages WHERE external_id LIKE '5005:%'`)) === 20);
  expect(await count(`SELECT count(*) AS n FROM contact_identities WHERE channel_id = $1 AND external_id = '5005'`, [channel.id])).toBe(1);
  expect(await count(`SELECT count(DISTINCT contact_id) AS n FROM contact_identities WHERE external_id = '5005'`)).toBe(1);
  expect(await count(`SELECT count(*) AS n FROM conversations WHERE external_thread_id = '5005'`)).toBe(1);
});

test('a 429 is retried after retry_after and the message ends sent', async () => {
  await postUpdate(textUpdate(5006, 1, 'rate limit me'));
  const conversation = await eventually(() => conversationForChat(5006));
  fake.rateLimitNext(1);
  const reply = await admin.post(`/api/v1/conversations/${conversation.id}/messages`, { text: 'after the wait' });
  const calls = () => fake.calls.filter((c) => c.path.endsWith('/sendMessage') && c.json?.text === 'after the wait');
  await eventually(() => calls().length >= 2, 15_000);
  const [first, second] = calls();
  expect(second.at - first.at).toBeGreaterThanOrEqual(950);
  await eventually(async () => {
    const m = (await admin.get(`/api/v1/conversations/${conversation.id}/messages`)).body.messages.find((x: any) => x.id === reply.body.message.id);
    return m.status === 'sent';
  });
});

test('a 403 ends failed with the reason and marks the contact blocked', async () => {
  await postUpdate(textUpdate(5007, 1, 'bye'));
  const conversation = await eventually(() => conversationForChat(5007));
  fake.blockNext();
  const reply = await admin.post(`/api/v1/conversations/${conversation.id}/messages`, { text: 'are you there?' });
  const failed = await eventually(async () => {
    const m = (await admin.get(`/api/v1/conversations/${conversation.id}/messages`)).body.messages.find((x: any) => x.id === reply.body.message.id);
    return m.status === 'failed' ? m : null;
  });
  expect(failed.failureReason).toContain('bot was blocked by the user');
  const contact = await admin.get(`/api/v1/contacts/${conversation.contactId}`);
  expect(contact.body.contact.blocked).toBe(true);
  // Only one attempt: a permanent error is not retried.
  expect(fake.calls.filter((c) => c.json?.text === 'are you there?')).toHaveLength(1);
  // And the next reply is refused up front with a clear error.
  const again = await admin.post(`/api/v1/conversations/${conversation.id}/messages`, { text: 'hello?' });
  expect(again.status).toBe(409);
  expect(again.body.error).toContain('blocked');
});

test('a wrong or missing secret token gets 401 and stores nothing', async () => {
  const before = await count(`SELECT count(*) AS n FROM messages`);
  expect(await postUpdate(textUpdate(5008, 1, 'forged'), 'wrong-secret-token-00000000')).toBe(401);
  expect(await postUpdate(textUpdate(5008, 2, 'unsigned'), null)).toBe(401);
  await new Promise((r) => setTimeout(r, 500));
  expect(await count(`SELECT count(*) AS n FROM messages`)).toBe(before);
  expect(await count(`SELECT count(*) AS n FROM contact_identities WHERE external_id = '5008'`)).toBe(0);
});

test('an unknown webhook id is 404', async () => {
  const res = await fetch(`${app.url}/webhooks/doesnotexist123`, { method: 'POST', body: '{}' });
  expect(res.status).toBe(404);
});

test('a signed payload that can never parse is kept as a dead letter and answered 200', async () => {
  const res = await fetch(`${app.url}${webhookPath()}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret },
    body: '{"this is": not json',
  });
  expect(res.status).toBe(200);
  expect(await count(`SELECT count(*) AS n FROM dead_letters WHERE channel_id = $1 AND body = $2`, [channel.id, Buffer.from('{"this is": not json')])).toBe(1);
});

test('a user blocking the bot marks the contact blocked; an edit updates the stored message', async () => {
  await postUpdate(textUpdate(5009, 1, 'first version'));
  const conversation = await eventually(() => conversationForChat(5009));
  await postUpdate({
    update_id: nextUpdateId++,
    edited_message: {
      message_id: 1,
      date: 1,
      edit_date: Math.floor(Date.now() / 1000),
      chat: { id: 5009, type: 'private' },
      from: { id: 5009, is_bot: false, first_name: 'Ada' },
      text: 'second version',
    },
  });
  await eventually(async () => {
    const msgs = (await admin.get(`/api/v1/conversations/${conversation.id}/messages`)).body.messages;
    return msgs.length === 1 && msgs[0].text === 'second version' && msgs[0].editedAt;
  });
  await postUpdate({
    update_id: nextUpdateId++,
    my_chat_member: {
      chat: { id: 5009, type: 'private', first_name: 'Ada' },
      from: { id: 5009, is_bot: false, first_name: 'Ada' },
      date: Math.floor(Date.now() / 1000),
      old_chat_member: { user: { id: 1, is_bot: true, first_name: 'bot' }, status: 'member' },
      new_chat_member: { user: { id: 1, is_bot: true, first_name: 'bot' }, status: 'kicked', until_date: 0 },
    },
  });
  await eventually(async () => (await admin.get(`/api/v1/contacts/${conversation.contactId}`)).body.contact.blocked === true);
});

test('customer media downloads through getFile; agent media goes out as a file upload', async () => {
  fake.files.set('PHOTO-1', { data: Buffer.from('\x89PNG fake image bytes'), path: 'photos/file_1.png' });
  await postUpdate({
    update_id: nextUpdateId++,
    message: {
      message_id: 1,
      date: Math.floor(Date.now() / 1000),
      chat: { id: 5010, type: 'private' },
      from: { id: 5010, is_bot: false, first_name: 'Grace' },
      caption: 'my receipt',
      photo: [{ file_id: 'PHOTO-1', file_unique_id: 'u1', width: 90, height: 90, file_size: 21 }],
    },
  });
  const conversation = await eventually(() => conversationForChat(5010));
  const [msg] = (await admin.get(`/api/v1/conversations/${conversation.id}/messages`)).body.messages;
  expect(msg.attachments[0]).toMatchObject({ kind: 'image' });
  expect(msg.attachments[0].mediaRef).toBeUndefined();
  const file = await fetch(`${app.url}/api/v1/messages/${msg.id}/attachments/0`, { headers: { authorization: `Bearer ${admin.token}` } });
  expect(file.status).toBe(200);
  expect(Buffer.from(await file.arrayBuffer()).toString()).toBe('\x89PNG fake image bytes');

  const upload = await admin.request('POST', '/api/v1/uploads?filename=invoice.pdf', Buffer.from('%PDF-1.4 invoice'), { 'content-type': 'application/pdf' });
  expect(upload.status).toBe(201);
  const reply = await admin.post(`/api/v1/conversations/${conversation.id}/messages`, { text: 'here is your invoice', uploadIds: [upload.body.upload.id] });
  expect(reply.status).toBe(202);
  const call = await fake.waitForCall((c) => c.path.endsWith('/sendDocument'));
  const form = await FakeTelegramBotApi.formOf(call);
  expect(form?.get('chat_id')).toBe('5010');
  expect(form?.get('caption')).toBe('here is your invoice');
  const doc = form?.get('document') as File;
  expect(Buffer.from(await doc.arrayBuffer()).toString()).toBe('%PDF-1.4 invoice');
});
