import { FakeTelegramBotApi } from '../../connectors/telegram/testing/fake-bot-api';
import { ApiClient, eventually, startTestParley, type TestParley } from '../support/parley';

/** One customer writing to two channels is one person once an admin merges the two contacts. */
const TOKENS = ['111111111:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw', '222222222:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw'];
let app: TestParley;
let admin: ApiClient;
const fakes: FakeTelegramBotApi[] = [];
const channels: Array<{ id: string; path: string; secret: string }> = [];
let updateId = 1;

beforeAll(async () => {
  app = await startTestParley();
  admin = await ApiClient.login(app.url);
  for (const token of TOKENS) {
    const fake = new FakeTelegramBotApi(token);
    await fake.start();
    fakes.push(fake);
    const ch = (
      await admin.post('/api/v1/channels', {
        type: 'telegram',
        name: `bot ${token.slice(0, 3)}`,
        credentials: { botToken: token },
        settings: { apiRoot: fake.url },
      })
    ).body.channel;
    await admin.post(`/api/v1/channels/${ch.id}/register-webhook`);
    channels.push({ id: ch.id, path: new URL(ch.webhookUrl).pathname, secret: fake.callsTo(/setWebhook/)[0].json.secret_token });
  }
});

afterAll(async () => {
  await app?.stop();
  for (const f of fakes) await f.stop();
});

async function say(channel: number, chatId: number, text: string, firstName: string) {
  const res = await fetch(`${app.url}${channels[channel].path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': channels[channel].secret },
    body: JSON.stringify({
      update_id: updateId++,
      message: {
        message_id: updateId,
        date: 1700000000,
        chat: { id: chatId, type: 'private' },
        from: { id: chatId, is_bot: false, first_name: firstName },
        text,
      },
    }),
  });
  expect(res.status).toBe(200);
}

async function conversationOn(channel: number) {
  return eventually(async () => (await admin.get(`/api/v1/conversations?channelId=${channels[channel].id}`)).body.conversations[0]);
}

test('merging keeps both identities and both conversations on one person, and replies still go out on each channel', async () => {
  await say(0, 9001, 'hello from bot one', 'Marie');
  await say(1, 9002, 'hello from bot two', 'Marie C.');
  const first = await conversationOn(0);
  const second = await conversationOn(1);
  expect(first.contactId).not.toBe(second.contactId);

  const agent = await admin.post('/api/v1/agents', { email: 'ag@parley.test', name: 'ag', password: 'agent-password-1' });
  expect(agent.status).toBe(201);
  const asAgent = await ApiClient.login(app.url, 'ag@parley.test', 'agent-password-1');
  expect((await asAgent.post(`/api/v1/contacts/${second.contactId}/merge`, { intoContactId: first.contactId })).status).toBe(403);

  const merged = await admin.post(`/api/v1/contacts/${second.contactId}/merge`, { intoContactId: first.contactId });
  expect(merged.status).toBe(200);
  const person = (await admin.get(`/api/v1/contacts/${first.contactId}`)).body.contact;
  expect(person.identities.map((i: any) => i.channelId).sort()).toEqual([channels[0].id, channels[1].id].sort());
  expect(person.conversations.map((c: any) => c.id).sort()).toEqual([first.id, second.id].sort());
  expect((await admin.get(`/api/v1/contacts/${second.contactId}`)).body.contact.mergedIntoId).toBe(first.contactId);

  // A new message on the second channel lands on the surviving person, in the same conversation.
  await say(1, 9002, 'still me', 'Marie C.');
  await eventually(async () => (await admin.get(`/api/v1/conversations/${second.id}/messages`)).body.messages.length === 2);
  expect((await admin.get(`/api/v1/conversations/${second.id}`)).body.conversation.contactId).toBe(first.contactId);

  // Replies go back through the channel each conversation came from.
  await admin.post(`/api/v1/conversations/${second.id}/messages`, { text: 'answer on bot two' });
  const call = await fakes[1].waitForCall((c) => c.path.endsWith('/sendMessage'));
  expect(String(call.json.chat_id)).toBe('9002');
  expect(fakes[0].sendCalls()).toHaveLength(0);
});

test('a contact cannot be merged into itself, twice, or into a missing contact', async () => {
  await say(0, 9003, 'a', 'A');
  await say(0, 9004, 'b', 'B');
  const a = await eventually(async () =>
    (await admin.get(`/api/v1/conversations?limit=200`)).body.conversations.find((c: any) => c.externalThreadId === '9003'),
  );
  const b = await eventually(async () =>
    (await admin.get(`/api/v1/conversations?limit=200`)).body.conversations.find((c: any) => c.externalThreadId === '9004'),
  );
  expect((await admin.post(`/api/v1/contacts/${a.contactId}/merge`, { intoContactId: a.contactId })).status).toBe(422);
  expect((await admin.post(`/api/v1/contacts/${a.contactId}/merge`, { intoContactId: '00000000-0000-4000-8000-000000000000' })).status).toBe(404);
  expect((await admin.post(`/api/v1/contacts/${a.contactId}/merge`, { intoContactId: b.contactId })).status).toBe(200);
  expect((await admin.post(`/api/v1/contacts/${a.contactId}/merge`, { intoContactId: b.contactId })).status).toBe(409);
});
