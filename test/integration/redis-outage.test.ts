import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { FakeTelegramBotApi } from '../../connectors/telegram/testing/fake-bot-api';
import { TEST_BOT_TOKEN } from '../../connectors/telegram/testing/harness';
import { ApiClient, eventually, startTestParley, type TestParley } from '../support/parley';

/**
 * A Redis of this test's own, stopped and started again: webhooks answer 503 while it is down (the platform
 * redelivers), replies accepted meanwhile are kept and sent once it is back, and the workers reconnect.
 */
let redis: ChildProcess | undefined;
let port: number;
let app: TestParley;
let fake: FakeTelegramBotApi;
let admin: ApiClient;
let hook: { path: string; secret: string };

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}

async function startRedis(): Promise<void> {
  redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  await eventually(() => {
    try {
      return (
        execFileSync('redis-cli', ['-p', String(port), 'ping'], { stdio: ['ignore', 'pipe', 'ignore'] })
          .toString()
          .trim() === 'PONG'
      );
    } catch {
      return false;
    }
  });
}

async function stopRedis(): Promise<void> {
  const proc = redis!;
  await new Promise<void>((resolve) => {
    proc.once('exit', () => resolve());
    proc.kill('SIGKILL');
  });
  redis = undefined;
}

beforeAll(async () => {
  port = await freePort();
  await startRedis();
  fake = new FakeTelegramBotApi(TEST_BOT_TOKEN);
  await fake.start();
  app = await startTestParley({ REDIS_URL: `redis://127.0.0.1:${port}`, PENDING_SWEEP_MS: '500' });
  admin = await ApiClient.login(app.url);
  const ch = (
    await admin.post('/api/v1/channels', { type: 'telegram', name: 'bot', credentials: { botToken: TEST_BOT_TOKEN }, settings: { apiRoot: fake.url } })
  ).body.channel;
  await admin.post(`/api/v1/channels/${ch.id}/register-webhook`);
  hook = { path: new URL(ch.webhookUrl).pathname, secret: fake.callsTo(/setWebhook/)[0].json.secret_token };
}, 60_000);

afterAll(async () => {
  await app?.stop();
  await fake?.stop();
  if (redis) await stopRedis();
});

function post(update: unknown) {
  return fetch(`${app.url}${hook.path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': hook.secret },
    body: JSON.stringify(update),
  }).then((r) => r.status);
}

const update = (id: number, text: string) => ({
  update_id: id,
  message: { message_id: id, date: 1700000000, chat: { id: 4242, type: 'private' }, from: { id: 4242, is_bot: false, first_name: 'Lin' }, text },
});

test('webhooks answer 503 while Redis is down and are stored once it is back; a reply sent meanwhile goes out later', async () => {
  expect(await post(update(1, 'before the outage'))).toBe(200);
  const conversation = await eventually(async () => (await admin.get('/api/v1/conversations')).body.conversations[0]);

  await stopRedis();
  expect(await post(update(2, 'during the outage'))).toBe(503);
  const health = await fetch(`${app.url}/health`);
  expect(health.status).toBe(503);
  expect(await health.json()).toMatchObject({ redis: false, database: true });
  // The agent's reply is accepted: it is durable in PostgreSQL even though it cannot be queued now.
  const reply = await admin.post(`/api/v1/conversations/${conversation.id}/messages`, { text: 'sent during the outage' });
  expect(reply.status).toBe(202);

  await startRedis();
  await eventually(async () => (await fetch(`${app.url}/health`)).status === 200, 20_000);
  // The platform redelivers the update it got a 503 for.
  expect(await post(update(2, 'during the outage'))).toBe(200);
  await eventually(
    async () => (await admin.get(`/api/v1/conversations/${conversation.id}/messages`)).body.messages.some((m: any) => m.text === 'during the outage'),
    20_000,
  );
  await fake.waitForCall((c) => c.json?.text === 'sent during the outage', 20_000);
  await eventually(async () => {
    const m = (await admin.get(`/api/v1/conversations/${conversation.id}/messages`)).body.messages.find((x: any) => x.id === reply.body.message.id);
    return m.status === 'sent';
  }, 20_000);
}, 90_000);
