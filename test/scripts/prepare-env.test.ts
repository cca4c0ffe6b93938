import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseEnv } from 'node:util';
import { loadConfig } from '../../src/config/config';

/**
 * scripts/prepare-env.mjs, run as start.sh and the README's Docker route run it: a directory with the real
 * .env.example and, per case, a .env of its own.
 */
const root = resolve(__dirname, '../..');
const example = readFileSync(join(root, '.env.example'), 'utf8');
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'parley-env-'));
  copyFileSync(join(root, '.env.example'), join(dir, '.env.example'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function prepare(): string {
  return execFileSync(process.execPath, [join(root, 'scripts/prepare-env.mjs'), dir], { encoding: 'utf8' });
}
const env = () => readFileSync(join(dir, '.env'), 'utf8');
const mode = () => statSync(join(dir, '.env')).mode & 0o777;
/** .env.example with some of its variables set differently. */
function exampleWith(values: Record<string, string>): string {
  return example.replace(/^(\w+)=.*$/gm, (line, name: string) => (name in values ? `${name}=${values[name]}` : line));
}

test('no .env: created from .env.example with a fresh key and admin password, printed once, mode 0600', () => {
  const out = prepare();
  const vars = parseEnv(env());
  expect(Buffer.from(vars.ENCRYPTION_KEY!, 'base64')).toHaveLength(32);
  expect(vars.ADMIN_PASSWORD!.length).toBeGreaterThanOrEqual(16);
  // Everything else is .env.example's, line for line.
  expect(env()).toBe(exampleWith({ ENCRYPTION_KEY: vars.ENCRYPTION_KEY!, ADMIN_PASSWORD: vars.ADMIN_PASSWORD! }));
  expect(mode()).toBe(0o600);
  expect(out).toContain(`admin@example.com / ${vars.ADMIN_PASSWORD}`);
  expect(loadConfig(vars).encryptionKey).toHaveLength(32);

  // Once only: a second run changes and prints nothing.
  const before = env();
  expect(prepare()).toBe('');
  expect(env()).toBe(before);
});

test('.env edited before the first start, secrets left empty: they are filled in, every edit is kept', () => {
  const edited = `${exampleWith({ PUBLIC_URL: 'https://support.example.org', ADMIN_EMAIL: 'me@example.org', LOG_LEVEL: 'debug' })}# mine\nEXTRA=1\n`;
  writeFileSync(join(dir, '.env'), edited, { mode: 0o644 });
  const out = prepare();
  const vars = parseEnv(env());
  expect(Buffer.from(vars.ENCRYPTION_KEY!, 'base64')).toHaveLength(32);
  expect(out).toContain(`me@example.org / ${vars.ADMIN_PASSWORD}`);
  expect(env()).toBe(
    edited.replace(/^ENCRYPTION_KEY=$/m, `ENCRYPTION_KEY=${vars.ENCRYPTION_KEY}`).replace(/^ADMIN_PASSWORD=$/m, `ADMIN_PASSWORD=${vars.ADMIN_PASSWORD}`),
  );
  expect(mode()).toBe(0o600);
});

test('.env with the secrets set: left untouched, nothing printed', () => {
  const set = exampleWith({ ENCRYPTION_KEY: randomBytes(32).toString('base64'), ADMIN_PASSWORD: '"my own password"' });
  writeFileSync(join(dir, '.env'), set);
  chmodSync(join(dir, '.env'), 0o640);
  expect(prepare()).toBe('');
  expect(env()).toBe(set);
  expect(mode()).toBe(0o640);
});

test('an empty key takes the one Parley already generated in DATA_DIR, so stored credentials still decrypt', () => {
  const kept = randomBytes(32).toString('base64');
  mkdirSync(join(dir, 'state'));
  writeFileSync(join(dir, 'state/encryption.key'), `${kept}\n`);
  writeFileSync(join(dir, '.env'), exampleWith({ DATA_DIR: 'state', ADMIN_PASSWORD: 'set-by-me-long' }));
  prepare();
  expect(parseEnv(env()).ENCRYPTION_KEY).toBe(kept);
});

test('no admin wanted (ADMIN_EMAIL empty): no password is made up; a missing key line is added', () => {
  writeFileSync(join(dir, '.env'), 'DATABASE_URL=postgres://u@127.0.0.1/p\nREDIS_URL=redis://127.0.0.1:6379\nADMIN_EMAIL=\nADMIN_PASSWORD=\n');
  const out = prepare();
  const vars = parseEnv(env());
  expect(vars.ADMIN_PASSWORD).toBe('');
  expect(out).not.toContain('First admin');
  expect(Buffer.from(vars.ENCRYPTION_KEY!, 'base64')).toHaveLength(32);
  expect(loadConfig(vars).admin).toBeUndefined();
});
