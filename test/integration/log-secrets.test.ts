import { Writable } from 'node:stream';
import { FakeTelegramBotApi } from '../../connectors/telegram/testing/fake-bot-api';
import { FakeGraphApi } from '../../connectors/whatsapp-cloud/testing/fake-graph-api';
import { createLogger } from '../../src/logging/logger';
import { hashToken } from '../../src/security/tokens';
import { ADMIN, ApiClient, connectSocket, eventually, startTestParley, type TestParley } from '../support/parley';

/**
 * A realistic run with the logger at trace, written to a buffer: agents with passwords, wrong log-ins, a
 * Telegram channel whose Bot API answers a non-JSON 400 (its client's error names the URL with the token),
 * a failing SQL statement with a secret parameter. Then every secret the run used is looked for in the log.
 */
const BOT_TOKEN = '987654321:AAFsecretBotTokenForTheLogTest_xyz';
let app: TestParley;
let fake: FakeTelegramBotApi;
const chunks: string[] = [];

beforeAll(async () => {
  fake = new FakeTelegramBotApi(BOT_TOKEN);
  await fake.start();
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk.toString('utf8'));
      done();
    },
  });
  app = await startTestParley({ OUTBOUND_ATTEMPTS: '2' }, { logger: createLogger('trace', sink) });
});

afterAll(async () => {
  await app?.stop();
  await fake?.stop();
});

test('no password, hash, bot token, webhook secret or bearer token reaches the log', async () => {
  const secrets: string[] = [ADMIN.password, BOT_TOKEN, BOT_TOKEN.split(':')[1]];
  const admin = await ApiClient.login(app.url);
  secrets.push(admin.token!, hashToken(admin.token!));
  await admin.patch('/api/v1/me', { availability: 'online' });

  const agentPassword = 'Zażółć-gęślą-jaźń-42';
  await admin.post('/api/v1/agents', { email: 'zofia@parley.test', name: 'Zofia', password: agentPassword });
  const zofia = await ApiClient.login(app.url, 'zofia@parley.test', agentPassword);
  secrets.push(agentPassword, zofia.token!);
  for (const guess of ['Съешь-же-ещё-1', 'wrong-guess-2']) {
    secrets.push(guess);
    expect((await new ApiClient(app.url).post('/api/v1/auth/login', { email: 'zofia@parley.test', password: guess })).status).toBe(401);
  }
  const newPassword = 'Nowe-hasło-Zofii-7';
  secrets.push(newPassword);
  expect((await zofia.patch('/api/v1/me', { password: newPassword, currentPassword: agentPassword })).status).toBe(200);
  expect((await zofia.patch('/api/v1/me', { password: 'Próba-bez-hasła-9', currentPassword: 'wrong-current-1' })).status).toBe(403);
  secrets.push('Próba-bez-hasła-9', 'wrong-current-1');

  const created = await admin.post('/api/v1/channels', {
    type: 'telegram',
    name: 'bot',
    credentials: { botToken: BOT_TOKEN },
    settings: { apiRoot: fake.url },
  });
  expect(created.status).toBe(201);
  const channel = created.body.channel;
  expect((await admin.post(`/api/v1/channels/${channel.id}/register-webhook`)).status).toBe(200);
  const webhookSecret: string = fake.callsTo(/\/setWebhook$/)[0].json.secret_token;
  secrets.push(webhookSecret);

  // A WhatsApp Cloud channel: its access token and app secret given, its verify token generated.
  const accessToken = 'EAAGsecretAccessTokenForTheLogTest0123456789';
  const appSecret = 'abcdef0123456789abcdef0123456789';
  const graph = new FakeGraphApi(accessToken, '1234567890');
  await graph.start();
  // A refused token first: the refusal is in words, and neither the answer nor the log holds the token.
  const wrongToken = 'EAAGwrongAccessTokenForTheLogTest987654321';
  secrets.push(wrongToken);
  const refused = await admin.post('/api/v1/channels', {
    type: 'whatsapp_cloud',
    name: 'WhatsApp',
    credentials: { accessToken: wrongToken, appSecret },
    settings: { apiBaseUrl: graph.apiBaseUrl, phoneNumberId: '1234567890' },
  });
  expect(refused.status).toBe(422);
  expect(refused.body.error).toMatch(/^WhatsApp refused the access token/);
  expect(JSON.stringify(refused.body)).not.toContain(wrongToken);
  const wa = await admin.post('/api/v1/channels', {
    type: 'whatsapp_cloud',
    name: 'WhatsApp',
    credentials: { accessToken, appSecret },
    settings: { apiBaseUrl: graph.apiBaseUrl, phoneNumberId: '1234567890' },
  });
  await graph.stop();
  expect(wa.status).toBe(201);
  secrets.push(accessToken, appSecret, ...Object.values<string>(wa.body.generatedCredentials ?? {}));
  expect(wa.body.generatedCredentials.verifyToken).toEqual(expect.any(String));
  const sealed = await app.parley.ctx.ds.query(`SELECT credentials_encrypted AS credentials FROM channels`);
  secrets.push(...sealed.map((r: { credentials: string }) => r.credentials));

  // A customer writes; the reply meets a Bot API answering a non-JSON body with 400.
  const update = {
    update_id: 1,
    message: {
      message_id: 1,
      date: Math.floor(Date.now() / 1000),
      chat: { id: 77, type: 'private' },
      from: { id: 77, is_bot: false, first_name: 'Ada' },
      text: 'Dzień dobry',
    },
  };
  const res = await fetch(`${app.url}${new URL(channel.webhookUrl).pathname}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': webhookSecret },
    body: JSON.stringify(update),
  });
  expect(res.status).toBe(200);
  const conversation = await eventually(async () =>
    (await admin.get('/api/v1/conversations')).body.conversations.find((c: any) => c.externalThreadId === '77'),
  );
  const socket = await connectSocket(app.url, admin.token!);
  try {
    fake.nonJsonNext(400, (c) => c.path.endsWith('/sendMessage'), 2);
    const reply = await admin.post(`/api/v1/conversations/${conversation.id}/messages`, { text: 'Szia!' });
    const failed = await eventually(async () => {
      const m = (await admin.get(`/api/v1/conversations/${conversation.id}/messages`)).body.messages.find((x: any) => x.id === reply.body.message.id);
      return m.status === 'failed' ? m : null;
    });
    expect(failed.failureReason).toMatch(/not JSON/);
    const pushed = await eventually(() => socket.events.find((e) => e.name === 'message.updated' && e.payload.message.status === 'failed'));
    for (const s of [BOT_TOKEN.split(':')[1]]) {
      expect(failed.failureReason).not.toContain(s);
      expect(JSON.stringify(pushed.payload)).not.toContain(s);
    }
  } finally {
    socket.socket.close();
  }

  // A failing SQL statement with a secret parameter, logged as the app logs unexpected errors.
  const rows = await app.parley.ctx.ds.query(`SELECT password_hash FROM agents WHERE email = 'zofia@parley.test'`);
  secrets.push(rows[0].password_hash, rows[0].password_hash.split('$').pop());
  const failedSql = await app.parley.ctx.ds
    .query(`INSERT INTO agents (email, name, password_hash) VALUES ($1, $2, $3)`, ['zofia@parley.test', 'Zofia', rows[0].password_hash])
    .catch((err: unknown) => err);
  app.parley.ctx.logger.error({ err: failedSql }, 'unhandled error');

  await app.parley.ctx.logger.flush?.();
  const log = chunks.join('');
  expect(log).toContain('agent logged in');
  expect(log).toContain('duplicate key');
  expect(log).toContain('INSERT INTO agents');
  for (const secret of secrets) expect({ secret, found: log.includes(secret) }).toEqual({ secret, found: false });
});
