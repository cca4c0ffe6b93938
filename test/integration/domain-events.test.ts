import { FakeTelegramBotApi } from '../../connectors/telegram/testing/fake-bot-api';
import { ContactService } from '../../src/contacts/contact.service';
import { createDataSource } from '../../src/database/data-source';
import { ApiClient, connectSocket, eventually, startTestParley, type TestParley } from '../support/parley';

/** Changes reach listeners through the outbox: events nobody published by hand before, and none lost. */
const TOKEN = '333333333:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw';
let app: TestParley;
let admin: ApiClient;
let fake: FakeTelegramBotApi;
let channel: { id: string; path: string; secret: string };
let updateId = 1;

beforeAll(async () => {
  app = await startTestParley();
  admin = await ApiClient.login(app.url);
  fake = new FakeTelegramBotApi(TOKEN);
  await fake.start();
  const ch = (await admin.post('/api/v1/channels', { type: 'telegram', name: 'bot', credentials: { botToken: TOKEN }, settings: { apiRoot: fake.url } })).body
    .channel;
  await admin.post(`/api/v1/channels/${ch.id}/register-webhook`);
  channel = { id: ch.id, path: new URL(ch.webhookUrl).pathname, secret: fake.callsTo(/setWebhook/)[0].json.secret_token };
});

afterAll(async () => {
  await app?.stop();
  await fake?.stop();
});

async function post(update: object) {
  const res = await fetch(`${app.url}${channel.path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': channel.secret },
    body: JSON.stringify({ update_id: updateId++, ...update }),
  });
  expect(res.status).toBe(200);
}

const from = (id: number, name: string) => ({ id, is_bot: false, first_name: name });

async function customerWrites(chatId: number, name: string, text: string) {
  await post({ message: { message_id: updateId, date: 1700000000, chat: { id: chatId, type: 'private' }, from: from(chatId, name), text } });
  return eventually(async () =>
    (await admin.get(`/api/v1/conversations?limit=200`)).body.conversations.find((c: any) => c.externalThreadId === String(chatId)),
  );
}

test('a customer blocking and unblocking the bot sends contact.updated with the new standing', async () => {
  const conversation = await customerWrites(7001, 'Zoë', 'hi');
  const { socket, events } = await connectSocket(app.url, admin.token!);
  try {
    const member = (status: string) => ({ user: from(1, 'bot'), status });
    await post({
      my_chat_member: {
        chat: { id: 7001, type: 'private' },
        from: from(7001, 'Zoë'),
        date: 1700000100,
        old_chat_member: member('member'),
        new_chat_member: member('kicked'),
      },
    });
    const blocked = await eventually(() => events.find((e) => e.name === 'contact.updated' && e.payload.contact.blocked));
    expect(blocked.payload.contact.id).toBe(conversation.contactId);

    await post({
      my_chat_member: {
        chat: { id: 7001, type: 'private' },
        from: from(7001, 'Zoë'),
        date: 1700000200,
        old_chat_member: member('kicked'),
        new_chat_member: member('member'),
      },
    });
    await eventually(() => events.find((e) => e.name === 'contact.updated' && e.payload.contact.id === conversation.contactId && !e.payload.contact.blocked));
  } finally {
    socket.close();
  }
});

test('a merge sends contact.updated for the surviving contact, with both identities', async () => {
  const a = await customerWrites(7002, 'Ana', 'one');
  const b = await customerWrites(7003, 'Ana B.', 'two');
  const { socket, events } = await connectSocket(app.url, admin.token!);
  try {
    expect((await admin.post(`/api/v1/contacts/${b.contactId}/merge`, { intoContactId: a.contactId })).status).toBe(200);
    const update = await eventually(() => events.find((e) => e.name === 'contact.updated' && e.payload.contact.id === a.contactId));
    expect(update.payload.contact.identities.map((i: any) => i.externalId).sort()).toEqual(['7002', '7003']);
  } finally {
    socket.close();
  }
});

test('an event committed by a process that died before handing it on still reaches the listeners', async () => {
  const a = await customerWrites(7004, 'Jan', 'one');
  const b = await customerWrites(7005, 'Jan K.', 'two');
  const { socket, events } = await connectSocket(app.url, admin.token!);
  // A second process's view of the database: its commits record events but nothing nudges the relay, exactly
  // as when a worker is killed between the commit and the hand-off.
  const orphan = await createDataSource(app.databaseUrl, { poolSize: 1 }).initialize();
  try {
    expect(orphan.subscribers).toHaveLength(0);
    await new ContactService(orphan).merge(b.contactId, a.contactId);
    const update = await eventually(() => events.find((e) => e.name === 'contact.updated' && e.payload.contact.id === a.contactId), 5000);
    expect(update.payload.contact.identities).toHaveLength(2);
    const [{ n }] = await orphan.query(`SELECT count(*)::int AS n FROM domain_events WHERE dispatched_at IS NULL`);
    expect(n).toBe(0);
  } finally {
    socket.close();
    await orphan.destroy();
  }
});

test('agent replies, status changes and assignments reach the socket as before, in order', async () => {
  const c = await customerWrites(7006, 'Olek', 'hello');
  // The customer's own events are relayed before the socket listens, so it hears only what follows.
  await eventually(async () => (await app.parley.ctx.ds.query(`SELECT count(*)::int AS n FROM domain_events WHERE dispatched_at IS NULL`))[0].n === 0);
  const { socket, events } = await connectSocket(app.url, admin.token!);
  try {
    await admin.post(`/api/v1/conversations/${c.id}/assign`, { agentId: (await admin.get('/api/v1/me')).body.agent.id });
    await admin.patch(`/api/v1/conversations/${c.id}/status`, { status: 'pending' });
    const reply = (await admin.post(`/api/v1/conversations/${c.id}/messages`, { text: 'Dzień dobry, Олег 👋' })).body.message;
    await eventually(() => events.find((e) => e.name === 'message.updated' && e.payload.message.id === reply.id && e.payload.message.status === 'sent'));
    const mine = events.filter((e) => (e.payload.conversation?.id ?? e.payload.message?.conversationId) === c.id);
    // Payloads are the records as they are when relayed (a reply may already be `sent` in its message.created);
    // the order of the events is the order of the changes.
    const names = mine.map((e) => e.name);
    expect(names.slice(0, 3)).toEqual(['conversation.updated', 'conversation.updated', 'message.created']);
    expect(names.slice(3).every((n) => n === 'message.updated')).toBe(true);
    expect(mine.at(-1)!.payload.message.status).toBe('sent');
    expect(mine.find((e) => e.name === 'message.created')!.payload.message.text).toBe('Dzień dobry, Олег 👋');
  } finally {
    socket.close();
  }
});
