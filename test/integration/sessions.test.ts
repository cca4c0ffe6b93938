import type { Client } from 'pg';
import { ApiClient, createIdleChannel, eventually, type TestParley } from '../support/parley';
import { createAgent, startTestApp, useSockets, type TestSocket as Sock } from '../support/test-app';

/**
 * An open socket follows its session: a revoked token or a disabled agent ends it; a new role or new teams
 * change what it receives. The changes are relayed by the worker through Redis to the API's sockets.
 */
let app: TestParley;
let admin: ApiClient;
let db: Client;
let channelId: string;
let queueConversation: string;
let n = 0;

const openSocket = useSockets();

beforeAll(async () => {
  ({ app, admin, db } = await startTestApp());
  channelId = (await createIdleChannel(admin)).id;
  queueConversation = await conversation(null);
});

afterAll(async () => {
  await app?.stop();
});

async function agent(role: 'admin' | 'agent' = 'agent'): Promise<{ id: string; email: string; password: string; client: ApiClient }> {
  const email = `agent${++n}@parley.test`;
  const password = `pässwörd-${n}-Zażółć`;
  return { ...(await createAgent(app, admin, { email, name: `Агент ${n}`, password, role })), email, password };
}

const socketOf = (client: ApiClient) => openSocket(app, client);

async function conversation(assigneeId: string | null, teamId: string | null = null): Promise<string> {
  const contact = await db.query(`INSERT INTO contacts (name) VALUES ('c') RETURNING id`);
  const thread = String(Math.floor(Math.random() * 1e9));
  const row = await db.query(
    `INSERT INTO conversations (channel_id, contact_id, external_thread_id, assignee_id, team_id, last_inbound_at) VALUES ($1, $2, $3, $4, $5, now()) RETURNING id`,
    [channelId, contact.rows[0].id, thread, assigneeId, teamId],
  );
  return row.rows[0].id;
}

async function note(conversationId: string, text: string): Promise<void> {
  expect((await admin.post(`/api/v1/conversations/${conversationId}/messages`, { text, private: true })).status).toBe(201);
}

const texts = (s: Sock) => s.events.filter((e) => e.name === 'message.created').map((e) => e.payload.message.text);
const received = (s: Sock, text: string) => eventually(() => texts(s).includes(text));
const ended = (s: Sock) => eventually(() => !s.socket.connected && s.events.find((e) => e.name === 'session.ended'));

/** A note the socket may see, sent after `text`: once it arrived, `text` would have arrived before it. */
async function expectNotReceived(s: Sock, text: string): Promise<void> {
  const marker = `marker ${++n}`;
  await note(queueConversation, marker);
  await received(s, marker);
  expect(texts(s)).not.toContain(text);
}

test('after logout the socket is told, disconnected, and receives no further message text', async () => {
  const ann = await agent();
  const other = await ApiClient.login(app.url, ann.email, ann.password);
  const s = await socketOf(ann.client);
  const stays = await socketOf(other);
  await note(queueConversation, 'przed wylogowaniem');
  await received(s, 'przed wylogowaniem');

  expect((await ann.client.post('/api/v1/auth/logout')).status).toBe(204);
  expect((await ended(s)).payload).toEqual({ reason: 'logout' });
  await note(queueConversation, 'po wylogowaniu: tajne');
  await received(stays, 'po wylogowaniu: tajne');
  expect(texts(s)).not.toContain('po wylogowaniu: tajne');
  // Only that token's sockets: the agent's other session goes on.
  expect(stays.socket.connected).toBe(true);
});

test('after disabling, every socket of the agent is told and disconnected', async () => {
  const bea = await agent();
  const s = await socketOf(bea.client);
  expect((await admin.patch(`/api/v1/agents/${bea.id}`, { disabled: true })).status).toBe(200);
  expect((await ended(s)).payload).toEqual({ reason: 'disabled' });
  const watcher = await socketOf(admin);
  await note(queueConversation, 'po zablokowaniu');
  await received(watcher, 'po zablokowaniu');
  expect(texts(s)).not.toContain('po zablokowaniu');
});

test('after demotion the socket no longer receives admin-only events', async () => {
  const cleo = await agent('admin');
  const bob = await agent();
  const bobsConversation = await conversation(bob.id);
  const s = await socketOf(cleo.client);
  await note(bobsConversation, 'for admins: before');
  await received(s, 'for admins: before');

  expect((await admin.patch(`/api/v1/agents/${cleo.id}`, { role: 'agent' })).status).toBe(200);
  const updated = await eventually(() => s.events.find((e) => e.name === 'session.updated'));
  expect(updated.payload).toEqual({ reason: 'role_changed', role: 'agent', teamIds: [], inboxIds: [channelId] });
  await note(bobsConversation, 'for admins: after');
  await expectNotReceived(s, 'for admins: after');
  expect(s.socket.connected).toBe(true);
  // And REST agrees.
  expect((await cleo.client.get(`/api/v1/conversations/${bobsConversation}`)).status).toBe(404);
});

test('after removal from a team the socket no longer receives that team’s conversation events; after joining, it does', async () => {
  const dan = await agent();
  const bob = await agent();
  const team = (await admin.post('/api/v1/teams', { name: 'Ügyfélszolgálat' })).body.team;
  expect((await admin.request('PUT', `/api/v1/teams/${team.id}/members`, { agentIds: [dan.id, bob.id] })).status).toBe(200);
  const teamConversation = await conversation(bob.id, team.id);
  const s = await socketOf(dan.client);
  await note(teamConversation, 'csapat: előtte');
  await received(s, 'csapat: előtte');

  expect((await admin.request('PUT', `/api/v1/teams/${team.id}/members`, { agentIds: [bob.id] })).status).toBe(200);
  // (The update for joining may arrive first: the socket was opened right after that change.)
  const updates = () => s.events.filter((e) => e.name === 'session.updated').map((e) => e.payload);
  await eventually(() => updates().some((u) => u.teamIds.length === 0));
  expect(updates()).toContainEqual({ reason: 'teams_changed', role: 'agent', teamIds: [], inboxIds: [channelId] });
  await note(teamConversation, 'csapat: utána');
  await expectNotReceived(s, 'csapat: utána');

  expect((await admin.request('PUT', `/api/v1/teams/${team.id}/members`, { agentIds: [bob.id, dan.id] })).status).toBe(200);
  await eventually(() => updates().at(-1)?.teamIds[0] === team.id);
  await note(teamConversation, 'csapat: újra');
  await received(s, 'csapat: újra');
});

describe('changing a password', () => {
  test('PATCH /me needs the current password', async () => {
    const eve = await agent();
    const missing = await eve.client.patch('/api/v1/me', { password: 'a-new-password-1' });
    expect(missing.status).toBe(400);
    expect(missing.body.details[0]).toEqual({ path: 'currentPassword', message: 'the current password is required to change the password' });
    const wrong = await eve.client.patch('/api/v1/me', { password: 'a-new-password-1', currentPassword: 'not-it-at-all' });
    expect(wrong.status).toBe(403);
    expect(wrong.body.error).toBe('the current password is wrong');
    // Unchanged: the old password still logs in.
    await ApiClient.login(app.url, eve.email, eve.password);
  });

  test('ends the agent’s other sessions and keeps the current one', async () => {
    const fay = await agent();
    const other = await ApiClient.login(app.url, fay.email, fay.password);
    const otherSocket = await socketOf(other);
    const ownSocket = await socketOf(fay.client);
    const res = await fay.client.patch('/api/v1/me', { password: 'Новый-пароль-123', currentPassword: fay.password });
    expect(res.status).toBe(200);
    expect((await ended(otherSocket)).payload).toEqual({ reason: 'password_changed' });
    expect((await other.get('/api/v1/me')).status).toBe(401);
    expect((await fay.client.get('/api/v1/me')).status).toBe(200);
    expect(ownSocket.socket.connected).toBe(true);
    await ApiClient.login(app.url, fay.email, 'Новый-пароль-123');
    expect((await new ApiClient(app.url).post('/api/v1/auth/login', { email: fay.email, password: fay.password })).status).toBe(401);
  });

  test('an admin cannot set their own password through /agents/:id, without the current one', async () => {
    const hal = await agent('admin');
    const res = await hal.client.patch(`/api/v1/agents/${hal.id}`, { password: 'taken-over-123' });
    expect(res.status).toBe(403);
    expect(res.body.error).toMatch(/PATCH \/me/);
    await ApiClient.login(app.url, hal.email, hal.password);
  });

  test('an admin resetting an agent’s password ends all of that agent’s sessions', async () => {
    const gus = await agent();
    const s = await socketOf(gus.client);
    expect((await admin.patch(`/api/v1/agents/${gus.id}`, { password: 'reset-by-admin-1' })).status).toBe(200);
    expect((await ended(s)).payload).toEqual({ reason: 'password_reset' });
    expect((await gus.client.get('/api/v1/me')).status).toBe(401);
    await ApiClient.login(app.url, gus.email, 'reset-by-admin-1');
  });
});

test("an admin's change of an agent's availability reaches that agent's own sockets as they are now, and nobody else's", async () => {
  const ola = await agent();
  const other = await agent();
  const tabs = [await socketOf(ola.client), await socketOf(ola.client)];
  const bystander = await socketOf(other.client);
  const updates = (s: Sock) => s.events.filter((e) => e.name === 'agent.updated').map((e) => e.payload.agent);

  expect((await admin.patch(`/api/v1/agents/${ola.id}`, { availability: 'busy' })).status).toBe(200);
  for (const s of tabs) await eventually(() => updates(s).some((a) => a.availability === 'busy'));
  // Busy to offline leaves her unavailable to routing either way; her menu still has to show it.
  expect((await admin.patch(`/api/v1/agents/${ola.id}`, { availability: 'offline' })).status).toBe(200);
  for (const s of tabs) await eventually(() => updates(s).at(-1)?.availability === 'offline');
  // The record is what GET /me answers, inboxes included.
  expect(updates(tabs[0]).at(-1)).toEqual((await ola.client.get('/api/v1/me')).body.agent);
  // Her own change (PATCH /me) reaches her other tab too.
  expect((await ola.client.patch('/api/v1/me', { availability: 'online' })).status).toBe(200);
  for (const s of tabs) await eventually(() => updates(s).at(-1)?.availability === 'online');

  // The bystander's own change comes after Ola's in commit order: once it arrived, hers would have too.
  expect((await admin.patch(`/api/v1/agents/${other.id}`, { availability: 'busy' })).status).toBe(200);
  await eventually(() => updates(bystander).length > 0);
  expect(updates(bystander).map((a) => [a.id, a.availability])).toEqual([[other.id, 'busy']]);
  expect(tabs.flatMap((s) => updates(s)).every((a) => a.id === ola.id)).toBe(true);
});
