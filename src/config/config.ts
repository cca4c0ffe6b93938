import { z } from 'zod';

/**
 * The only reader of process.env. Validated at start-up: a missing or bad variable stops the process with a
 * message that names it. Every variable is listed with a comment in .env.example.
 */
const roleSchema = z.enum(['api', 'worker', 'all']);

const schema = z.object({
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// URL' }),
  REDIS_URL: z.url({ protocol: /^rediss?$/, error: 'must be a redis:// URL' }),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  PUBLIC_URL: z.url().optional(),
  ALLOWED_ORIGINS: z
    .string()
    .transform((v) =>
      v
        .split(',')
        .map((o) => o.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.url({ protocol: /^https?$/, error: 'must be a comma-separated list of http(s) origins' })))
    .optional(),
  PARLEY_ROLE: roleSchema.default('all'),
  ENCRYPTION_KEY: z
    .string()
    .refine((v) => Buffer.from(v, 'base64').length === 32, 'must be 32 bytes encoded as base64 (openssl rand -base64 32)')
    .optional(),
  ADMIN_EMAIL: z.email().optional(),
  ADMIN_PASSWORD: z.string().min(10, 'must be at least 10 characters').optional(),
  REDIS_PREFIX: z
    .string()
    .regex(/^[\w-]+$/)
    .default('parley'),
  DATA_DIR: z.string().default('./data'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  MAX_UPLOAD_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(50 * 1024 * 1024),
  // Fractions allowed (0.5: half an hour); at most ten years.
  TOKEN_TTL_HOURS: z.coerce
    .number()
    .positive()
    .max(24 * 365 * 10)
    .default(24 * 14),
  OUTBOUND_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(10),
  OUTBOUND_BACKOFF_MS: z.coerce.number().int().min(10).default(2000),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(10),
  LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).default(10),
  LOGIN_WINDOW_MINUTES: z.coerce.number().int().min(1).default(15),
  PENDING_SWEEP_MS: z.coerce.number().int().min(100).default(30_000),
  LIFECYCLE_SWEEP_MS: z.coerce.number().int().min(100).default(60_000),
  PRESENCE_AWAY_AFTER_MS: z.coerce
    .number()
    .int()
    .min(100)
    .default(5 * 60_000),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).default(25_000),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(500).default(10),
  DATABASE_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
  JOB_LOCK_MS: z.coerce.number().int().min(1000).default(30_000),
  CHROMIUM_PATH: z.string().default('/usr/bin/chromium'),
});

export type Role = z.infer<typeof roleSchema>;

/** Every variable Parley reads (.env.example must list each one). */
export const CONFIG_VARIABLES = Object.keys(schema.shape);

export interface Config {
  databaseUrl: string;
  redisUrl: string;
  port: number;
  host: string;
  publicUrl: string;
  /** Browser origins allowed to use the API (CORS) and socket.io: PUBLIC_URL's and http://localhost:PORT by default. */
  allowedOrigins: string[];
  role: Role;
  /** From ENCRYPTION_KEY; when absent, src/config/encryption-key.ts keeps one in DATA_DIR. */
  encryptionKey?: Buffer;
  admin?: { email: string; password: string };
  redisPrefix: string;
  dataDir: string;
  logLevel: z.infer<typeof schema>['LOG_LEVEL'];
  maxUploadBytes: number;
  tokenTtlHours: number;
  outbound: { attempts: number; backoffMs: number };
  workerConcurrency: number;
  /** How often (and after how long) replies left pending are queued again. */
  pendingSweepMs: number;
  /** How often ended snoozes whose job was lost are woken and idle conversations resolved. */
  lifecycleSweepMs: number;
  /** How long all of an agent's browser sockets may be gone before routing passes them over. */
  presenceAwayAfterMs: number;
  login: { maxFailures: number; windowMinutes: number };
  chromiumPath: string;
  /** How long a stopping process may take to finish its in-flight work before it exits anyway (exit code 1). */
  shutdownTimeoutMs: number;
  /** The pool's size, and how long a query waits for a free connection before failing (never forever). */
  database: { poolSize: number; connectTimeoutMs: number };
  /** A job's lock: how long a killed worker's jobs wait before another worker takes them again. */
  jobLockMs: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // Empty strings (VAR= in a .env file) mean "not set".
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || 'environment'} ${i.message}`));
  }
  const e = parsed.data;
  if ((e.ADMIN_EMAIL === undefined) !== (e.ADMIN_PASSWORD === undefined)) {
    throw new ConfigError(['ADMIN_EMAIL and ADMIN_PASSWORD go together: set both or neither']);
  }
  const publicUrl = (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, '');
  return {
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    port: e.PORT,
    host: e.HOST,
    publicUrl,
    // An origin is scheme://host[:port]: what browsers send in the Origin header (a path given by mistake is dropped).
    allowedOrigins: [...new Set((e.ALLOWED_ORIGINS ?? [publicUrl, `http://localhost:${e.PORT}`]).map((o) => new URL(o).origin))],
    role: e.PARLEY_ROLE,
    encryptionKey: e.ENCRYPTION_KEY ? Buffer.from(e.ENCRYPTION_KEY, 'base64') : undefined,
    admin: e.ADMIN_EMAIL && e.ADMIN_PASSWORD ? { email: e.ADMIN_EMAIL, password: e.ADMIN_PASSWORD } : undefined,
    redisPrefix: e.REDIS_PREFIX,
    dataDir: e.DATA_DIR,
    logLevel: e.LOG_LEVEL,
    maxUploadBytes: e.MAX_UPLOAD_BYTES,
    tokenTtlHours: e.TOKEN_TTL_HOURS,
    outbound: { attempts: e.OUTBOUND_ATTEMPTS, backoffMs: e.OUTBOUND_BACKOFF_MS },
    workerConcurrency: e.WORKER_CONCURRENCY,
    pendingSweepMs: e.PENDING_SWEEP_MS,
    lifecycleSweepMs: e.LIFECYCLE_SWEEP_MS,
    presenceAwayAfterMs: e.PRESENCE_AWAY_AFTER_MS,
    login: { maxFailures: e.LOGIN_MAX_FAILURES, windowMinutes: e.LOGIN_WINDOW_MINUTES },
    chromiumPath: e.CHROMIUM_PATH,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    database: { poolSize: e.DATABASE_POOL_SIZE, connectTimeoutMs: e.DATABASE_CONNECT_TIMEOUT_MS },
    jobLockMs: e.JOB_LOCK_MS,
  };
}
