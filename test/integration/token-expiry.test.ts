import { startParley, type Parley } from '../../src/app/parley';
import { createLogger } from '../../src/logging/logger';
import { ADMIN, ApiClient, connectSocket, eventually, startTestParley, type TestParley } from '../support/parley';

/**
 * A socket lasts no longer than its token: when the token expires, the socket is told (`session.ended`
 * `{reason: 'expired'}`, as revocation tells it) and dropped, by whichever API process holds it. Tokens here
 * live 0.003 h (10.8 s); a second, API-only process shares the database and Redis.
 */
const TTL_HOURS = '0.003';
let app: TestParley;
let second: Parley;

beforeAll(async () => {
  app = await startTestParley({ TOKEN_TTL_HOURS: TTL_HOURS });
  second = await startParley({ ...app.config, role: 'api' }, { logger: createLogger('silent') });
});

afterAll(async () => {
  await second?.stop();
  await app?.stop();
});

type Sock = Awaited<ReturnType<typeof connectSocket>>;
const ended = (s: Sock) => s.events.find((e) => e.name === 'session.ended');

test('a socket whose token expires is told and disconnected, in every API process', async () => {
  const login = await new ApiClient(app.url).request('POST', '/api/v1/auth/login', { email: ADMIN.email, password: ADMIN.password });
  expect(login.status).toBe(200);
  const expiresAt = Date.parse(login.body.expiresAt);
  const token: string = login.body.token;
  const sockets = [await connectSocket(app.url, token), await connectSocket(second.url!, token)];
  try {
    // Alive and authorised until then.
    expect(sockets.map((s) => s.socket.connected)).toEqual([true, true]);
    expect((await new ApiClient(second.url!, token).get('/api/v1/me')).status).toBe(200);

    for (const s of sockets) {
      await eventually(() => !s.socket.connected && ended(s), 60_000);
      expect(ended(s)!.payload).toEqual({ reason: 'expired' });
    }
    // Not ended before its time, and the token is refused from then on, by REST and by a new socket.
    expect(Date.now()).toBeGreaterThanOrEqual(expiresAt);
    expect((await new ApiClient(app.url, token).get('/api/v1/me')).status).toBe(401);
    await expect(connectSocket(second.url!, token)).rejects.toThrow(/unauthorized/);
  } finally {
    for (const s of sockets) s.socket.close();
  }
}, 90_000);
