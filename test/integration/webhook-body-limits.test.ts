import { connect } from 'node:net';
import { Client } from 'pg';
import { ApiClient, createIdleChannel, countRows, startTestParley, type TestParley } from '../support/parley';

/**
 * /webhooks/<id> looks the id up before reading a byte of the body: an unknown id costs no memory whatever the
 * sender declares, and a known one reads at most its connector's limit (1 MB unless the connector declares more).
 */
let app: TestParley;
let db: Client;
let hook: { path: string; channelId: string };
const SECRET = 'webhook-limits-secret-0123456789';

beforeAll(async () => {
  app = await startTestParley();
  const admin = await ApiClient.login(app.url);
  const ch = await createIdleChannel(admin, { webhookSecret: SECRET });
  hook = { path: ch.webhookPath, channelId: ch.id };
  db = new Client({ connectionString: app.databaseUrl });
  await db.connect();
});

afterAll(async () => {
  await db?.end();
  await app?.stop();
});

/**
 * Sends a request's head and only the first `sent` bytes of a body it declares `declared` bytes long, then
 * waits for the answer without sending the rest: a server that reads the body before answering never answers.
 */
function answerBeforeBody(path: string, declared: number, sent = 1024): Promise<{ status: number; head: string }> {
  const url = new URL(app.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname);
    let received = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      received += chunk;
      const end = received.indexOf('\r\n\r\n');
      if (end < 0) return;
      socket.destroy();
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(received)![1]), head: received.slice(0, end) });
    });
    socket.on('error', reject);
    socket.write(`POST ${path} HTTP/1.1\r\nHost: ${url.host}\r\nContent-Type: application/json\r\nContent-Length: ${declared}\r\n\r\n`);
    socket.write(Buffer.alloc(sent, 0x20));
  });
}

const update = (id: number, padding = 0) =>
  Buffer.from(
    `{"update_id":${id},"message":{"message_id":${id},"date":1700000000,"chat":{"id":42,"type":"private"},"from":{"id":42,"is_bot":false,"first_name":"Zoë"},"text":"Cześć"}${' '.repeat(padding)}}`,
  );

function post(body: Buffer, headers: Record<string, string> = {}) {
  return fetch(`${app.url}${hook.path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET, ...headers },
    body,
  });
}

test('an unknown id declaring a 5 MB body is answered 404 before the body is sent, and the connection closed', async () => {
  const res = await answerBeforeBody('/webhooks/no-such-webhook-id', 5 * 1024 * 1024);
  expect(res.status).toBe(404);
  expect(res.head).toMatch(/\r\nconnection: close/i);
});

test('an id that cannot be one is answered 404 before the body too', async () => {
  expect((await answerBeforeBody('/webhooks/x', 5 * 1024 * 1024)).status).toBe(404);
});

test('a known id declaring more than its connector accepts is answered 413 before the body is sent', async () => {
  const res = await answerBeforeBody(hook.path, 5 * 1024 * 1024);
  expect(res.status).toBe(413);
  expect(res.head).toMatch(/\r\nconnection: close/i);
});

test('an oversized signed update is refused with 413 and nothing is stored or queued, declared or chunked', async () => {
  const big = update(7001, 1024 * 1024 + 10);
  expect((await post(big)).status).toBe(413);
  // Without a Content-Length (chunked), the limit stops the read as it passes 1 MB.
  const chunked = new ReadableStream({
    start(controller) {
      controller.enqueue(new Uint8Array(big));
      controller.close();
    },
  });
  const res = await fetch(`${app.url}${hook.path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
    body: chunked,
    duplex: 'half',
  } as RequestInit);
  expect(res.status).toBe(413);
  expect(await countRows(db, `SELECT count(*) AS n FROM dead_letters`)).toBe(0);
  expect(await app.parley.ctx.queues.inbound.getJobCounts()).toMatchObject({ waiting: 0, active: 0, completed: 0, delayed: 0, failed: 0 });
});

test('a signed update under the limit, even a large one, is accepted', async () => {
  const res = await post(update(7002, 512 * 1024));
  expect(res.status).toBe(200);
});
