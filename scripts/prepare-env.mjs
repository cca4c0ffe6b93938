#!/usr/bin/env node
// Makes sure .env holds the secrets Parley needs, once: `node scripts/prepare-env.mjs [dir]` (default: the
// repository). Run by scripts/start.sh on every start, and before `docker compose up` (README).
// - No .env: copies .env.example, with a fresh ENCRYPTION_KEY and first admin's password.
// - An existing .env (edited before the first start, say): ENCRYPTION_KEY, and ADMIN_PASSWORD when ADMIN_EMAIL
//   is set, are filled in only where they are empty or missing; every other line is kept as written. An empty
//   ENCRYPTION_KEY takes the key Parley already generated in DATA_DIR/encryption.key when there is one, since a
//   new key could not read the channel credentials stored with the old one.
// - A value already set is never changed, so running it again does nothing.
// The generated admin password is printed once, here; .env is left readable by its owner only (0600).
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..'));
const envPath = join(dir, '.env');
const created = !existsSync(envPath);
const text = created ? readFileSync(join(dir, '.env.example'), 'utf8') : readFileSync(envPath, 'utf8');
const lines = text.split('\n');

/** The index of the line that sets `name` (the last one wins, as when the file is loaded), or -1. */
function lineOf(name) {
  const re = new RegExp(`^\\s*(export\\s+)?${name}\\s*=`);
  for (let i = lines.length - 1; i >= 0; i--) if (re.test(lines[i])) return i;
  return -1;
}

/** The value `name` is set to, unquoted; '' when it is empty or missing. */
function valueOf(name) {
  const i = lineOf(name);
  if (i < 0) return '';
  const v = lines[i]
    .slice(lines[i].indexOf('=') + 1)
    .replace(/\r$/, '')
    .trim();
  const quoted = /^(["'`])(.*?)\1/.exec(v);
  if (quoted) return quoted[2];
  return v.replace(/(^|\s)#.*$/, '').trim(); // an unquoted value ends at a comment
}

function set(name, value) {
  const i = lineOf(name);
  if (i < 0) {
    // Appended before the final newline, if the file ends with one.
    const at = lines.length > 0 && lines[lines.length - 1] === '' ? lines.length - 1 : lines.length;
    lines.splice(at, 0, `${name}=${value}`);
  } else {
    const eol = lines[i].endsWith('\r') ? '\r' : '';
    lines[i] = `${lines[i].slice(0, lines[i].indexOf('=') + 1)}${value}${eol}`;
  }
}

const filled = [];
let password;
if (valueOf('ENCRYPTION_KEY') === '') {
  const keyFile = join(resolve(dir, valueOf('DATA_DIR') || './data'), 'encryption.key');
  const kept = existsSync(keyFile) ? readFileSync(keyFile, 'utf8').trim() : '';
  set('ENCRYPTION_KEY', kept || randomBytes(32).toString('base64'));
  filled.push(kept ? `ENCRYPTION_KEY (from ${keyFile})` : 'ENCRYPTION_KEY');
}
if (valueOf('ADMIN_EMAIL') !== '' && valueOf('ADMIN_PASSWORD') === '') {
  password = randomBytes(12).toString('base64url');
  set('ADMIN_PASSWORD', password);
  filled.push('ADMIN_PASSWORD');
}

if (created || filled.length > 0) {
  writeFileSync(envPath, lines.join('\n'), { mode: 0o600 });
  chmodSync(envPath, 0o600); // writeFileSync's mode applies only to a file it creates
  console.log(created ? `Created ${envPath} from .env.example.` : `Filled in ${filled.join(', ')} in ${envPath}.`);
  if (password) {
    console.log(`First admin: ${valueOf('ADMIN_EMAIL')} / ${password} (created on first start; change it after logging in)`);
  }
}
