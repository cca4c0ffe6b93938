import { createServer, connect, type Server, type Socket } from 'node:net';
import { createTestDatabase } from '../support/database';
import { ApiClient, createIdleChannel, eventually, startTestParley, type TestParley } from '../support/parley';

/**
 * PostgreSQL stops answering (the shared server cannot be stopped: Parley reaches it through a TCP proxy on
 * 127.0.0.1 that this test cuts): webhooks answer 503 so the platform redelivers, /health says so quickly, and
 * both recover when the database is back.
 */
class TcpProxy {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  port = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  async open(): Promise<void> {
    const server = createServer((client) => {
      const upstream = connect(this.target.port, this.target.host);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as { port: number }).port;
    this.server = server;
  }

  /** Refuses new connections and breaks the open ones, as a database that went away. */
  async cut(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const s of this.sockets) s.destroy();
    await closed;
  }
}

let app: TestParley;
let proxy: TcpProxy;
let db: { url: string; drop(): Promise<void> };
let hook: { path: string };
const SECRET = 'database-outage-secret-0123456789';

beforeAll(async () => {
  db = await createTestDatabase();
  const url = new URL(db.url);
  proxy = new TcpProxy({ host: url.hostname, port: Number(url.port || 5432) });
  await proxy.open();
  url.host = `127.0.0.1:${proxy.port}`;
  app = await startTestParley({ DATABASE_URL: url.toString() });
  const admin = await ApiClient.login(app.url);
  const ch = await createIdleChannel(admin, { webhookSecret: SECRET });
  hook = { path: ch.webhookPath };
}, 60_000);

afterAll(async () => {
  await app?.stop();
  await proxy?.cut();
  await db?.drop();
});

let nextUpdate = 9000;
function postUpdate(): Promise<Response> {
  const id = nextUpdate++;
  return fetch(`${app.url}${hook.path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
    body: JSON.stringify({
      update_id: id,
      message: { message_id: id, date: 1700000000, chat: { id: 77, type: 'private' }, from: { id: 77, is_bot: false, first_name: 'Jürgen' }, text: 'Привіт' },
    }),
  });
}

async function health(): Promise<{ status: number; body: { status: string; database: boolean; redis: boolean } }> {
  const res = await fetch(`${app.url}/health`);
  return { status: res.status, body: (await res.json()) as { status: string; database: boolean; redis: boolean } };
}

test('with PostgreSQL gone, webhooks answer 503 (not 500) and /health says database: false; both recover', async () => {
  expect((await postUpdate()).status).toBe(200);
  expect(await health()).toEqual({ status: 200, body: { status: 'ok', database: true, redis: true } });

  await proxy.cut();
  const answers = await Promise.all(Array.from({ length: 20 }, () => postUpdate()));
  expect(answers.map((r) => r.status)).toEqual(Array(20).fill(503));
  expect(answers[0].headers.get('retry-after')).toBe('5');
  expect(await health()).toEqual({ status: 503, body: { status: 'degraded', database: false, redis: true } });
  // The API says "try again" too, rather than 500.
  expect(
    (await fetch(`${app.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"email":"a@b.c","password":"x"}' }))
      .status,
  ).toBe(503);

  await proxy.open();
  await eventually(async () => (await health()).status === 200);
  expect((await postUpdate()).status).toBe(200);
});
