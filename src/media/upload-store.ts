import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Bytes of agent uploads and of downloaded customer media, on local disk under DATA_DIR. */
export class FileStore {
  constructor(private readonly dir: string) {}

  async put(name: string, data: Buffer): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    await writeFile(this.path(name), data);
  }

  async get(name: string): Promise<Buffer | null> {
    try {
      return await readFile(this.path(name));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }

  private path(name: string): string {
    if (!/^[\w.-]+$/.test(name)) throw new Error('invalid stored file name');
    return join(this.dir, name);
  }
}

export function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Where a customer's attachment is cached once fetched from the platform. */
export function mediaCacheKey(channelId: string, mediaRef: string): string {
  return sha256(`${channelId}\n${mediaRef}`);
}
