import { Client } from 'pg';
import { ApiClient, createIdleChannel, startTestParley, type TestParley } from '../support/parley';

/**
 * A table of malformed requests fired at every route that takes input: a NUL in each string field, overlong
 * strings, wrong types, huge numbers, dates PostgreSQL cannot store, bodies that are not JSON. None may be
 * answered 500 (each is answered: no hang), and a NUL is a 400 wherever it is. Then twenty parallel creates of one
 * team and of one agent: one 201 and nineteen 409.
 */
let app: TestParley;
let admin: ApiClient;
let fuzz: ApiClient;
let db: Client;
const ids = { agent: '', team: '', channel: '', sandbox: '', conversation: '', contact: '', otherContact: '', message: '' };

beforeAll(async () => {
  app = await startTestParley();
  admin = await ApiClient.login(app.url);
  const agent = await admin.post('/api/v1/agents', { email: 'fuzz@parley.test', name: 'Fuzz', password: 'fuzz-password-123' });
  ids.agent = agent.body.agent.id;
  fuzz = await ApiClient.login(app.url, 'fuzz@parley.test', 'fuzz-password-123');
  ids.team = (await admin.post('/api/v1/teams', { name: 'Obsługa klienta' })).body.team.id;
  const ch = await createIdleChannel(admin);
  ids.channel = ch.id;
  ids.sandbox = (await admin.post('/api/v1/channels', { type: 'sandbox', name: 'Piaskownica', settings: { apiRoot: 'http://127.0.0.1:9' } })).body.channel.id;
  db = new Client({ connectionString: app.databaseUrl });
  await db.connect();
  const contacts = await db.query(`INSERT INTO contacts (name) VALUES ('Ярослава'), ('Žiga') RETURNING id`);
  [ids.contact, ids.otherContact] = contacts.rows.map((r) => r.id);
  const conv = await db.query(
    `INSERT INTO conversations (channel_id, contact_id, external_thread_id, last_inbound_at) VALUES ($1, $2, '1', now()) RETURNING id`,
    [ids.channel, ids.contact],
  );
  ids.conversation = conv.rows[0].id;
  const msg = await db.query(
    `INSERT INTO messages (conversation_id, channel_id, direction, status, text) VALUES ($1, $2, 'inbound', 'received', 'Szia') RETURNING id`,
    [ids.conversation, ids.channel],
  );
  ids.message = msg.rows[0].id;
});

afterAll(async () => {
  await db?.end();
  await app?.stop();
});

interface Route {
  method: string;
  path: () => string;
  /** A valid body (or query) that each case changes one field of. */
  body?: Record<string, unknown>;
  query?: Record<string, string>;
  client?: () => ApiClient;
  dates?: string[];
}

const routes: Route[] = [
  {
    method: 'POST',
    path: () => '/api/v1/auth/login',
    body: { email: 'fuzz@parley.test', password: 'wrong-password-123' },
    client: () => new ApiClient(app.url),
  },
  { method: 'PATCH', path: () => '/api/v1/me', body: { name: 'Fuzz', availability: 'online' }, client: () => fuzz },
  { method: 'POST', path: () => '/api/v1/agents', body: { email: 'new@parley.test', name: 'Nowy', password: 'new-password-123', role: 'agent', capacity: 3 } },
  { method: 'PATCH', path: () => `/api/v1/agents/${ids.agent}`, body: { name: 'Fuzz', role: 'agent', availability: 'busy', capacity: 5, disabled: false } },
  { method: 'POST', path: () => '/api/v1/teams', body: { name: 'Tým' } },
  { method: 'PUT', path: () => `/api/v1/teams/${ids.team}/members`, body: { agentIds: [] } },
  // Sandbox channels: their credentials check asks no platform, so every answer here is about the input alone
  // (a Telegram channel's would ask its Bot API, and `settings: {}` means Telegram's own).
  { method: 'POST', path: () => '/api/v1/channels', body: { type: 'sandbox', name: 'b', credentials: {}, settings: { apiRoot: 'http://127.0.0.1:9' } } },
  { method: 'PATCH', path: () => `/api/v1/channels/${ids.sandbox}`, body: { name: 'bot', settings: { apiRoot: 'http://127.0.0.1:9' } } },
  {
    method: 'PATCH',
    path: () => `/api/v1/conversations/${ids.conversation}/status`,
    body: { status: 'snoozed', snoozedUntil: '2030-01-01T00:00:00Z' },
    dates: ['snoozedUntil'],
  },
  { method: 'POST', path: () => `/api/v1/conversations/${ids.conversation}/assign`, body: { agentId: null, teamId: null } },
  { method: 'POST', path: () => `/api/v1/conversations/${ids.conversation}/messages`, body: { text: 'Привіт 👋', private: true } },
  { method: 'POST', path: () => `/api/v1/contacts/${ids.contact}/merge`, body: { intoContactId: ids.contact } },
  {
    method: 'GET',
    path: () => '/api/v1/conversations',
    query: { status: 'open', assignee: 'me', limit: '10', before: '2030-01-01T00:00:00Z' },
    dates: ['before'],
  },
  {
    method: 'GET',
    path: () => `/api/v1/conversations/${ids.conversation}/messages`,
    query: { limit: '10', before: '2030-01-01T00:00:00Z' },
    dates: ['before'],
  },
  { method: 'POST', path: () => '/api/v1/uploads', query: { filename: 'a.txt' } },
  {
    method: 'PATCH',
    path: () => `/api/v1/channels/${ids.channel}/routing`,
    body: { strategy: 'round_robin', teamId: null, maxQueueLength: 10, announceQueuePosition: false },
  },
  { method: 'GET', path: () => '/api/v1/queue', query: { channelId: ids.channel } },
];

const NUL = ['a\u0000b', '\u0000', 'Łódź\u0000'];
const OVERLONG = [`${'a'.repeat(500)}@example.com`, 'ż'.repeat(100_001)];
const WRONG_TYPES = [12345, true, null, [], {}, ['a'], { a: 1 }];
const HUGE = [1e308, -1e308, 2 ** 53 + 1, 1.5, -1];
const DATES = [
  '-004714-11-23T00:00:00Z',
  '-271821-04-20T00:00:00Z',
  '+275760-09-13T00:00:00Z',
  '0000-01-01T00:00:00Z',
  '1969-12-31T23:59:59Z',
  '99999-01-01',
  'not a date',
];

interface Case {
  label: string;
  method: string;
  path: string;
  body?: string;
  contentType?: string;
  client: ApiClient;
  nul: boolean;
}

function cases(): Case[] {
  const all: Case[] = [];
  for (const r of routes) {
    const client = r.client?.() ?? admin;
    const withQuery = (q: Record<string, unknown>) =>
      `${r.path()}?${Object.entries(q)
        .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(typeof v === 'string' ? v : JSON.stringify(v))}`)
        .join('&')}`;
    const base = r.body ?? r.query ?? {};
    for (const field of Object.keys(base)) {
      const values: Array<[string, unknown, boolean]> = [
        ...NUL.map((v) => ['NUL', v, true] as [string, unknown, boolean]),
        ...OVERLONG.map((v) => ['overlong', v, false] as [string, unknown, boolean]),
        ...(r.body ? WRONG_TYPES.map((v) => ['wrong type', v, false] as [string, unknown, boolean]) : []),
        ...HUGE.map((v) => ['number', r.body ? v : String(v), false] as [string, unknown, boolean]),
        ...(r.dates?.includes(field) ? DATES.map((v) => ['date', v, false] as [string, unknown, boolean]) : []),
      ];
      for (const [kind, value, nul] of values) {
        const changed = { ...base, [field]: value };
        all.push(
          r.body
            ? { label: `${r.method} ${r.path()} ${field}: ${kind}`, method: r.method, path: r.path(), body: JSON.stringify(changed), client, nul }
            : {
                label: `${r.method} ${r.path()} ?${field}: ${kind}`,
                method: r.method,
                path: withQuery(changed),
                body: r.method === 'GET' ? undefined : 'x',
                client,
                nul,
              },
        );
      }
    }
    if (r.body) {
      // A NUL deeper down: in a nested value, in an array, in a key.
      all.push({
        label: `${r.method} ${r.path()} nested NUL`,
        method: r.method,
        path: r.path(),
        body: JSON.stringify({ ...r.body, settings: { a: ['\u0000'] } }),
        client,
        nul: true,
      });
      all.push({
        label: `${r.method} ${r.path()} NUL key`,
        method: r.method,
        path: r.path(),
        body: JSON.stringify({ ...r.body, 'na\u0000me': 'x' }),
        client,
        nul: true,
      });
      for (const [label, body, contentType] of [
        ['not JSON', '{nope', 'application/json'],
        ['JSON as text/plain', JSON.stringify(r.body), 'text/plain'],
        ['an array', '[1,2]', 'application/json'],
        ['null', 'null', 'application/json'],
        ['a string', '"\\u0000"', 'application/json'],
        ['deeply nested', `${'['.repeat(50_000)}${']'.repeat(50_000)}`, 'application/json'],
        ['empty', '', 'application/json'],
      ] as const) {
        all.push({ label: `${r.method} ${r.path()} body: ${label}`, method: r.method, path: r.path(), body, contentType, client, nul: label === 'a string' });
      }
    }
  }
  // Path segments and query strings of the routes without a body.
  for (const path of [
    '/api/v1/conversations/%00',
    `/api/v1/conversations/${ids.conversation}%00`,
    `/api/v1/messages/${ids.message}/attachments/99999999999999999999`,
    `/api/v1/messages/${ids.message}/attachments/-1`,
    `/api/v1/messages/${ids.message}/attachments/%00`,
    `/api/v1/contacts/${'a'.repeat(5000)}`,
    `/api/v1/channels/${ids.channel}?x=%00`,
    '/api/v1/conversations?assignee=%00&limit=%00',
    '/api/v1/conversations?status=open&status=closed&limit=1&limit=2',
    '/api/v1/conversations?before[a]=1',
    `/api/v1/uploads?filename=${encodeURIComponent('a\u0000.txt')}`,
  ]) {
    all.push({
      label: `path ${path.slice(0, 80)}`,
      method: path.includes('uploads') ? 'POST' : 'GET',
      path,
      body: path.includes('uploads') ? 'x' : undefined,
      client: admin,
      nul: /%00/.test(path),
    });
  }
  return all;
}

async function send(c: Case): Promise<number> {
  const res = await fetch(`${app.url}${c.path}`, {
    method: c.method,
    headers: { authorization: `Bearer ${c.client.token ?? ''}`, ...(c.body !== undefined ? { 'content-type': c.contentType ?? 'application/json' } : {}) },
    body: c.body,
  });
  await res.arrayBuffer();
  return res.status;
}

test('no malformed request is answered 500, and a NUL anywhere is a 400', async () => {
  const all = cases();
  expect(all.length).toBeGreaterThan(500);
  const answers: Array<{ label: string; status: number }> = [];
  // A few at a time: every request is answered (a hang fails the test), in a bounded loop.
  for (let i = 0; i < all.length; i += 8) {
    const batch = all.slice(i, i + 8);
    const statuses = await Promise.all(batch.map(send));
    batch.forEach((c, j) => answers.push({ label: c.label, status: statuses[j] }));
  }
  expect(answers.filter((a) => a.status >= 500)).toEqual([]);
  const nulCases = new Set(all.filter((c) => c.nul).map((c) => c.label));
  expect(answers.filter((a) => nulCases.has(a.label) && a.status !== 400)).toEqual([]);
}, 120_000);

test('a date PostgreSQL cannot store is a 400 where it is a cursor or a snooze time', async () => {
  for (const date of ['-004714-11-23T00:00:00Z', '+275760-09-13T00:00:00Z', '0001-01-01T00:00:00Z']) {
    const q = encodeURIComponent(date);
    expect({ date, status: (await admin.get(`/api/v1/conversations?before=${q}`)).status }).toEqual({ date, status: 400 });
    expect({ date, status: (await admin.get(`/api/v1/conversations/${ids.conversation}/messages?before=${q}`)).status }).toEqual({ date, status: 400 });
    const snooze = await admin.request('PATCH', `/api/v1/conversations/${ids.conversation}/status`, { status: 'snoozed', snoozedUntil: date });
    expect({ date, status: snooze.status }).toEqual({ date, status: 400 });
  }
});

test('an email over 320 characters is a 400', async () => {
  const email = `${'a'.repeat(330)}@example.com`;
  expect((await new ApiClient(app.url).post('/api/v1/auth/login', { email, password: 'whatever-123' })).status).toBe(400);
  expect((await admin.post('/api/v1/agents', { email, name: 'Long', password: 'long-password-123' })).status).toBe(400);
});

test('twenty parallel creates of one team: one 201, nineteen 409', async () => {
  const statuses = await Promise.all(Array.from({ length: 20 }, () => admin.post('/api/v1/teams', { name: 'Ügyfélszolgálat' }).then((r) => r.status)));
  expect(statuses.sort()).toEqual([201, ...Array(19).fill(409)]);
  expect((await admin.get('/api/v1/teams')).body.teams.filter((t: { name: string }) => t.name === 'Ügyfélszolgálat')).toHaveLength(1);
});

test('twenty parallel creates of one agent: one 201, nineteen 409', async () => {
  const body = { email: 'twenty@parley.test', name: 'Двадцять', password: 'twenty-password-123' };
  const statuses = await Promise.all(Array.from({ length: 20 }, () => admin.post('/api/v1/agents', body).then((r) => r.status)));
  expect(statuses.sort()).toEqual([201, ...Array(19).fill(409)]);
});
