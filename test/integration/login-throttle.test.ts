import { Client } from 'pg';
import { hashPassword } from '../../src/security/password';
import { ADMIN, ApiClient, startTestParley, type TestParley } from '../support/parley';

/**
 * Log-in lockout per account and client address, counted atomically before any password is hashed. The app
 * trusts X-Forwarded-For from loopback (`trust proxy`), so each request here names the address it comes from.
 */
let app: TestParley;
let db: Client;
const LIMIT = 3;

beforeAll(async () => {
  app = await startTestParley({ LOGIN_MAX_FAILURES: String(LIMIT) });
  db = new Client({ connectionString: app.databaseUrl });
  await db.connect();
});

afterAll(async () => {
  await db?.end();
  await app?.stop();
});

function login(email: string, password: string, from: string) {
  return new ApiClient(app.url).request('POST', '/api/v1/auth/login', { email, password }, { 'x-forwarded-for': from });
}

test('200 parallel wrong passwords from one address: only the limit is checked, and the owner elsewhere still logs in', async () => {
  const admin = await ApiClient.login(app.url);
  await admin.post('/api/v1/agents', { email: 'ola@parley.test', name: 'Ola', password: 'Zażółć-gęślą-1' });

  const answers = await Promise.all(Array.from({ length: 200 }, (_, i) => login('ola@parley.test', `guess-${i}`, '203.0.113.7')));
  const statuses = answers.map((a) => a.status);
  // A 401 means the password was hashed and compared; a 429 that it was refused before.
  expect(statuses.filter((s) => s === 401)).toHaveLength(LIMIT);
  expect(statuses.filter((s) => s === 429)).toHaveLength(200 - LIMIT);
  expect(await app.parley.ctx.auth['throttle'].failures('ola@parley.test', '203.0.113.7')).toEqual({ pair: LIMIT, account: LIMIT, address: LIMIT });

  // The attacker's address stays locked, even with the right password...
  expect((await login('ola@parley.test', 'Zażółć-gęślą-1', '203.0.113.7')).status).toBe(429);
  // ...while the owner, from their own address, is not locked out.
  expect((await login('ola@parley.test', 'Zażółć-gęślą-1', '198.51.100.20')).status).toBe(200);
});

test('guessing from many addresses meets a per-account ceiling, ten times the limit', async () => {
  const admin = await ApiClient.login(app.url);
  await admin.post('/api/v1/agents', { email: 'ivan@parley.test', name: 'Іван', password: 'Съешь-же-ещё-1' });
  for (let a = 0; a < 10; a++) {
    const answers = await Promise.all(Array.from({ length: LIMIT }, (_, i) => login('ivan@parley.test', `guess-${a}-${i}`, `192.0.2.${a + 1}`)));
    expect(answers.map((r) => r.status)).toEqual(Array(LIMIT).fill(401));
  }
  expect((await login('ivan@parley.test', 'Съешь-же-ещё-1', '198.51.100.30')).status).toBe(429);
  // Other accounts are not affected.
  expect((await login(ADMIN.email, ADMIN.password, '198.51.100.30')).status).toBe(200);
});

test('a password hashed with older, cheaper parameters logs in and is rehashed at the current cost', async () => {
  const legacy = await hashPassword('stare-hasło-123', { N: 2 ** 15, r: 8, p: 1 });
  const admin = await ApiClient.login(app.url);
  await admin.post('/api/v1/agents', { email: 'stary@parley.test', name: 'Stary', password: 'placeholder-123' });
  await db.query(`UPDATE agents SET password_hash = $1 WHERE email = 'stary@parley.test'`, [legacy]);

  expect((await login('stary@parley.test', 'stare-hasło-123', '198.51.100.40')).status).toBe(200);
  const { rows } = await db.query(`SELECT password_hash FROM agents WHERE email = 'stary@parley.test'`);
  expect(rows[0].password_hash).toMatch(/^scrypt\$131072\$8\$1\$/);
  expect((await login('stary@parley.test', 'stare-hasło-123', '198.51.100.40')).status).toBe(200);
});
