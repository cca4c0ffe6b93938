import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const KEY_FILE = 'encryption.key';

/**
 * The key that encrypts channel credentials. ENCRYPTION_KEY wins; without it, one process on one machine can
 * still start from nothing: a key is generated once into DATA_DIR (mode 0600) and read back on every start.
 * Several processes (API and workers on different machines) must share ENCRYPTION_KEY instead.
 */
export function resolveEncryptionKey(fromEnv: Buffer | undefined, dataDir: string): { key: Buffer; source: 'env' | 'file' | 'generated' } {
  if (fromEnv) return { key: fromEnv, source: 'env' };
  const path = join(resolve(dataDir), KEY_FILE);
  try {
    const key = Buffer.from(readFileSync(path, 'utf8').trim(), 'base64');
    if (key.length !== 32) throw new Error(`${path} does not hold a 32-byte base64 key`);
    return { key, source: 'file' };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const key = randomBytes(32);
  mkdirSync(resolve(dataDir), { recursive: true });
  // 'wx': never overwrite a key another process wrote a moment ago.
  try {
    writeFileSync(path, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return resolveEncryptionKey(undefined, dataDir);
    throw err;
  }
  return { key, source: 'generated' };
}
