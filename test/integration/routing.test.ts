import { ApiClient, eventually, startTestParley, type TestParley } from '../support/parley';
import { TelegramInbox } from '../support/telegram-inbox';

/** Routing per inbox and the waiting queue, against the real queues and database. */
let app: TestParley;
let admin: ApiClient;
const inboxes: TelegramInbox[] = [];
let chat = 500_000;

beforeAll(async () => {
  app = await startTestParley();
  admin = await ApiClient.login(app.url);
});

afterAll(async () => {
  await app?.stop();
  for (const i of inboxes) await i.stop();
});

async function newInbox(routing: object): Promise<TelegramInbox> {
  const inbox = await new TelegramInbox(app, admin).start();
  inboxes.push(inbox);
  expect((await admin.patch(`/api/v1/channels/${inbox.id}/routing`, routing)).status).toBe(200);
  return inbox;
}

let agentNo = 0;
async function agent(capacity: number, online = true): Promise<string> {
  const email = `agent${++agentNo}@parley.test`;
  const res = await admin.post('/api/v1/agents', { email, name: `Agent ${agentNo}`, password: 'agent-password-1', capacity });
  expect(res.status).toBe(201);
  if (online) await setOnline(res.body.agent.id);
  return res.body.agent.id;
}

async function setOnline(id: string, availability = 'online') {
  expect((await admin.patch(`/api/v1/agents/${id}`, { availability })).status).toBe(200);
}

async function queue(inbox: TelegramInbox): Promise<Array<{ conversationId: string; position: number }>> {
  return (await admin.get(`/api/v1/queue?channelId=${inbox.id}`)).body.waiting;
}

async function conversations(inbox: TelegramInbox): Promise<any[]> {
  return (await admin.get(`/api/v1/conversations?channelId=${inbox.id}&limit=200`)).body.conversations;
}

/** Writes as a new customer and waits until routing has placed them: assigned, or in the queue. */
async function arrives(inbox: TelegramInbox): Promise<{ chatId: number; conversationId: string }> {
  const chatId = ++chat;
  const c = await inbox.customerWrites(chatId, 'Dzień dobry, mam pytanie o zamówienie');
  await eventually(async () => {
    const now = (await admin.get(`/api/v1/conversations/${c.id}`)).body.conversation;
    return now.assigneeId || (await queue(inbox)).some((w) => w.conversationId === c.id);
  });
  return { chatId, conversationId: c.id };
}

test('ten customers for two agents of capacity three: four wait, are told their place, and go in arrival order to a third agent', async () => {
  const inbox = await newInbox({ strategy: 'round_robin', announceQueuePosition: true });
  const [a, b] = [await agent(3), await agent(3)];
  const customers = [];
  for (let i = 0; i < 10; i++) customers.push(await arrives(inbox));

  const byAgent = (list: any[], id: string) => list.filter((c) => c.assigneeId === id).length;
  let list = await conversations(inbox);
  expect([byAgent(list, a), byAgent(list, b)]).toEqual([3, 3]);
  const waiting = await queue(inbox);
  expect(waiting.map((w) => w.conversationId)).toEqual(customers.slice(6).map((c) => c.conversationId));
  // Each waiting customer heard their own place, in their conversation's channel.
  for (const [i, c] of customers.slice(6).entries()) {
    await eventually(() => inbox.textsTo(c.chatId).find((t) => t.includes(`number ${i + 1} in the queue`)));
  }
  for (const c of customers.slice(0, 6)) expect(inbox.textsTo(c.chatId)).toEqual([]);

  const third = await agent(3);
  await eventually(async () => (await queue(inbox)).length === 1);
  list = await conversations(inbox);
  const thirdGot = list.filter((c) => c.assigneeId === third).map((c) => c.id);
  expect(thirdGot.sort()).toEqual(
    customers
      .slice(6, 9)
      .map((c) => c.conversationId)
      .sort(),
  );
  expect((await queue(inbox))[0]).toMatchObject({ conversationId: customers[9].conversationId, position: 1 });
});

test('with a maximum queue of two, the third waiting customer is told the team is fully busy, and the conversation is kept', async () => {
  const inbox = await newInbox({ strategy: 'round_robin', maxQueueLength: 2, announceQueuePosition: true });
  await setOnline((await admin.get('/api/v1/me')).body.agent.id, 'offline');
  const people = [await arrives(inbox), await arrives(inbox), await arrives(inbox)];
  expect((await queue(inbox)).map((w) => w.conversationId)).toEqual(people.map((p) => p.conversationId));
  await eventually(() => inbox.textsTo(people[2].chatId).find((t) => t.startsWith('We are fully busy')));
  expect(inbox.textsTo(people[1].chatId).some((t) => t.includes('number 2 in the queue'))).toBe(true);
  expect((await admin.get(`/api/v1/conversations/${people[2].conversationId}`)).status).toBe(200);
});

test('manual pickup routes nobody; a hand assignment takes the conversation out of the queue', async () => {
  const inbox = await newInbox({ strategy: 'manual' });
  const someone = await agent(5);
  const c = await arrives(inbox);
  expect((await queue(inbox)).map((w) => w.conversationId)).toEqual([c.conversationId]);
  expect((await admin.post(`/api/v1/conversations/${c.conversationId}/assign`, { agentId: someone })).status).toBe(200);
  expect(await queue(inbox)).toEqual([]);
  await setOnline(someone, 'offline');
});

test('least busy gives the next conversation to the agent with the smallest share of their capacity', async () => {
  const inbox = await newInbox({ strategy: 'least_busy' });
  const big = await agent(4, false);
  const small = await agent(1, false);
  await setOnline(big);
  const first = await arrives(inbox);
  expect((await admin.get(`/api/v1/conversations/${first.conversationId}`)).body.conversation.assigneeId).toBe(big);
  await setOnline(small);
  // big has 1 of 4 (0.25), small 0 of 1 (0): small is less busy.
  const second = await arrives(inbox);
  expect((await admin.get(`/api/v1/conversations/${second.conversationId}`)).body.conversation.assigneeId).toBe(small);
  for (const id of [big, small]) await setOnline(id, 'offline');
});

test('routing settings are validated; only admins change them', async () => {
  const inbox = inboxes[0];
  expect((await admin.patch(`/api/v1/channels/${inbox.id}/routing`, { strategy: 'random' })).status).toBe(400);
  expect((await admin.patch(`/api/v1/channels/${inbox.id}/routing`, { maxQueueLength: -1 })).status).toBe(400);
  expect((await admin.patch(`/api/v1/channels/${inbox.id}/routing`, { colour: 'red' })).status).toBe(400);
  await agent(1, false);
  const asAgent = await ApiClient.login(app.url, `agent${agentNo}@parley.test`, 'agent-password-1');
  expect((await asAgent.patch(`/api/v1/channels/${inbox.id}/routing`, { strategy: 'manual' })).status).toBe(403);
  expect((await asAgent.get(`/api/v1/channels/${inbox.id}/routing`)).body.routing).toMatchObject({ strategy: 'round_robin', announceQueuePosition: true });
});
