import { io } from 'socket.io-client';
import { ApiClient, startTestParley, type TestParley } from '../support/parley';

/** Security headers on every response, CORS and socket.io for the configured origins only. */
let app: TestParley;
let admin: ApiClient;
const OWN = 'https://parley.example.test';
const DEV = 'http://localhost:5173';
const FOREIGN = 'https://evil.example';

beforeAll(async () => {
  app = await startTestParley({ ALLOWED_ORIGINS: `${OWN},${DEV}` });
  admin = await ApiClient.login(app.url);
});

afterAll(async () => {
  await app?.stop();
});

function directives(csp: string | null): Record<string, string> {
  return Object.fromEntries((csp ?? '').split(';').map((d) => d.trim().split(/\s+(.*)/s, 2) as [string, string]));
}

describe('every response carries the security headers', () => {
  const requests: Array<[string, () => Promise<Response>]> = [
    ['the health check', () => fetch(`${app.url}/health`)],
    ['an authenticated API answer', () => fetch(`${app.url}/api/v1/me`, { headers: { authorization: `Bearer ${admin.token}` } })],
    ['a 401', () => fetch(`${app.url}/api/v1/conversations`)],
    ['a 404', () => fetch(`${app.url}/nothing/here`)],
    ['a 400 (bad JSON)', () => fetch(`${app.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' })],
    ['a webhook answer', () => fetch(`${app.url}/webhooks/unknown-webhook-id`, { method: 'POST', body: '{}' })],
    ['the OpenAPI document', () => fetch(`${app.url}/api/v1/openapi.json`)],
  ];

  test.each(requests)('%s', async (_label, request) => {
    const res = await request();
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    // PUBLIC_URL is https here: HSTS.
    expect(res.headers.get('strict-transport-security')).toMatch(/^max-age=\d{7,}/);
    const csp = directives(res.headers.get('content-security-policy'));
    expect(csp).toMatchObject({
      'default-src': "'self'",
      'script-src': "'self'",
      'style-src': "'self'",
      'img-src': "'self' data: blob:",
      'media-src': "'self' blob:",
      'frame-ancestors': "'none'",
      'object-src': "'none'",
      'base-uri': "'self'",
      'form-action': "'self'",
    });
    expect(csp['connect-src'].split(' ')).toEqual(["'self'", 'wss://parley.example.test', 'ws://localhost:5173']);
    expect(res.headers.get('x-powered-by')).toBeNull();
  });

  test('the API reference page lives under the same policy (Swagger UI needs no inline script or style)', async () => {
    const res = await fetch(`${app.url}/api/v1/docs`);
    expect(res.status).toBe(200);
    const csp = directives(res.headers.get('content-security-policy'));
    expect(csp['style-src']).toBe("'self'");
    expect(csp['script-src']).toBe("'self'");
    expect(await res.text()).not.toMatch(/<script>|<style|style="/);
  });
});

describe('CORS: the configured origins only', () => {
  test('an allowed origin gets its CORS headers, with a preflight', async () => {
    const res = await fetch(`${app.url}/api/v1/me`, { headers: { origin: DEV, authorization: `Bearer ${admin.token}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(DEV);
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
    const preflight = await fetch(`${app.url}/api/v1/conversations`, {
      method: 'OPTIONS',
      headers: { origin: OWN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(OWN);
    expect(preflight.headers.get('access-control-allow-headers')).toMatch(/Authorization/);
  });

  test('any other origin gets no CORS header at all (its browser keeps the answer from the page)', async () => {
    const res = await fetch(`${app.url}/api/v1/me`, { headers: { origin: FOREIGN, authorization: `Bearer ${admin.token}` } });
    const preflight = await fetch(`${app.url}/api/v1/me`, { method: 'OPTIONS', headers: { origin: FOREIGN, 'access-control-request-method': 'GET' } });
    for (const r of [res, preflight]) {
      expect([...r.headers.keys()].filter((h) => h.startsWith('access-control-'))).toEqual([]);
    }
  });
});

describe('socket.io: the configured origins only', () => {
  async function connect(origin?: string, transport: 'websocket' | 'polling' = 'websocket'): Promise<'connected' | string> {
    const socket = io(app.url, {
      auth: { token: admin.token },
      transports: [transport],
      reconnection: false,
      extraHeaders: origin ? { origin } : {},
    });
    try {
      return await new Promise<string>((resolve) => {
        socket.once('connect', () => resolve('connected'));
        socket.once('connect_error', (err) => resolve(err.message));
      });
    } finally {
      socket.disconnect();
    }
  }

  test.each(['websocket', 'polling'] as const)('a browser socket from a foreign Origin is refused (%s)', async (transport) => {
    expect(await connect(FOREIGN, transport)).not.toBe('connected');
  });

  test.each(['websocket', 'polling'] as const)('a socket from an allowed origin connects (%s)', async (transport) => {
    expect(await connect(OWN, transport)).toBe('connected');
    expect(await connect(DEV, transport)).toBe('connected');
  });

  test('a client that is not a browser (no Origin) connects with its token', async () => {
    expect(await connect(undefined)).toBe('connected');
  });
});
