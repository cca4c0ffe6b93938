import { ApiClient, connectSocket, eventually, sleep, startTestParley, type TestParley } from '../support/parley';
import { TelegramInbox } from '../support/telegram-inbox';

/** Presence is real: an agent whose browser sockets are all gone for a while gets no new chats. */
let app: TestParley;
let admin: ApiClient;
let inbox: TelegramInbox;

beforeAll(async () => {
  app = await startTestParley({ PRESENCE_AWAY_AFTER_MS: '400' });
  admin = await ApiClient.login(app.url);
  inbox = await new TelegramInbox(app, admin).start();
});

afterAll(async () => {
  await app?.stop();
  await inbox?.stop();
});

async function waiting(): Promise<string[]> {
  return (await admin.get(`/api/v1/queue?channelId=${inbox.id}`)).body.waiting.map((w: any) => w.conversationId);
}

test('an agent whose sockets all closed is away after the configured time, gets nothing new, and is back with a new tab', async () => {
  const created = await admin.post('/api/v1/agents', { email: 'ewa@parley.test', name: 'Ewa', password: 'agent-password-1', capacity: 5 });
  const ewaId = created.body.agent.id;
  const ewa = await ApiClient.login(app.url, 'ewa@parley.test', 'agent-password-1');
  expect((await ewa.patch('/api/v1/me', { availability: 'online' })).status).toBe(200);

  const first = await connectSocket(app.url, ewa.token!);
  const second = await connectSocket(app.url, ewa.token!);
  const a = await inbox.customerWrites(910_001, 'Szia! Segítene?');
  await eventually(async () => (await admin.get(`/api/v1/conversations/${a.id}`)).body.conversation.assigneeId === ewaId);

  // One tab closed: still present.
  first.socket.close();
  await sleep(700);
  const b = await inbox.customerWrites(910_002, 'Zdravo, imam vprašanje');
  await eventually(async () => (await admin.get(`/api/v1/conversations/${b.id}`)).body.conversation.assigneeId === ewaId);

  // The last tab closed: away once the time has passed, and new customers wait.
  second.socket.close();
  await eventually(async () => (await app.parley.ctx.ds.query(`SELECT away_since FROM agents WHERE id = $1`, [ewaId]))[0].away_since !== null, 5000);
  const c = await inbox.customerWrites(910_003, 'Привіт!');
  await eventually(async () => (await waiting()).includes(c.id));
  expect((await admin.get(`/api/v1/conversations/${c.id}`)).body.conversation.assigneeId).toBeNull();

  // A tab again: available at once, and the waiting customer goes to her.
  const back = await connectSocket(app.url, ewa.token!);
  try {
    await eventually(async () => (await admin.get(`/api/v1/conversations/${c.id}`)).body.conversation.assigneeId === ewaId);
    expect(await waiting()).toEqual([]);
  } finally {
    back.socket.close();
  }
});
