import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIG_VARIABLES, ConfigError, loadConfig } from './config';

const valid = {
  DATABASE_URL: 'postgres://u@127.0.0.1:5432/parley',
  REDIS_URL: 'redis://127.0.0.1:6379',
  ENCRYPTION_KEY: randomBytes(32).toString('base64'),
};

function problems(env: Record<string, string | undefined>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

test('a complete environment loads with defaults', () => {
  const c = loadConfig(valid);
  expect(c).toMatchObject({ port: 3000, role: 'all', publicUrl: 'http://localhost:3000', redisPrefix: 'parley' });
  expect(c.encryptionKey).toHaveLength(32);
  expect(c.admin).toBeUndefined();
});

test('each missing required variable is named', () => {
  const p = problems({});
  expect(p.join('\n')).toMatch(/DATABASE_URL/);
  expect(p.join('\n')).toMatch(/REDIS_URL/);
});

test('ENCRYPTION_KEY is optional (a key file in DATA_DIR stands in) but must be right when given', () => {
  const { ENCRYPTION_KEY: _unused, ...rest } = valid;
  expect(loadConfig(rest).encryptionKey).toBeUndefined();
});

test('TOKEN_TTL_HOURS takes a fraction of an hour, and refuses zero', () => {
  expect(loadConfig({ ...valid, TOKEN_TTL_HOURS: '0.5' }).tokenTtlHours).toBe(0.5);
  expect(problems({ ...valid, TOKEN_TTL_HOURS: '0' }).join('\n')).toMatch(/TOKEN_TTL_HOURS/);
});

test('bad values are named with what is expected', () => {
  expect(problems({ ...valid, DATABASE_URL: 'mysql://x/y' })[0]).toMatch(/^DATABASE_URL must be a postgres:\/\/ URL/);
  expect(problems({ ...valid, ENCRYPTION_KEY: 'c2hvcnQ=' })[0]).toMatch(/^ENCRYPTION_KEY must be 32 bytes/);
  expect(problems({ ...valid, PORT: 'eighty' })[0]).toMatch(/^PORT/);
  expect(problems({ ...valid, PARLEY_ROLE: 'both' })[0]).toMatch(/^PARLEY_ROLE/);
  expect(problems({ ...valid, ADMIN_EMAIL: 'a@b.co', ADMIN_PASSWORD: 'short' })[0]).toMatch(/^ADMIN_PASSWORD must be at least 10/);
});

test('admin email and password go together', () => {
  expect(problems({ ...valid, ADMIN_EMAIL: 'a@b.co' })[0]).toMatch(/go together/);
  expect(loadConfig({ ...valid, ADMIN_EMAIL: 'a@b.co', ADMIN_PASSWORD: 'long enough pw' }).admin).toEqual({ email: 'a@b.co', password: 'long enough pw' });
});

test('empty values count as unset', () => {
  expect(loadConfig({ ...valid, PORT: '', ADMIN_EMAIL: '', ADMIN_PASSWORD: '' }).port).toBe(3000);
});

test('.env.example lists every variable, each with a comment above it', () => {
  const lines = readFileSync(join(__dirname, '../../.env.example'), 'utf8').split('\n');
  for (const name of CONFIG_VARIABLES) {
    const at = lines.findIndex((l) => l.startsWith(`${name}=`));
    expect({ name, listed: at >= 0 }).toEqual({ name, listed: true });
    // The comment may sit above a group of related variables.
    const above = lines
      .slice(0, at)
      .reverse()
      .find((l) => !/^[A-Z_]+=/.test(l));
    expect({ name, commented: above?.startsWith('#') }).toEqual({ name, commented: true });
  }
});

test('ALLOWED_ORIGINS defaults to the origin of PUBLIC_URL and the API on localhost; a list replaces it', () => {
  expect(loadConfig({ ...valid, PORT: '8080', PUBLIC_URL: 'https://support.example.com/' }).allowedOrigins).toEqual([
    'https://support.example.com',
    'http://localhost:8080',
  ]);
  expect(loadConfig({ ...valid, ALLOWED_ORIGINS: 'https://a.example, http://localhost:5173/' }).allowedOrigins).toEqual([
    'https://a.example',
    'http://localhost:5173',
  ]);
  expect(problems({ ...valid, ALLOWED_ORIGINS: 'ftp://x.example' })[0]).toMatch(/^ALLOWED_ORIGINS/);
});
