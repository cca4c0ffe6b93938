import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, mkdirSync, openSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

/**
 * The fault suite's own PostgreSQL and Redis, in a temporary directory on ports of their own, so they can be
 * restarted without touching anyone else's. PostgreSQL refuses to run as root: as root, its commands run as the
 * `postgres` user (runuser).
 */
const PG_BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}

export async function waitUntil(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 30_000, everyMs = 100): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await Promise.resolve(check()).catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

const asRoot = process.getuid?.() === 0;

function pgCommand(bin: string, args: string[]): void {
  const cmd = join(PG_BIN, bin);
  if (asRoot) execFileSync('runuser', ['-u', 'postgres', '--', cmd, ...args], { stdio: 'pipe' });
  else execFileSync(cmd, args, { stdio: 'pipe' });
}

export class OwnPostgres {
  readonly dataDir: string;
  port = 0;

  constructor(private readonly dir: string) {
    this.dataDir = join(dir, 'pg');
  }

  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  async start(): Promise<void> {
    this.port = await freePort();
    mkdirSync(this.dataDir, { recursive: true });
    if (asRoot) for (const d of [this.dir, this.dataDir]) chownSync(d, uid('postgres'), gid('postgres'));
    pgCommand('initdb', ['-D', this.dataDir, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C.UTF-8']);
    this.pgCtl('start');
  }

  /** A fast shutdown, `downMs` down, and start again: every connection is cut, as in a failover or an upgrade. */
  async restart(downMs: number): Promise<void> {
    pgCommand('pg_ctl', ['-D', this.dataDir, '-m', 'fast', '-w', 'stop']);
    await new Promise((r) => setTimeout(r, downMs));
    this.pgCtl('start');
  }

  stop(): void {
    try {
      pgCommand('pg_ctl', ['-D', this.dataDir, '-m', 'immediate', '-w', 'stop']);
    } catch {
      /* not running */
    }
  }

  private pgCtl(action: 'start'): void {
    // fsync off: the suite restarts PostgreSQL cleanly (fast shutdown), never pulls the power.
    const opts = `-p ${this.port} -k ${this.dataDir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100`;
    pgCommand('pg_ctl', ['-D', this.dataDir, '-o', opts, '-l', join(this.dataDir, 'server.log'), '-m', 'fast', '-w', action]);
  }
}

function uid(user: string): number {
  return Number(execFileSync('id', ['-u', user]).toString().trim());
}
function gid(user: string): number {
  return Number(execFileSync('id', ['-g', user]).toString().trim());
}

/** A Redis as production should run it: appendonly yes (fsync every second), noeviction. */
export class OwnRedis {
  port = 0;
  private proc?: ChildProcess;

  constructor(private readonly dir: string) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    if (!this.port) this.port = await freePort();
    const log = openSync(join(this.dir, 'redis.log'), 'a');
    this.proc = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir, '--appendonly', 'yes', '--save', '', '--maxmemory-policy', 'noeviction'],
      { stdio: ['ignore', log, log] },
    );
    await waitUntil('redis up', () => redisPing(this.port));
  }

  /** SIGTERM: Redis flushes its append-only file and exits; started again, it reloads it. */
  async restart(downMs = 1000): Promise<void> {
    await this.stop();
    await new Promise((r) => setTimeout(r, downMs));
    await this.start();
  }

  async stop(): Promise<void> {
    const proc = this.proc;
    if (!proc || proc.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      proc.once('exit', () => resolve());
      proc.kill('SIGTERM');
    });
  }
}

function redisPing(port: number): boolean {
  try {
    return (
      execFileSync('redis-cli', ['-p', String(port), 'ping'], { stdio: ['ignore', 'pipe', 'ignore'] })
        .toString()
        .trim() === 'PONG'
    );
  } catch {
    return false;
  }
}
