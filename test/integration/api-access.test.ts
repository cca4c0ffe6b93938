import { Client } from 'pg';
import { TEST_BOT_TOKEN } from '../../connectors/telegram/testing/harness';
import { ADMIN, ApiClient, createIdleChannel, connectSocket, eventually, startTestParley, type TestParley } from '../support/parley';

/** Who may do and see what, and what every bad input answers. */
let app: TestParley;
let admin: ApiClient;
let ann: ApiClient;
let bob: ApiClient;
let ids: { ann: string; bob: string };
let db: Client;
let channelId: string;

beforeAll(async () => {
  app = await startTestParley({ MAX_UPLOAD_BYTES: '1000', LOGIN_MAX_FAILURES: '3' });
  admin = await ApiClient.login(app.url);
  for (const name of ['ann', 'bob']) {
    const res = await admin.post('/api/v1/agents', { email: `${name}@parley.test`, name, password: `${name}-password-123` });
    expect(res.status).toBe(201);
  }
  ann = await ApiClient.login(app.url, 'ANN@parley.test', 'ann-password-123');
  bob = await ApiClient.login(app.url, 'bob@parley.test', 'bob-password-123');
  ids = { ann: (await ann.get('/api/v1/me')).body.agent.id, bob: (await bob.get('/api/v1/me')).body.agent.id };
  const ch = await createIdleChannel(admin, { botToken: TEST_BOT_TOKEN });
  channelId = ch.id;
  db = new Client({ connectionString: app.databaseUrl });
  await db.connect();
});

afterAll(async () => {
  await db?.end();
  await app?.stop();
});

/** Conversations straight in the database: this file is about the API's rules, not the pipeline. */
async function conversation(assigneeId: string | null, teamId: string | null = null): Promise<string> {
  const contact = await db.query(`INSERT INTO contacts (name) VALUES ('c') RETURNING id`);
  const thread = String(Math.floor(Math.random() * 1e9));
  const row = await db.query(
    `INSERT INTO conversations (channel_id, contact_id, external_thread_id, assignee_id, team_id, last_inbound_at) VALUES ($1, $2, $3, $4, $5, now()) RETURNING id`,
    [channelId, contact.rows[0].id, thread, assigneeId, teamId],
  );
  await db.query(`INSERT INTO contact_identities (contact_id, channel_id, external_id) VALUES ($1, $2, $3)`, [contact.rows[0].id, channelId, thread]);
  return row.rows[0].id;
}

describe('logging in', () => {
  test('a wrong password or unknown email is 401 with the same message', async () => {
    const anon = new ApiClient(app.url);
    const wrong = await anon.post('/api/v1/auth/login', { email: ADMIN.email, password: 'not the password' });
    const unknown = await anon.post('/api/v1/auth/login', { email: 'nobody@parley.test', password: 'whatever123' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body.error).toBe(unknown.body.error);
  });

  test('a malformed body is 400 naming the field; a non-JSON body is 400', async () => {
    const anon = new ApiClient(app.url);
    const res = await anon.post('/api/v1/auth/login', { email: ADMIN.email });
    expect(res.status).toBe(400);
    expect(res.body.details[0].path).toBe('password');
    const raw = await fetch(`${app.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{nope' });
    expect(raw.status).toBe(400);
    expect(((await raw.json()) as any).error).toMatch(/not valid JSON/);
  });

  test('no token, a bad token and a logged-out token are 401', async () => {
    expect((await new ApiClient(app.url).get('/api/v1/conversations')).status).toBe(401);
    expect((await new ApiClient(app.url, 'made-up').get('/api/v1/conversations')).status).toBe(401);
    const session = await ApiClient.login(app.url, 'bob@parley.test', 'bob-password-123');
    expect((await session.post('/api/v1/auth/logout')).status).toBe(204);
    expect((await session.get('/api/v1/me')).status).toBe(401);
  });

  test('a disabled agent cannot log in and loses existing sessions', async () => {
    const res = await admin.post('/api/v1/agents', { email: 'carl@parley.test', name: 'carl', password: 'carl-password-123' });
    const carl = await ApiClient.login(app.url, 'carl@parley.test', 'carl-password-123');
    expect((await admin.patch(`/api/v1/agents/${res.body.agent.id}`, { disabled: true })).status).toBe(200);
    expect((await carl.get('/api/v1/me')).status).toBe(401);
    expect((await new ApiClient(app.url).post('/api/v1/auth/login', { email: 'carl@parley.test', password: 'carl-password-123' })).status).toBe(403);
  });

  test('too many wrong passwords lock log-ins for that email, even with the right password', async () => {
    await admin.post('/api/v1/agents', { email: 'dora@parley.test', name: 'dora', password: 'dora-password-123' });
    const anon = new ApiClient(app.url);
    for (let i = 0; i < 3; i++) expect((await anon.post('/api/v1/auth/login', { email: 'dora@parley.test', password: `guess-${i}` })).status).toBe(401);
    const locked = await anon.post('/api/v1/auth/login', { email: 'dora@parley.test', password: 'dora-password-123' });
    expect(locked.status).toBe(429);
    expect(locked.body.error).toMatch(/too many failed log-ins/);
    // Other accounts are not affected.
    expect((await anon.post('/api/v1/auth/login', { email: 'ann@parley.test', password: 'ann-password-123' })).status).toBe(200);
  });

  test('passwords are stored hashed', async () => {
    const { rows } = await db.query(`SELECT password_hash FROM agents WHERE email = 'ann@parley.test'`);
    expect(rows[0].password_hash).toMatch(/^scrypt\$/);
    expect(rows[0].password_hash).not.toContain('ann-password');
  });
});

describe('admin-only actions', () => {
  test('agents cannot create agents, channels or teams', async () => {
    expect((await ann.post('/api/v1/agents', { email: 'x@parley.test', name: 'x', password: 'x-password-123' })).status).toBe(403);
    expect((await ann.post('/api/v1/channels', { type: 'telegram', name: 'x', credentials: { botToken: TEST_BOT_TOKEN } })).status).toBe(403);
    expect((await ann.post('/api/v1/teams', { name: 'x' })).status).toBe(403);
    expect((await ann.request('DELETE', `/api/v1/channels/${channelId}`)).status).toBe(403);
  });

  test('an agent can change their own availability but not their role', async () => {
    expect((await ann.patch('/api/v1/me', { availability: 'busy' })).body.agent.availability).toBe('busy');
    expect((await ann.patch('/api/v1/me', { role: 'admin' })).status).toBe(400);
  });

  test('a duplicate email is 409', async () => {
    expect((await admin.post('/api/v1/agents', { email: 'Ann@parley.test', name: 'again', password: 'ann-password-123' })).status).toBe(409);
  });
});

describe('channels', () => {
  test('credentials are never returned, and are encrypted at rest', async () => {
    const list = await admin.get('/api/v1/channels');
    expect(JSON.stringify(list.body)).not.toContain(TEST_BOT_TOKEN);
    expect(list.body.channels[0].webhookUrl).toMatch(/^https:\/\/parley\.example\.test\/webhooks\/[\w-]+$/);
    const { rows } = await db.query(`SELECT credentials_encrypted FROM channels`);
    expect(rows[0].credentials_encrypted).not.toContain(TEST_BOT_TOKEN.split(':')[1]);
  });

  test('bad credentials are 400 without echoing them; an unknown type is 400', async () => {
    const res = await admin.post('/api/v1/channels', { type: 'telegram', name: 'x', credentials: { botToken: 'secret-but-wrong' } });
    expect(res.status).toBe(400);
    expect(res.body.details[0].path).toBe('credentials.botToken');
    expect(JSON.stringify(res.body)).not.toContain('secret-but-wrong');
    expect((await admin.post('/api/v1/channels', { type: 'icq', name: 'x' })).body.error).toMatch(/unknown channel type/);
  });

  test('a deleted channel keeps its history and its webhook answers 404', async () => {
    const ch = (await admin.get(`/api/v1/channels/${(await createIdleChannel(admin)).id}`)).body.channel;
    // Its Bot API is gone, so Telegram cannot be told: the channel is deleted all the same, and the answer says so.
    const deleted = await admin.request('DELETE', `/api/v1/channels/${ch.id}`);
    expect(deleted.status).toBe(200);
    expect(deleted.body.webhook).toMatchObject({ status: 'failed', message: expect.stringContaining('Telegram did not remove the webhook') });
    expect((await admin.get(`/api/v1/channels/${ch.id}`)).status).toBe(404);
    const hook = await fetch(ch.webhookUrl.replace('https://parley.example.test', app.url), { method: 'POST', body: '{}' });
    expect(hook.status).toBe(404);
  });
});

describe('who sees which conversation', () => {
  let annsOwn: string, bobsOwn: string, unassigned: string, teamOne: string;

  beforeAll(async () => {
    const team = await admin.post('/api/v1/teams', { name: 'Sales' });
    await admin.request('PUT', `/api/v1/teams/${team.body.team.id}/members`, { agentIds: [ids.ann] });
    annsOwn = await conversation(ids.ann);
    bobsOwn = await conversation(ids.bob);
    unassigned = await conversation(null);
    teamOne = await conversation(ids.bob, team.body.team.id);
  });

  test('the list holds only what the agent may see', async () => {
    const seen = (await ann.get('/api/v1/conversations')).body.conversations.map((c: any) => c.id);
    expect(seen).toEqual(expect.arrayContaining([annsOwn, unassigned, teamOne]));
    expect(seen).not.toContain(bobsOwn);
    const all = (await admin.get('/api/v1/conversations')).body.conversations.map((c: any) => c.id);
    expect(all).toEqual(expect.arrayContaining([annsOwn, bobsOwn, unassigned, teamOne]));
  });

  test("another agent's conversation is 404 on every route", async () => {
    expect((await ann.get(`/api/v1/conversations/${bobsOwn}`)).status).toBe(404);
    expect((await ann.get(`/api/v1/conversations/${bobsOwn}/messages`)).status).toBe(404);
    expect((await ann.post(`/api/v1/conversations/${bobsOwn}/messages`, { text: 'hi' })).status).toBe(404);
    expect((await ann.patch(`/api/v1/conversations/${bobsOwn}/status`, { status: 'resolved' })).status).toBe(404);
    expect((await ann.post(`/api/v1/conversations/${bobsOwn}/assign`, { agentId: ids.ann })).status).toBe(404);
    const contactId = (await admin.get(`/api/v1/conversations/${bobsOwn}`)).body.conversation.contactId;
    expect((await ann.get(`/api/v1/contacts/${contactId}`)).status).toBe(404);
  });

  test('filters: assignee me / none, status', async () => {
    const mine = (await bob.get('/api/v1/conversations?assignee=me')).body.conversations.map((c: any) => c.id);
    expect(mine).toEqual(expect.arrayContaining([bobsOwn, teamOne]));
    expect(mine).not.toContain(unassigned);
    const none = (await admin.get('/api/v1/conversations?assignee=none')).body.conversations.map((c: any) => c.id);
    expect(none).toContain(unassigned);
    expect(none).not.toContain(bobsOwn);
    expect((await admin.get('/api/v1/conversations?status=nonsense')).status).toBe(400);
  });

  test('assigning moves visibility and tells both agents on the socket', async () => {
    const conv = await conversation(ids.ann);
    const annSocket = await connectSocket(app.url, ann.token!);
    const bobSocket = await connectSocket(app.url, bob.token!);
    try {
      const res = await ann.post(`/api/v1/conversations/${conv}/assign`, { agentId: ids.bob });
      expect(res.status).toBe(200);
      expect((await ann.get(`/api/v1/conversations/${conv}`)).status).toBe(404);
      expect((await bob.get(`/api/v1/conversations/${conv}`)).status).toBe(200);
      await eventually(() => bobSocket.events.find((e) => e.name === 'conversation.updated' && e.payload.conversation.id === conv));
      await eventually(() => annSocket.events.find((e) => e.name === 'conversation.updated' && e.payload.conversation.id === conv));
    } finally {
      annSocket.socket.close();
      bobSocket.socket.close();
    }
  });

  test("an agent's socket does not receive events of conversations it may not see", async () => {
    const annSocket = await connectSocket(app.url, ann.token!);
    try {
      await bob.post(`/api/v1/conversations/${bobsOwn}/messages`, { text: 'secret note', private: true });
      await admin.post(`/api/v1/conversations/${annsOwn}/messages`, { text: 'visible note', private: true });
      await eventually(() => annSocket.events.find((e) => e.payload?.message?.text === 'visible note'));
      expect(annSocket.events.find((e) => e.payload?.message?.text === 'secret note')).toBeUndefined();
    } finally {
      annSocket.socket.close();
    }
  });

  test('a socket without a valid token is refused', async () => {
    await expect(connectSocket(app.url, 'made-up')).rejects.toThrow(/unauthorized/);
  });

  test('status changes: snooze needs a time; resolve records when', async () => {
    expect((await admin.patch(`/api/v1/conversations/${unassigned}/status`, { status: 'snoozed' })).status).toBe(400);
    const res = await admin.patch(`/api/v1/conversations/${unassigned}/status`, { status: 'resolved' });
    expect(res.body.conversation).toMatchObject({ status: 'resolved' });
    expect(res.body.conversation.resolvedAt).not.toBeNull();
  });
});

describe('replies and uploads', () => {
  test('an empty reply is 400; an oversized upload is 413; an upload of someone else is 422', async () => {
    const conv = await conversation(ids.ann);
    expect((await ann.post(`/api/v1/conversations/${conv}/messages`, { text: '   ' })).status).toBe(400);
    const big = await ann.request('POST', '/api/v1/uploads?filename=big.bin', Buffer.alloc(2000), { 'content-type': 'application/octet-stream' });
    expect(big.status).toBe(413);
    // The limit in the answer, so the app can name it to the agent.
    expect(big.body.error).toBe('request body is too large: at most 1000 bytes');
    const noName = await ann.request('POST', '/api/v1/uploads', Buffer.alloc(10), { 'content-type': 'image/png' });
    expect(noName.status).toBe(400);
    const bobs = await bob.request('POST', '/api/v1/uploads?filename=a.png', Buffer.alloc(10), { 'content-type': 'image/png' });
    expect(bobs.status).toBe(201);
    expect((await ann.post(`/api/v1/conversations/${conv}/messages`, { uploadIds: [bobs.body.upload.id] })).status).toBe(422);
  });

  test('a signed media link serves the upload until it expires; a tampered or expired one is 403', async () => {
    const up = await ann.request('POST', '/api/v1/uploads?filename=photo.png', Buffer.from('png bytes'), { 'content-type': 'image/png' });
    const link = new URL(app.parley.ctx.mediaUrls.url(up.body.upload.id, 'photo.png'));
    const local = (u: URL) => `${app.url}${u.pathname}${u.search}`;
    const ok = await fetch(local(link));
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toBe('image/png');
    expect(await ok.text()).toBe('png bytes');
    const tampered = new URL(link);
    tampered.searchParams.set('expires', String(Number(link.searchParams.get('expires')) + 60));
    expect((await fetch(local(tampered))).status).toBe(403);
    const expired = new URL(app.parley.ctx.mediaUrls.url(up.body.upload.id, 'photo.png', Date.now() - 48 * 3600_000));
    expect((await fetch(local(expired))).status).toBe(403);
  });

  test('text longer than the channel accepts is refused before sending', async () => {
    const conv = await conversation(ids.ann);
    const res = await ann.post(`/api/v1/conversations/${conv}/messages`, { text: 'x'.repeat(5000) });
    expect(res.status).toBe(422);
    expect(res.body.error).toMatch(/4096/);
  });
});

describe('the API document', () => {
  test('every route the app serves is described in the served OpenAPI document, and nothing else', async () => {
    const served = await new ApiClient(app.url).get('/api/v1/openapi.json');
    expect(served.status).toBe(200);
    const documented = Object.entries(served.body.paths as Record<string, Record<string, unknown>>).flatMap(([path, item]) =>
      Object.keys(item)
        .filter((key) => key !== 'servers' && key !== 'parameters')
        .map((m) => `${m.toUpperCase()} ${path}`),
    );
    const registered = registeredRoutes(app.parley);
    expect(registered.length).toBeGreaterThan(25);
    expect([...registered].sort()).toEqual([...documented].sort());
  });

  test('unknown routes are JSON 404', async () => {
    const res = await admin.get('/api/v1/nothing-here');
    expect(res.status).toBe(404);
    expect(res.body.error).toMatch(/no route/);
  });
});

/** Routes as `METHOD /path/{param}` (relative to /api/v1 or the root), read from a fresh Express app's router. */
function registeredRoutes(parley: TestParley['parley']): string[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { createHttpApp } = require('../../src/http/app');
  const expressApp = createHttpApp(parley.ctx);
  const out: string[] = [];
  const walk = (stack: any[]) => {
    for (const layer of stack) {
      if (layer.route) {
        for (const method of Object.keys(layer.route.methods)) {
          if (method === '_all') continue;
          out.push(`${method.toUpperCase()} ${String(layer.route.path).replace(/:(\w+)/g, '{$1}')}`);
        }
      } else if (layer.handle?.stack) walk(layer.handle.stack);
    }
  };
  walk(expressApp.router.stack);
  return out;
}
