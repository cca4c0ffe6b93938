import { Client } from 'pg';
import { shippedConnectors } from '../../connectors/registry';
import { echoSessionConnector, echoSessions, type EchoSession } from '../fixtures/echo-connector/session-connector';
import { ApiClient, eventually, startTestParley, type TestParley } from '../support/parley';

/**
 * A session-based connector from a test folder: the core's one session runtime runs it (no code of the core
 * names it), the session routes show its pairing and restart it, its events take the inbound path, and
 * replies go out through its live session.
 */
let app: TestParley;
let admin: ApiClient;
let db: Client;
let channelId: string;
let session: EchoSession;

beforeAll(async () => {
  app = await startTestParley({}, { connectors: shippedConnectors.with(echoSessionConnector), sessionReconcileMs: 200 });
  admin = await ApiClient.login(app.url);
  await admin.patch('/api/v1/me', { availability: 'online' });
  db = new Client({ connectionString: app.databaseUrl });
  await db.connect();
});

afterAll(async () => {
  await db?.end();
  await app?.stop();
});

const state = async () => (await admin.get(`/api/v1/channels/${channelId}/session`)).body.session;

test('it is listed as a session type; a channel of it gets a session, whose QR code and readiness the API shows', async () => {
  const listed = (await admin.get('/api/v1/channel-types')).body.channelTypes.find((t: any) => t.type === 'echo_session');
  expect(listed).toMatchObject({ session: true, capabilities: { webhook: false }, settingsSchema: { additionalProperties: false } });

  const created = await admin.post('/api/v1/channels', { type: 'echo_session', name: 'phone' });
  expect(created.status).toBe(201);
  channelId = created.body.channel.id;
  session = await eventually(() => echoSessions.get(channelId));
  expect(session.starts).toBe(1);

  session.showQr('QR-1');
  await eventually(async () => (await state())?.qr === 'QR-1');
  expect(await state()).toMatchObject({ status: 'pairing', qr: 'QR-1' });
  session.becomeReady();
  await eventually(async () => (await state())?.status === 'ready');

  // No webhook for it: events come from the session only.
  const webhook = await fetch(created.body.channel.webhookUrl.replace('https://parley.example.test', app.url), { method: 'POST', body: '{}' });
  expect(webhook.status).toBe(404);
});

test('a message from the session is stored; the reply goes out through the session', async () => {
  session.receive({ id: 's-1', from: 'zoe', text: 'hello over the session' });
  const conversation = await eventually(async () => (await admin.get('/api/v1/conversations')).body.conversations.find((c: any) => c.channelId === channelId));
  const reply = await admin.post(`/api/v1/conversations/${conversation.id}/messages`, { text: 'hi zoe' });
  expect(reply.status).toBe(202);
  await eventually(async () => (await db.query(`SELECT status FROM messages WHERE id = $1`, [reply.body.message.id])).rows[0].status === 'sent');
  expect(session.sent).toEqual(['hi zoe']);
});

test('a terminal disconnect shows the reason and stays down until an admin restarts the session', async () => {
  session.disconnect('LOGOUT');
  await eventually(async () => (await state())?.status === 'disconnected');
  expect(await state()).toMatchObject({ status: 'disconnected', reason: 'LOGOUT' });
  expect((await state()).reconnectInMs).toBeUndefined();

  expect((await admin.post(`/api/v1/channels/${channelId}/session/restart`)).status).toBe(202);
  await eventually(() => session.starts === 2);
  session.showQr('QR-2');
  await eventually(async () => (await state())?.qr === 'QR-2');
});
