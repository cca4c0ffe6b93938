import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { Pool } from 'pg';
import { ParleyProcess } from './parley-process';
import { Platforms, type Channel } from './platforms';
import { failures, measure, settled, type PhaseFigures } from './report';
import { freePort, OwnPostgres, OwnRedis, waitUntil } from './services';
import { delay, runTraffic } from './traffic';

/**
 * Everything the fault suite runs: its own PostgreSQL and Redis, the fake platforms, Parley as one API and two
 * worker processes built from the entry point, and the faults applied to them one after another.
 */
export const FAULTS = [
  'none',
  'worker kill -9',
  'worker kill -9 mid-send',
  'worker restart (SIGTERM)',
  'Redis restart',
  'PostgreSQL restart',
  'platform 429/5xx + latency',
  'webhooks twice + out of order',
] as const;
export type Fault = (typeof FAULTS)[number];

export interface LabOptions {
  /** The built entry point (dist/src/main.js). */
  entry: string;
  phaseSeconds: number;
  inboundPerSecond: number;
  repliesPerSecond: number;
  settleTimeoutMs: number;
  log?: (line: string) => void;
}

const PREFIX = 'faults';
const ADMIN = { email: 'faults@parley.test', password: 'fault-suite-password' };

export class FaultLab {
  readonly platforms = new Platforms();
  readonly workers: ParleyProcess[] = [];
  private readonly extra: ParleyProcess[] = [];
  api!: ParleyProcess;
  db!: Pool;
  redisClient!: Redis;
  private channels: Channel[] = [];
  private env: Record<string, string> = {};
  private token = '';
  private phase = 0;
  readonly pg: OwnPostgres;
  readonly redis: OwnRedis;

  private constructor(
    readonly dir: string,
    private readonly o: LabOptions,
  ) {
    this.pg = new OwnPostgres(dir);
    this.redis = new OwnRedis(dir);
  }

  static async start(o: LabOptions): Promise<FaultLab> {
    const lab = new FaultLab(mkdtempSync(join(tmpdir(), 'parley-faults-')), o);
    try {
      await lab.boot();
    } catch (err) {
      await lab.close();
      throw err;
    }
    return lab;
  }

  private async boot(): Promise<void> {
    const log = this.o.log ?? (() => undefined);
    await this.pg.start();
    await this.redis.start();
    await this.platforms.start();
    const admin = new Pool({ connectionString: this.pg.url, max: 1 });
    await admin.query('CREATE DATABASE parley');
    await admin.end();
    const dbUrl = this.pg.url.replace(/\/postgres$/, '/parley');
    this.db = new Pool({ connectionString: dbUrl, max: 2, connectionTimeoutMillis: 5000 });
    this.db.on('error', () => undefined); // a restart cuts idle connections: the pool makes new ones
    this.redisClient = new Redis(this.redis.url, { maxRetriesPerRequest: 3 });
    this.redisClient.on('error', () => undefined);
    log(`PostgreSQL on :${this.pg.port}, Redis on :${this.redis.port} (appendonly), in ${this.dir}`);

    const port = String(await freePort());
    mkdirSync(join(this.dir, 'data'), { recursive: true });
    const env = {
      DATABASE_URL: dbUrl,
      REDIS_URL: this.redis.url,
      PORT: port,
      HOST: '127.0.0.1',
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      REDIS_PREFIX: PREFIX,
      DATA_DIR: join(this.dir, 'data'),
      LOG_LEVEL: 'info',
      OUTBOUND_BACKOFF_MS: '200',
      PENDING_SWEEP_MS: '2000',
      JOB_LOCK_MS: '5000',
      SHUTDOWN_TIMEOUT_MS: '20000',
      WORKER_CONCURRENCY: '5',
    };
    this.env = env;
    this.api = new ParleyProcess('api', this.o.entry, 'api', env, this.dir);
    await this.api.start();
    for (const name of ['worker-1', 'worker-2']) {
      const w = new ParleyProcess(name, this.o.entry, 'worker', env, this.dir);
      await w.start();
      this.workers.push(w);
    }
    const login = await this.call('POST', '/api/v1/auth/login', ADMIN);
    this.token = login.token;
    await this.call('PATCH', '/api/v1/me', { availability: 'online' });
    this.channels = await this.platforms.createChannels((m, p, b) => this.call(m, p, b));
    log(`Parley: API ${this.api.url}, 2 workers; channels: ${this.channels.map((c) => c.kind).join(', ')}`);
  }

  async call(method: string, path: string, body?: unknown): Promise<any> {
    const res = await fetch(`${this.api.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(this.token ? { authorization: `Bearer ${this.token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = await res.json().catch(() => undefined);
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  }

  /** Runs traffic for one phase, applies the fault a third of the way in, waits for things to settle, measures. */
  async runPhase(fault: Fault): Promise<{ figures: PhaseFigures; failures: string[] }> {
    const phase = ++this.phase;
    const seconds = this.o.phaseSeconds;
    const traffic = runTraffic(
      {
        phase,
        seconds,
        inboundPerSecond: this.o.inboundPerSecond,
        repliesPerSecond: this.o.repliesPerSecond,
        customersPerChannel: 8,
        twice: fault === 'webhooks twice + out of order',
        outOfOrder: fault === 'webhooks twice + out of order',
      },
      {
        apiUrl: this.api.url,
        channels: this.channels,
        platforms: this.platforms,
        token: this.token,
        conversations: async () =>
          (await this.db.query(`SELECT DISTINCT conversation_id AS id FROM messages WHERE direction = 'inbound' AND text LIKE $1`, [`F${phase}/%`])).rows.map(
            (r) => r.id,
          ),
      },
    );
    await delay((seconds * 1000) / 3);
    const note = await this.apply(fault);
    const t = await traffic;
    await waitUntil(`phase ${phase} settled`, () => settled(this.db, this.redisClient, PREFIX, phase, t), this.o.settleTimeoutMs, 250).catch(() => undefined);
    const figures = await measure(fault, phase, t, this.db, this.redisClient, PREFIX, this.platforms, (path) => this.call('GET', path), note);
    // Only a worker killed while the platform processes its send may send twice (see docs/operations.md).
    const problems = failures(figures, fault.startsWith('worker kill -9') ? 'kill' : fault === 'worker restart (SIGTERM)' ? 'graceful stop' : 'other');
    if (fault === 'worker restart (SIGTERM)' && !note.startsWith('exit 0')) problems.push(`${fault}: ${note}`);
    this.o.log?.(
      `${fault}: ${JSON.stringify({ inbound: figures.inbound, replies: figures.replies, stuck: figures.jobsStuck, pending: figures.repliesPending, note })}`,
    );
    return { figures, failures: problems };
  }

  private async apply(fault: Fault): Promise<string> {
    const w = this.workers[0];
    switch (fault) {
      case 'none':
      case 'webhooks twice + out of order':
        return '';
      case 'worker kill -9':
        await w.stop('SIGKILL');
        await delay(1000);
        await w.start();
        return '';
      case 'worker kill -9 mid-send': {
        // A slow platform: the worker certainly dies with sends waiting for an answer.
        this.platforms.setLatency(1500);
        await delay(2000);
        await w.stop('SIGKILL');
        this.platforms.setLatency(this.platforms.baseLatencyMs);
        await w.start();
        return 'platform latency 1.5 s';
      }
      case 'worker restart (SIGTERM)': {
        // As for the kill: sends are waiting on a slow platform when the signal comes, and must finish.
        this.platforms.setLatency(1500);
        await delay(2000);
        const { code, ms } = await w.stop('SIGTERM');
        this.platforms.setLatency(this.platforms.baseLatencyMs);
        await w.start();
        return `exit ${code} after ${ms} ms`;
      }
      case 'Redis restart':
        return this.withSendsInFlight(() => this.redis.restart(1500));
      case 'PostgreSQL restart':
        return this.withSendsInFlight(() => this.pg.restart(1500));
      case 'platform 429/5xx + latency':
        this.platforms.setLatency(400);
        this.platforms.failSends(true);
        await delay((this.o.phaseSeconds * 1000) / 3);
        this.platforms.failSends(false);
        this.platforms.setLatency(this.platforms.baseLatencyMs);
        return '';
    }
  }

  /** One more worker process, with settings of its own (a shorter shutdown bound...). */
  async startWorker(name: string, env: Record<string, string>): Promise<ParleyProcess> {
    const w = new ParleyProcess(name, this.o.entry, 'worker', { ...this.env, ...env }, this.dir);
    this.extra.push(w);
    await w.start();
    return w;
  }

  /** Applies a fault while sends wait on a slow platform, so their results come back while it lasts. */
  private async withSendsInFlight(fault: () => Promise<void>): Promise<string> {
    this.platforms.setLatency(1500);
    await delay(1000);
    await fault();
    this.platforms.setLatency(this.platforms.baseLatencyMs);
    return 'sends in flight; 1.5 s down';
  }

  async close(): Promise<void> {
    for (const p of [this.api, ...this.workers, ...this.extra]) await p?.close();
    await this.db?.end().catch(() => undefined);
    this.redisClient?.disconnect();
    await this.platforms.stop().catch(() => undefined);
    await this.redis.stop();
    this.pg.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
