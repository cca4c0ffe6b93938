import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { waitUntil } from './services';

/**
 * One Parley process started from the built entry point (`node dist/src/main.js <role>`), as production runs
 * it, so that SIGKILL and SIGTERM hit a real process. Its output goes to a log file in the suite's directory.
 */
export class ParleyProcess {
  private proc?: ChildProcess;
  private log?: WriteStream;
  private output = '';

  constructor(
    readonly name: string,
    private readonly entry: string,
    private readonly role: 'api' | 'worker',
    private readonly env: Record<string, string>,
    private readonly dir: string,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.env.PORT}`;
  }

  get running(): boolean {
    return !!this.proc && this.proc.exitCode === null && this.proc.signalCode === null;
  }

  async start(): Promise<void> {
    this.output = '';
    this.log ??= createWriteStream(join(this.dir, `${this.name}.log`), { flags: 'a' });
    const proc = spawn(process.execPath, [this.entry, this.role], {
      cwd: this.dir,
      env: { PATH: process.env.PATH ?? '', ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.proc = proc;
    const take = (d: Buffer) => {
      this.log?.write(d);
      if (this.output.length < 200_000) this.output += d.toString();
    };
    proc.stdout!.on('data', take);
    proc.stderr!.on('data', take);
    const ready = this.role === 'api' ? () => fetch(`${this.url}/health`).then((r) => r.status === 200) : () => this.output.includes('workers started');
    await waitUntil(
      `${this.name} started`,
      async () => {
        if (proc.exitCode !== null) throw new Error(`${this.name} exited with ${proc.exitCode}:\n${this.output.slice(-2000)}`);
        return ready();
      },
      60_000,
    ).catch((err) => {
      if (proc.exitCode !== null) throw new Error(`${this.name} exited with ${proc.exitCode}:\n${this.output.slice(-2000)}`);
      throw err;
    });
  }

  /** Sends the signal and waits for the exit: the exit code (null when killed by a signal) and how long it took. */
  async stop(signal: 'SIGTERM' | 'SIGKILL'): Promise<{ code: number | null; ms: number }> {
    const proc = this.proc;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return { code: proc?.exitCode ?? null, ms: 0 };
    const t0 = Date.now();
    const code = await new Promise<number | null>((resolve) => {
      proc.once('exit', (c) => resolve(c));
      proc.kill(signal);
    });
    return { code, ms: Date.now() - t0 };
  }

  async close(): Promise<void> {
    await this.stop('SIGKILL');
    await new Promise<void>((r) => (this.log ? this.log.end(() => r()) : r()));
    this.log = undefined;
  }
}
