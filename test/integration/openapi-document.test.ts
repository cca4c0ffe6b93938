import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from 'pg';
import { z } from 'zod';
import { shippedConnectors } from '../../connectors/registry';
import { TEST_BOT_TOKEN } from '../../connectors/telegram/testing/harness';
import { apiRoutes, buildOpenApiDocument } from '../../src/http/api-routes';
import type { ResponseSpec } from '../../src/http/openapi/define-route';
import { errorSchema } from '../../src/http/views';
import { FakeTelegramBotApi } from '../../connectors/telegram/testing/fake-bot-api';
import { ApiClient, createIdleChannel, type TestParley } from '../support/parley';
import { startTestApp } from '../support/test-app';

/** The generated OpenAPI document: valid, complete, current in web/src/api, and true to what the API answers. */
const ROOT = join(__dirname, '../..');
const document = buildOpenApiDocument();
type Operation = { operationId?: string; tags?: string[]; summary?: string; responses?: Record<string, { content?: Record<string, { schema?: any }> }> };
const operations = Object.entries(document.paths).flatMap(([path, item]) =>
  Object.entries(item)
    .filter(([key]) => key !== 'servers')
    .map(([method, op]) => ({ route: `${method.toUpperCase()} ${path}`, op: op as Operation })),
);

describe('the generated document', () => {
  test('passes the OpenAPI 3.1 schema validator', () => {
    const run = spawnSync(process.execPath, [join(ROOT, 'scripts/validate-openapi.mjs'), '-'], {
      cwd: ROOT,
      input: JSON.stringify(document),
      encoding: 'utf8',
    });
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/valid OpenAPI 3\.1 document/);
    expect(run.status).toBe(0);
  });

  test('every operation has a unique operationId, a declared tag, a summary and a schema for every response', () => {
    const tags = (document.tags as Array<{ name: string }>).map((t) => t.name);
    const ids = operations.map(({ op }) => op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const { route, op } of operations) {
      const where = `${route} (${op.operationId})`;
      expect([where, op.operationId]).toEqual([where, expect.stringMatching(/^[a-z][A-Za-z]+$/)]);
      expect([where, op.tags?.length, tags.includes(op.tags?.[0] ?? '')]).toEqual([where, 1, true]);
      expect([where, op.summary]).toEqual([where, expect.any(String)]);
      for (const [status, response] of Object.entries(op.responses ?? {})) {
        // Only a 204 has no body; every other response says what its body is.
        if (status === '204') expect([where, status, response.content]).toEqual([where, status, undefined]);
        else
          for (const media of Object.values(response.content ?? { none: {} }))
            expect([where, status, media.schema]).toEqual([where, status, expect.any(Object)]);
      }
    }
  });

  test('every JSON error answer is the one error shape (but the health check, which says what is down)', () => {
    for (const { route, op } of operations.filter((o) => o.op.operationId !== 'getHealth')) {
      for (const [status, response] of Object.entries(op.responses ?? {})) {
        const schema = response.content?.['application/json']?.schema;
        if (Number(status) >= 400 && schema) expect([route, status, schema]).toEqual([route, status, { $ref: '#/components/schemas/Error' }]);
      }
    }
  });

  test("channel types are the connector registry's", () => {
    const body = (document.paths['/channels'] as any).post.requestBody.content['application/json'].schema;
    expect(body.properties.type.enum).toEqual(shippedConnectors.types());
    expect((document.components as any).schemas.Channel.properties.type.enum).toEqual(shippedConnectors.types());
  });

  test('web/src/api holds the current document and its types (else: npm run api:types)', () => {
    const stale = (file: string) => new Error(`web/src/api/${file} is behind the code: run \`npm run api:types\` and commit the result`);
    if (readFileSync(join(ROOT, 'web/src/api/openapi.json'), 'utf8') !== `${JSON.stringify(document, null, 2)}\n`) throw stale('openapi.json');
    // openapi-typescript is an ES module: run its CLI, exactly as the npm script does.
    const cli = join(ROOT, 'node_modules/openapi-typescript/bin/cli.js');
    const run = spawnSync(process.execPath, [cli, 'web/src/api/openapi.json'], { cwd: ROOT, encoding: 'utf8' });
    expect(run.status).toBe(0);
    if (run.stdout !== readFileSync(join(ROOT, 'web/src/api/schema.d.ts'), 'utf8')) throw stale('schema.d.ts');
  });
});

describe('real answers match their documented schemas', () => {
  let app: TestParley;
  let admin: ApiClient;
  let db: Client;

  beforeAll(async () => {
    ({ app, admin, db } = await startTestApp());
  });
  afterAll(async () => {
    await app?.stop();
  });

  /**
   * Parses the JSON with the route's own schema for that status, then writes it back: equal only if every
   * field is documented (zod drops undocumented ones) and every documented one has its type.
   */
  function expectDocumented(operationId: string, res: { status: number; body: unknown }): void {
    const route = apiRoutes.find((r) => r.spec.operationId === operationId);
    if (!route) throw new Error(`no operation ${operationId}`);
    const spec: ResponseSpec | undefined = route.spec.responses[res.status] ?? (res.status >= 400 ? errorSchema : undefined);
    const schema = spec && ('_zod' in spec ? (spec as z.ZodType) : 'schema' in spec ? spec.schema : undefined);
    if (!schema) throw new Error(`${operationId} answered ${res.status}, which has no documented JSON body: ${JSON.stringify(res.body)}`);
    const parsed = schema.safeParse(res.body);
    if (!parsed.success) throw new Error(`${operationId} ${res.status}: ${z.prettifyError(parsed.error)}\n${JSON.stringify(res.body)}`);
    expect(z.encode(schema, parsed.data)).toEqual(res.body);
  }

  test('auth: login, me, errors', async () => {
    const anon = new ApiClient(app.url);
    const login = await anon.post('/api/v1/auth/login', { email: 'admin@parley.test', password: 'correct horse battery' });
    expect(login.status).toBe(200);
    expectDocumented('login', login);
    expectDocumented('login', await anon.post('/api/v1/auth/login', { email: 'admin@parley.test', password: 'wrong' }));
    expectDocumented('login', await anon.post('/api/v1/auth/login', { email: 'admin@parley.test' }));
    expectDocumented('getMe', await admin.get('/api/v1/me'));
    expectDocumented('getMe', await anon.get('/api/v1/me'));
    expectDocumented('updateMe', await admin.patch('/api/v1/me', { availability: 'online' }));
  });

  test('agents, teams and channels', async () => {
    const agent = await admin.post('/api/v1/agents', { email: 'docs@parley.test', name: 'Docs', password: 'docs-password-123' });
    expect(agent.status).toBe(201);
    expectDocumented('createAgent', agent);
    expectDocumented('createAgent', await admin.post('/api/v1/agents', { email: 'docs@parley.test', name: 'Again', password: 'docs-password-123' }));
    expectDocumented('listAgents', await admin.get('/api/v1/agents'));
    const team = await admin.post('/api/v1/teams', { name: 'Docs team' });
    expectDocumented('createTeam', team);
    expectDocumented('setTeamMembers', await admin.request('PUT', `/api/v1/teams/${team.body.team.id}/members`, { agentIds: [agent.body.agent.id] }));
    expectDocumented('listTeams', await admin.get('/api/v1/teams'));

    const fake = new FakeTelegramBotApi(TEST_BOT_TOKEN);
    await fake.start();
    const create = () =>
      admin.post('/api/v1/channels', { type: 'telegram', name: 'bot', credentials: { botToken: TEST_BOT_TOKEN }, settings: { apiRoot: fake.url } });
    const channel = await create();
    expect(channel.status).toBe(201);
    expectDocumented('createChannel', channel);
    const documented = async (operationId: string, status: number, res: Promise<{ status: number; body: unknown }>) => {
      const answer = await res;
      expect([operationId, answer.status]).toEqual([operationId, status]);
      expectDocumented(operationId, answer);
    };
    const patch = (body: unknown) => admin.patch(`/api/v1/channels/${channel.body.channel.id}`, body);
    await documented('createChannel', 409, create());
    fake.failNext({ status: 401, body: { ok: false, error_code: 401, description: 'Unauthorized' } });
    await documented('updateChannel', 422, patch({ settings: { timeoutMs: 5000 } }));
    await fake.stop();
    await documented('updateChannel', 502, patch({ settings: { timeoutMs: 5000 } }));
    await documented('updateChannel', 200, patch({ name: 'bot (renamed)' }));
    expectDocumented('listChannels', await admin.get('/api/v1/channels'));
    expectDocumented('getChannel', await admin.get(`/api/v1/channels/${channel.body.channel.id}`));
    expectDocumented('getChannel', await admin.get('/api/v1/channels/00000000-0000-4000-8000-000000000000'));
  });

  test('conversations, messages, contacts and uploads', async () => {
    const channel = { id: (await createIdleChannel(admin)).id };
    const contact = (await db.query(`INSERT INTO contacts (name) VALUES ('Customer') RETURNING id`)).rows[0].id;
    await db.query(`INSERT INTO contact_identities (contact_id, channel_id, external_id) VALUES ($1, $2, '42')`, [contact, channel.id]);
    const conversation = (
      await db.query(`INSERT INTO conversations (channel_id, contact_id, external_thread_id, last_inbound_at) VALUES ($1, $2, '42', now()) RETURNING id`, [
        channel.id,
        contact,
      ])
    ).rows[0].id;

    const list = await admin.get('/api/v1/conversations');
    expect(list.body.conversations.length).toBeGreaterThan(0);
    expectDocumented('listConversations', list);
    expectDocumented('listConversations', await admin.get('/api/v1/conversations?status=nonsense'));
    expectDocumented('getConversation', await admin.get(`/api/v1/conversations/${conversation}`));
    expectDocumented('changeConversationStatus', await admin.patch(`/api/v1/conversations/${conversation}/status`, { status: 'pending' }));
    expectDocumented('assignConversation', await admin.post(`/api/v1/conversations/${conversation}/assign`, { agentId: null }));

    const upload = await admin.request('POST', '/api/v1/uploads?filename=a.png', Buffer.from('png'), { 'content-type': 'image/png' });
    expectDocumented('createUpload', upload);
    const note = await admin.post(`/api/v1/conversations/${conversation}/messages`, { text: 'a note', private: true, uploadIds: [upload.body.upload.id] });
    expect(note.status).toBe(201);
    expectDocumented('createMessage', note);
    expectDocumented('listMessages', await admin.get(`/api/v1/conversations/${conversation}/messages`));
    expectDocumented('getContact', await admin.get(`/api/v1/contacts/${contact}`));
  });

  test('the service routes: health, the document, the reference page without inline script', async () => {
    const anon = new ApiClient(app.url);
    expectDocumented('getHealth', await anon.get('/health'));
    const served = await anon.get('/api/v1/openapi.json');
    expect(served.body).toEqual(JSON.parse(JSON.stringify(document)));

    const page = await fetch(`${app.url}/api/v1/docs`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await page.text();
    const scripts = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, body] of scripts) {
      expect(attributes).toMatch(/ src="\/api\/v1\/docs\/assets\/[\w.-]+\.js"/);
      expect(body.trim()).toBe('');
    }
    // Every asset the page names is served from this origin.
    for (const [, asset] of html.matchAll(/(?:src|href)="([^"]+)"/g)) {
      expect(asset).toMatch(/^\/api\/v1\//);
      const res = await fetch(`${app.url}${asset}`);
      expect([asset, res.status]).toEqual([asset, 200]);
    }
    // Only the files the page needs: not swagger-ui-dist's demo page, which points at the petstore.
    expect((await fetch(`${app.url}/api/v1/docs/assets/index.html`)).status).not.toBe(200);
  });
});
