import { Client } from 'pg';
import { ApiClient, countRows, eventually, startTestParley, type TestParley } from '../support/parley';
import { TelegramInbox } from '../support/telegram-inbox';
import { createAgent, useSockets, type TestSocket as Sock } from '../support/test-app';

/**
 * Issue 8: an agent cannot read, list or receive socket events for a conversation of an inbox they do not
 * belong to; routing gives an inbox's conversations only to its members; a change of membership reaches open
 * sockets. Two Telegram inboxes, customers writing through their webhooks, real queues and database.
 */
let app: TestParley;
let admin: ApiClient;
let wsparcie: TelegramInbox;
let sprzedaz: TelegramInbox;
let chat = 700_000;
let n = 0;

const openSocket = useSockets();

beforeAll(async () => {
  app = await startTestParley();
  admin = await ApiClient.login(app.url);
  wsparcie = await new TelegramInbox(app, admin).start('Wsparcie');
  sprzedaz = await new TelegramInbox(app, admin).start('Sprzedaż');
  // Manual pickup: these tests look at who may see what, not at who routing picks (the last test does).
  for (const inbox of [wsparcie, sprzedaz]) expect((await admin.patch(`/api/v1/channels/${inbox.id}/routing`, { strategy: 'manual' })).status).toBe(200);
}, 60_000);

afterAll(async () => {
  await app?.stop();
  await wsparcie?.stop();
  await sprzedaz?.stop();
});

async function agent(inboxIds?: string[], extra: object = {}): Promise<{ id: string; client: ApiClient }> {
  const email = `inbox-agent${++n}@parley.test`;
  const password = `hasło-${n}-Gżegżółka`;
  return createAgent(app, admin, { email, name: `Agentka ${n} Ślązak`, password, ...(inboxIds ? { inboxIds } : {}), ...extra });
}

async function customer(inbox: TelegramInbox, text: string): Promise<string> {
  return (await inbox.customerWrites(++chat, text, 'Zdzisław')).id;
}

const socketOf = (client: ApiClient) => openSocket(app, client);

async function note(conversationId: string, text: string): Promise<void> {
  expect((await admin.post(`/api/v1/conversations/${conversationId}/messages`, { text, private: true })).status).toBe(201);
}

const texts = (s: Sock) => s.events.filter((e) => e.name === 'message.created').map((e) => e.payload.message.text);
const received = (s: Sock, text: string) => eventually(() => texts(s).includes(text), 20_000);

/** `text` was sent before a note in `visibleConversation`: once that arrived, `text` would have arrived first. */
async function expectNotReceived(s: Sock, text: string, visibleConversation: string): Promise<void> {
  const marker = `znacznik ${++n}`;
  await note(visibleConversation, marker);
  await received(s, marker);
  expect(texts(s)).not.toContain(text);
}

test('a new agent joins every inbox unless told otherwise, and the agent view shows which', async () => {
  const everywhere = await agent();
  const one = await agent([sprzedaz.id]);
  const listed = (await admin.get('/api/v1/agents')).body.agents;
  expect(listed.find((a: any) => a.id === everywhere.id).inboxIds.sort()).toEqual([wsparcie.id, sprzedaz.id].sort());
  expect(listed.find((a: any) => a.id === one.id).inboxIds).toEqual([sprzedaz.id]);
  expect((await one.client.get('/api/v1/me')).body.agent.inboxIds).toEqual([sprzedaz.id]);
  expect((await admin.get(`/api/v1/channels/${sprzedaz.id}/members`)).body.members.agentIds).toEqual(expect.arrayContaining([everywhere.id, one.id]));
  expect((await admin.get(`/api/v1/channels/${wsparcie.id}/members`)).body.members.agentIds).not.toContain(one.id);
  // Unknown channels are refused, and the agent is not created.
  const bad = await admin.post('/api/v1/agents', {
    email: 'nikt@parley.test',
    name: 'Nikt',
    password: 'long enough 123',
    inboxIds: ['00000000-0000-4000-8000-000000000000'],
  });
  expect(bad.status).toBe(404);
  expect((await admin.get('/api/v1/agents')).body.agents.some((a: any) => a.email === 'nikt@parley.test')).toBe(false);
});

test('a new inbox starts with every agent', async () => {
  const before = await agent([]);
  const inbox = await new TelegramInbox(app, admin).start('Nowa skrzynka');
  try {
    const members = (await admin.get(`/api/v1/channels/${inbox.id}/members`)).body.members.agentIds;
    expect(members).toContain(before.id);
    expect((await before.client.get('/api/v1/me')).body.agent.inboxIds).toEqual([inbox.id]);
  } finally {
    await inbox.stop();
  }
});

test('an agent cannot list, read, read the messages of, reply to, assign or change a conversation of another inbox: 404 as for an id that does not exist', async () => {
  const ola = await agent([wsparcie.id]);
  const mine = await customer(wsparcie, 'Dzień dobry, gdzie moja paczka? 📦');
  const theirs = await customer(sprzedaz, 'Szukam oferty na 100 sztuk — czy jest rabat?');

  const listed = (await ola.client.get('/api/v1/conversations?limit=200')).body.conversations.map((c: any) => c.id);
  expect(listed).toContain(mine);
  expect(listed).not.toContain(theirs);
  // Even asked for by inbox.
  expect((await ola.client.get(`/api/v1/conversations?channelId=${sprzedaz.id}`)).body.conversations).toEqual([]);
  expect((await ola.client.get(`/api/v1/conversations/${mine}`)).status).toBe(200);
  expect((await ola.client.get(`/api/v1/conversations/${mine}/messages`)).body.messages.map((m: any) => m.text)).toEqual([
    'Dzień dobry, gdzie moja paczka? 📦',
  ]);

  const nobody = '00000000-0000-4000-8000-000000000000';
  for (const id of [theirs, nobody]) {
    const answers = [
      await ola.client.get(`/api/v1/conversations/${id}`),
      await ola.client.get(`/api/v1/conversations/${id}/messages`),
      await ola.client.post(`/api/v1/conversations/${id}/messages`, { text: 'Nie powinno dojść' }),
      await ola.client.post(`/api/v1/conversations/${id}/messages`, { text: 'notatka', private: true }),
      await ola.client.post(`/api/v1/conversations/${id}/assign`, { agentId: ola.id }),
      await ola.client.patch(`/api/v1/conversations/${id}/status`, { status: 'resolved' }),
    ];
    // The same answer whether the conversation exists elsewhere or not at all: ids do not leak.
    expect(answers.map((a) => [a.status, a.body])).toEqual(answers.map(() => [404, { error: 'conversation not found' }]));
  }
  // Nothing was written or changed.
  const messages = (await admin.get(`/api/v1/conversations/${theirs}/messages`)).body.messages;
  expect(messages.map((m: any) => m.text)).toEqual(['Szukam oferty na 100 sztuk — czy jest rabat?']);
  const conversation = (await admin.get(`/api/v1/conversations/${theirs}`)).body.conversation;
  expect([conversation.assigneeId, conversation.status]).toEqual([null, 'open']);

  // The customer behind it, and the message's attachments, are out of reach too.
  expect((await ola.client.get(`/api/v1/contacts/${conversation.contactId}`)).status).toBe(404);
  expect((await ola.client.get(`/api/v1/messages/${messages[0].id}/attachments/0`)).status).toBe(404);
});

test("an agent lists and reads only their inboxes' channels and settings: another inbox answers 404, as one that does not exist", async () => {
  const bożena = await agent([wsparcie.id]);
  const ids = async (client: ApiClient) => (await client.get('/api/v1/channels')).body.channels.map((c: { id: string }) => c.id);
  expect(await ids(bożena.client)).toEqual([wsparcie.id]);
  // Admins still see every inbox.
  expect(await ids(admin)).toEqual(expect.arrayContaining([wsparcie.id, sprzedaz.id]));
  expect((await bożena.client.get(`/api/v1/channels/${wsparcie.id}`)).body.channel).toMatchObject({ id: wsparcie.id, name: 'Wsparcie' });
  for (const setting of ['routing', 'working-hours', 'auto-replies', 'lifecycle'])
    expect((await bożena.client.get(`/api/v1/channels/${wsparcie.id}/${setting}`)).status).toBe(200);

  const nobody = '00000000-0000-4000-8000-000000000000';
  for (const id of [sprzedaz.id, nobody]) {
    const answers = await Promise.all(
      ['', '/routing', '/working-hours', '/auto-replies', '/lifecycle'].map((path) => bożena.client.get(`/api/v1/channels/${id}${path}`)),
    );
    // The same answer whether the inbox exists elsewhere or not at all: names and settings do not leak.
    expect(answers.map((a) => [a.status, a.body])).toEqual(answers.map(() => [404, { error: 'channel not found' }]));
  }

  // Joining the inbox shows it at once (the next request), leaving hides it again.
  expect((await admin.request('PUT', `/api/v1/agents/${bożena.id}/inboxes`, { inboxIds: [wsparcie.id, sprzedaz.id] })).status).toBe(200);
  expect((await ids(bożena.client)).sort()).toEqual([wsparcie.id, sprzedaz.id].sort());
  expect((await bożena.client.get(`/api/v1/channels/${sprzedaz.id}`)).status).toBe(200);
  expect((await admin.request('PUT', `/api/v1/agents/${bożena.id}/inboxes`, { inboxIds: [] })).status).toBe(200);
  expect(await ids(bożena.client)).toEqual([]);
  expect((await bożena.client.get(`/api/v1/channels/${wsparcie.id}`)).status).toBe(404);
});

test("the waiting queue shows an agent only their inboxes' customers", async () => {
  const ewa = await agent([wsparcie.id]);
  for (const inbox of [wsparcie, sprzedaz]) expect((await admin.patch(`/api/v1/channels/${inbox.id}/routing`, { strategy: 'round_robin' })).status).toBe(200);
  try {
    // Nobody is online: both customers wait.
    const mine = await customer(wsparcie, 'Czekam na odpowiedź');
    const theirs = await customer(sprzedaz, 'Też czekam');
    const waitingFor = async (client: ApiClient) => ((await client.get('/api/v1/queue')).body.waiting as any[]).map((w) => w.conversationId);
    await eventually(async () => (await waitingFor(admin)).includes(mine) && (await waitingFor(admin)).includes(theirs));
    const seen = await waitingFor(ewa.client);
    expect(seen).toContain(mine);
    expect(seen).not.toContain(theirs);
    expect((await ewa.client.get(`/api/v1/queue?channelId=${sprzedaz.id}`)).body.waiting).toEqual([]);
  } finally {
    for (const inbox of [wsparcie, sprzedaz]) expect((await admin.patch(`/api/v1/channels/${inbox.id}/routing`, { strategy: 'manual' })).status).toBe(200);
  }
});

test("an agent's socket receives nothing of another inbox; joining it re-rooms the open socket, and leaving it too", async () => {
  const iga = await agent([wsparcie.id]);
  const mine = await customer(wsparcie, 'Witam serdecznie');
  const theirs = await customer(sprzedaz, 'Dobrý den, máte skladem?');
  const s = await socketOf(iga.client);

  await note(mine, 'widać: przed');
  await received(s, 'widać: przed');
  await note(theirs, 'nie widać: przed');
  await expectNotReceived(s, 'nie widać: przed', mine);

  // Joining: the open socket is told, and from then on receives the inbox's events (REST agrees).
  const joined = await admin.request('PUT', `/api/v1/channels/${sprzedaz.id}/members`, {
    agentIds: [...(await admin.get(`/api/v1/channels/${sprzedaz.id}/members`)).body.members.agentIds, iga.id],
  });
  expect(joined.status).toBe(200);
  const update = await eventually(() => s.events.find((e) => e.name === 'session.updated' && e.payload.inboxIds.includes(sprzedaz.id)), 20_000);
  expect(update.payload).toMatchObject({ reason: 'inboxes_changed', role: 'agent' });
  await note(theirs, 'widać: po dołączeniu — Příliš žluťoučký kůň');
  await received(s, 'widać: po dołączeniu — Příliš žluťoučký kůň');
  expect((await iga.client.get(`/api/v1/conversations/${theirs}`)).status).toBe(200);
  expect(s.socket.connected).toBe(true);

  // Leaving, from the agent's side this time.
  expect((await admin.request('PUT', `/api/v1/agents/${iga.id}/inboxes`, { inboxIds: [wsparcie.id] })).status).toBe(200);
  await eventually(
    () => s.events.some((e) => e.name === 'session.updated' && !e.payload.inboxIds.includes(sprzedaz.id) && e.payload.inboxIds.includes(wsparcie.id)),
    20_000,
  );
  await note(theirs, 'nie widać: po odejściu');
  await expectNotReceived(s, 'nie widać: po odejściu', mine);
  expect((await iga.client.get(`/api/v1/conversations/${theirs}`)).status).toBe(404);
  expect(s.socket.connected).toBe(true);
});

test("leaving an inbox hands the agent's open conversations there back to its queue", async () => {
  const jan = await agent([wsparcie.id, sprzedaz.id]);
  const kept = await customer(wsparcie, 'Zostaje u Jana');
  const handed = await customer(sprzedaz, 'Wraca do kolejki');
  for (const id of [kept, handed]) expect((await jan.client.post(`/api/v1/conversations/${id}/assign`, { agentId: jan.id })).status).toBe(200);

  expect((await admin.request('PUT', `/api/v1/agents/${jan.id}/inboxes`, { inboxIds: [wsparcie.id] })).status).toBe(200);
  expect((await admin.get(`/api/v1/conversations/${kept}`)).body.conversation.assigneeId).toBe(jan.id);
  expect((await admin.get(`/api/v1/conversations/${handed}`)).body.conversation.assigneeId).toBeNull();
  expect(((await admin.get(`/api/v1/queue?channelId=${sprzedaz.id}`)).body.waiting as any[]).map((w) => w.conversationId)).toContain(handed);
  // And nobody can hand it back to someone who cannot see it.
  const refused = await admin.post(`/api/v1/conversations/${handed}/assign`, { agentId: jan.id });
  expect(refused.status).toBe(422);
  expect(refused.body.error).toContain('not a member');
});

test("an assignment racing the assignee's removal from the inbox never leaves the conversation with someone who cannot see it", async () => {
  const ewa = await agent([wsparcie.id, sprzedaz.id]);
  const id = await customer(sprzedaz, 'Kto mi pomoże? 🤔');
  const db = new Client({ connectionString: app.databaseUrl });
  await db.connect();
  const waitingOnLocks = async () =>
    countRows(db, `SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`);
  try {
    // Hold the conversation's row, so the assignment stops at it: between its membership check and its write.
    await db.query('BEGIN');
    await db.query('SELECT id FROM conversations WHERE id = $1 FOR UPDATE', [id]);
    const assigning = admin.post(`/api/v1/conversations/${id}/assign`, { agentId: ewa.id });
    await eventually(async () => (await waitingOnLocks()) >= 1, 20_000);
    // Meanwhile Ewa leaves the inbox. It either finishes now (nothing of hers to take back yet) or waits for the
    // assignment; the conversation is let go once it has done one or the other.
    let removed: { status: number } | undefined;
    const removing = admin.request('PUT', `/api/v1/agents/${ewa.id}/inboxes`, { inboxIds: [wsparcie.id] }).then((r) => (removed = r));
    await eventually(async () => removed !== undefined || (await waitingOnLocks()) >= 2, 20_000);
    await db.query('ROLLBACK');
    const [assigned] = await Promise.all([assigning, removing]);
    expect(removed!.status).toBe(200);
    expect([200, 422]).toContain(assigned.status);
    expect((await ewa.client.get(`/api/v1/me`)).body.agent.inboxIds).toEqual([wsparcie.id]);
    // Either way it is not Ewa's: the removal took it back, or the assignment was refused.
    expect((await admin.get(`/api/v1/conversations/${id}`)).body.conversation.assigneeId).toBeNull();
    expect((await ewa.client.get(`/api/v1/conversations/${id}`)).status).toBe(404);
  } finally {
    await db.query('ROLLBACK').catch(() => undefined);
    await db.end();
  }
}, 60_000);

test('membership changes are refused for unknown channels or agents, and only admins make them', async () => {
  const kasia = await agent([wsparcie.id]);
  const nobody = '00000000-0000-4000-8000-000000000000';
  expect((await admin.request('PUT', `/api/v1/channels/${nobody}/members`, { agentIds: [] })).status).toBe(404);
  expect((await admin.request('PUT', `/api/v1/channels/${wsparcie.id}/members`, { agentIds: [kasia.id, nobody] })).status).toBe(404);
  expect((await admin.request('PUT', `/api/v1/agents/${nobody}/inboxes`, { inboxIds: [] })).status).toBe(404);
  expect((await admin.request('PUT', `/api/v1/agents/${kasia.id}/inboxes`, { inboxIds: [nobody] })).status).toBe(404);
  expect((await admin.request('PUT', `/api/v1/agents/${kasia.id}/inboxes`, { inboxIds: 'all' })).status).toBe(400);
  expect((await admin.request('PUT', `/api/v1/channels/not-a-uuid/members`, { agentIds: [] })).status).toBe(400);
  expect((await kasia.client.get(`/api/v1/channels/${wsparcie.id}/members`)).status).toBe(403);
  expect((await kasia.client.request('PUT', `/api/v1/agents/${kasia.id}/inboxes`, { inboxIds: [wsparcie.id, sprzedaz.id] })).status).toBe(403);
  // Nothing changed.
  expect((await kasia.client.get('/api/v1/me')).body.agent.inboxIds).toEqual([wsparcie.id]);
});

test("routing gives an inbox's conversations only to its members, however free the others are", async () => {
  const inbox = await new TelegramInbox(app, admin).start('Routing');
  try {
    expect((await admin.patch(`/api/v1/channels/${inbox.id}/routing`, { strategy: 'least_busy' })).status).toBe(200);
    // The outsider is online with plenty of room; the member is online with room for two.
    const outsider = await agent([wsparcie.id], { capacity: 50 });
    const member = await agent([inbox.id], { capacity: 2 });
    // Everyone else (the admin and the earlier tests' agents, members by default) leaves this inbox.
    expect((await admin.request('PUT', `/api/v1/channels/${inbox.id}/members`, { agentIds: [member.id] })).status).toBe(200);
    for (const a of [outsider, member]) expect((await admin.patch(`/api/v1/agents/${a.id}`, { availability: 'online' })).status).toBe(200);

    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push(await customer(inbox, `Pytanie numer ${i + 1}`));
    const placed = async () => {
      const waiting = ((await admin.get(`/api/v1/queue?channelId=${inbox.id}`)).body.waiting as any[]).map((w) => w.conversationId);
      const assignees = await Promise.all(ids.map(async (id) => (await admin.get(`/api/v1/conversations/${id}`)).body.conversation.assigneeId));
      return ids.every((id, i) => assignees[i] || waiting.includes(id)) && assignees.filter((a) => a === member.id).length === 2 && assignees;
    };
    // Two to the member (their capacity); the other two wait, none goes to the outsider.
    const assignees = await eventually(placed, 20_000);
    expect(assignees.filter((a) => a === null)).toHaveLength(2);

    // The outsider joins: the waiting queue is served again, and they take the rest.
    expect((await admin.request('PUT', `/api/v1/channels/${inbox.id}/members`, { agentIds: [member.id, outsider.id] })).status).toBe(200);
    const after = await eventually(async () => {
      const now = await Promise.all(ids.map(async (id) => (await admin.get(`/api/v1/conversations/${id}`)).body.conversation.assigneeId));
      return now.every((a) => a !== null) && now;
    }, 20_000);
    expect(after.filter((a) => a === outsider.id)).toHaveLength(2);
  } finally {
    await inbox.stop();
  }
});
