import type { Client } from 'pg';
import { shippedConnectors } from '../../connectors/registry';
import { hmacSha256Hex } from '../../connectors/shared/signature';
import { FakePlatformServer } from '../../connectors/shared/testing/fake-platform';
import { echoConnector } from '../fixtures/echo-connector';
import { ApiClient, eventually, type TestParley } from '../support/parley';
import { createAgent, startTestApp } from '../support/test-app';

/**
 * A connector from outside connectors/ and outside the registry file, handed to startParley: the API lists it,
 * validates its settings, creates a channel of it, documents its type, and carries a message in and a reply out,
 * with no other file changed. The same core refuses what the connector's output or limits do not allow.
 */
let app: TestParley;
let fake: FakePlatformServer;
let admin: ApiClient;
let agent: ApiClient;
let db: Client;
let channel: { id: string; webhookUrl: string; type: string };
let secret: string;

beforeAll(async () => {
  fake = new FakePlatformServer().route('POST', /^\/send$/, () => ({ status: 200, body: { id: `echo-${fake.calls.length}` } }));
  await fake.start();
  ({ app, admin, db } = await startTestApp({}, { connectors: shippedConnectors.with(echoConnector) }));
  await admin.patch('/api/v1/me', { availability: 'online' });
  agent = (await createAgent(app, admin, { email: 'eve@parley.test', name: 'eve', password: 'eve-password-123' })).client;
});

afterAll(async () => {
  await app?.stop();
  await fake?.stop();
});

test('GET /channel-types lists it (to any agent) with capabilities and the JSON Schema of its configuration', async () => {
  const res = await agent.get('/api/v1/channel-types');
  expect(res.status).toBe(200);
  const types = res.body.channelTypes.map((t: any) => t.type);
  expect(types).toEqual([...shippedConnectors.types(), 'echo']);
  const echo = res.body.channelTypes.find((t: any) => t.type === 'echo');
  expect(echo).toMatchObject({
    displayName: 'Echo (test connector)',
    session: false,
    capabilities: { outboundKinds: ['text'], maxTextLength: 20, textLengthUnit: 'codepoint' },
    // Parley generates the secret: it may be left out.
    generatedCredentials: ['secret'],
    registersWebhook: false,
    credentialsSchema: { type: 'object', additionalProperties: false, properties: { secret: expect.any(Object) } },
    settingsSchema: { type: 'object', required: ['apiBaseUrl'], additionalProperties: false },
  });
  expect(echo.credentialsSchema.required).toBeUndefined();
  expect(echo.settingsSchema.properties.greeting).toMatchObject({ type: 'string', default: 'Echo', maxLength: 20 });
  expect((await new ApiClient(app.url).get('/api/v1/channel-types')).status).toBe(401);
});

test('its settings are validated: a bad value and an unknown key are refused with what is wrong', async () => {
  const bad = await admin.post('/api/v1/channels', { type: 'echo', name: 'e', settings: { apiBaseUrl: fake.url, greeting: '' } });
  expect(bad.status).toBe(400);
  expect(bad.body.error).toBe('invalid settings');
  expect(bad.body.details).toEqual([{ path: 'settings.greeting', message: 'the greeting cannot be empty' }]);

  const unknown = await admin.post('/api/v1/channels', { type: 'echo', name: 'e', settings: { apiBaseUrl: fake.url, greting: 'Hi' } });
  expect(unknown.status).toBe(400);
  expect(unknown.body.details[0].message).toMatch(/Unrecognized key.*greting/);

  const unknownType = await admin.post('/api/v1/channels', { type: 'ech0', name: 'e' });
  expect(unknownType.status).toBe(400);
  expect(unknownType.body.error).toContain('known: telegram');
  expect(unknownType.body.error).toContain('echo');
  expect(await db.query('SELECT 1 FROM channels')).toMatchObject({ rowCount: 0 });
});

test('a channel of it is created, with its generated secret shown once', async () => {
  const res = await admin.post('/api/v1/channels', { type: 'echo', name: 'Echo desk', settings: { apiBaseUrl: fake.url, greeting: 'Hi' } });
  expect(res.status).toBe(201);
  channel = res.body.channel;
  secret = res.body.generatedCredentials.secret;
  expect(channel.type).toBe('echo');
  expect(res.body.channel.settings).toEqual({ apiBaseUrl: fake.url, greeting: 'Hi' });
  expect(res.body.channel.capabilities.maxTextLength).toBe(20);
  expect(secret).toMatch(/^[\w-]{32}$/);
});

test('its type appears in the OpenAPI document', async () => {
  const doc = (await new ApiClient(app.url).get('/api/v1/openapi.json')).body;
  const typeEnum = doc.paths['/channels'].post.requestBody.content['application/json'].schema.properties.type.enum;
  expect(typeEnum).toEqual([...shippedConnectors.types(), 'echo']);
  expect(doc.paths['/channel-types'].get).toBeDefined();
});

const post = (body: unknown, key = secret) => {
  const raw = JSON.stringify(body);
  return fetch(`${app.url}${new URL(channel.webhookUrl).pathname}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-echo-signature': hmacSha256Hex(key, raw) },
    body: raw,
  });
};

test('a message comes in through its webhook and the reply goes out through it, within its declared limits', async () => {
  expect((await post({ id: 'e1', from: 'ada', text: 'ping' }, 'not-the-secret-000000000')).status).toBe(401);
  expect((await post({ id: 'e1', from: 'ada', text: 'ping' })).status).toBe(200);
  const conversation = await eventually(async () => (await admin.get('/api/v1/conversations')).body.conversations.find((c: any) => c.channelId === channel.id));

  // 21 code points: one more than the connector declares.
  const long = await admin.post(`/api/v1/conversations/${conversation.id}/messages`, { text: 'ż'.repeat(21) });
  expect(long.status).toBe(422);
  expect(long.body.error).toBe('text is longer than the 20 characters this channel accepts');

  const reply = await admin.post(`/api/v1/conversations/${conversation.id}/messages`, { text: 'pong' });
  expect(reply.status).toBe(202);
  const call = await fake.waitForCall((c) => c.path === '/send');
  expect(call.json).toEqual({ to: 'ada', text: 'Hi: pong' });
  await eventually(async () => {
    const messages = (await admin.get(`/api/v1/conversations/${conversation.id}/messages`)).body.messages;
    return messages.find((m: any) => m.id === reply.body.message.id)?.status === 'sent';
  });
});

test('events that break the contract schema are kept as dead letters and answered 200; nothing is stored', async () => {
  const res = await post({ id: 'e2', from: 'bob', text: 'bad clock', broken: true });
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual({ ok: true, stored: 'dead_letter' });
  const letters = await db.query(`SELECT error, convert_from(body, 'UTF8') AS body FROM dead_letters WHERE channel_id = $1`, [channel.id]);
  expect(letters.rows).toHaveLength(1);
  expect(letters.rows[0].error).toMatch(/contract schema.*sentAt/);
  expect(JSON.parse(letters.rows[0].body)).toMatchObject({ id: 'e2', broken: true });
  expect((await db.query(`SELECT 1 FROM messages WHERE external_id = 'e2'`)).rowCount).toBe(0);
});

test('an update is validated like a create, and the connector is rebuilt with the new settings', async () => {
  const path = `/api/v1/channels/${channel.id}`;
  const unknown = await admin.patch(path, { settings: { greetings: 'Hello' } });
  expect(unknown.status).toBe(400);
  expect(unknown.body.details[0].message).toMatch(/Unrecognized key.*greetings/);
  expect((await admin.patch(path, { settings: { greeting: 'x'.repeat(21) } })).status).toBe(400);
  expect((await admin.patch(path, { colour: 'red' })).status).toBe(400);
  expect((await agent.patch(path, { name: 'mine' })).status).toBe(403);

  const ok = await admin.patch(path, { name: 'Echo desk 2', settings: { greeting: 'Hello' } });
  expect(ok.status).toBe(200);
  expect(ok.body.channel).toMatchObject({ name: 'Echo desk 2', settings: { apiBaseUrl: fake.url, greeting: 'Hello' } });

  const conversation = (await admin.get('/api/v1/conversations')).body.conversations.find((c: any) => c.channelId === channel.id);
  expect((await admin.post(`/api/v1/conversations/${conversation.id}/messages`, { text: 'again' })).status).toBe(202);
  const call = await fake.waitForCall((c) => c.json?.text?.endsWith('again'));
  expect(call.json.text).toBe('Hello: again');
});
