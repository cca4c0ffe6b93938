import type { WebhookRequest } from '../contract';
import type { WhatsAppWebAccount } from './schema';
import { defaultSessionRegistry, type SessionRegistry, type WhatsAppSession } from './session';
import { ackEnvelope, messageEnvelope, signedSessionRequest, type SessionEventEnvelope } from './session-events';
import type { SessionLock, SessionLockHandle } from './session-lock';

/** What an admin sees for a channel (pushed through onStateChange, readable with state()). */
export type SessionState =
  | { status: 'starting' }
  /** Waiting for a phone to scan `qr` (WhatsApp → Linked devices → Link a device). */
  | { status: 'pairing'; qr: string }
  | { status: 'ready' }
  /** reconnectInMs absent: it will not come back by itself (logged out, unlinked, banned): restart() to pair again. */
  | { status: 'disconnected'; reason: string; reconnectInMs?: number }
  | { status: 'auth_failure'; message: string }
  /** Another process holds the session lock; this one retries to take over if that process goes away. */
  | { status: 'standby' }
  | { status: 'stopped' };

/** A pino logger fits. Never handed payloads or secrets. */
export interface SessionManagerLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface SessionManagerOptions {
  /** Builds the session of one channel (production: wwebjsSessionFactory(runtimeConfig)). Called once per start(). */
  createSession(account: WhatsAppWebAccount): WhatsAppSession;
  /** One owner per channel across processes (RedisSessionLock). */
  lock: SessionLock;
  /** The core's inbound path: verify → parse → enqueue, exactly as for a webhook of this channel. */
  ingest(channelId: string, request: WebhookRequest): Promise<void>;
  onStateChange?(channelId: string, state: SessionState): void;
  /** Where connectors find live sessions; defaults to the one the exported connector definition uses. */
  registry?: SessionRegistry;
  /** Reconnect backoff: initial, doubled per consecutive failure, capped (defaults 5 s → 5 min). */
  reconnectDelayMs?: { initial: number; max: number };
  /** How often a standby process tries to take the lock (default 30 s, about the lock's TTL). */
  lockRetryMs?: number;
  /** Waits between attempts to hand an event to ingest (WhatsApp will not send it again). */
  ingestRetryDelaysMs?: number[];
  logger?: SessionManagerLogger;
}

/**
 * Disconnect reasons after which reconnecting cannot help: the phone unlinked this device (LOGOUT, UNPAIRED),
 * the QR code was never scanned, or WhatsApp banned the number. The admin pairs again with restart().
 */
const TERMINAL_REASONS = new Set(['LOGOUT', 'UNPAIRED', 'UNPAIRED_IDLE', 'TOS_BLOCK', 'SMB_TOS_BLOCK', 'Max qrcode retries reached']);

type Phase = 'standby' | 'running' | 'waiting' | 'halted' | 'stopped';

interface Slot {
  account: WhatsAppWebAccount;
  state: SessionState;
  phase: Phase;
  session?: WhatsAppSession;
  lock?: SessionLockHandle;
  timer?: NodeJS.Timeout;
  /** Consecutive failed runs: the backoff exponent. Reset by `ready`. */
  failures: number;
  /** Bumped whenever the slot changes course (launch, restart, stop, lock lost): stale continuations check it. */
  run: number;
}

const noopLogger: SessionManagerLogger = { info() {}, warn() {}, error() {} };

/** Runs the WhatsApp Web sessions of this process: one per channel whose lock it holds. */
export class SessionManager {
  private readonly slots = new Map<string, Slot>();
  private readonly registry: SessionRegistry;
  private readonly log: SessionManagerLogger;

  constructor(private readonly opts: SessionManagerOptions) {
    this.registry = opts.registry ?? defaultSessionRegistry;
    this.log = opts.logger ?? noopLogger;
  }

  /** Starts the channel's session if this process can own it. Idempotent; resolves with the state reached. */
  async start(account: WhatsAppWebAccount): Promise<SessionState> {
    const existing = this.slots.get(account.id);
    if (existing) {
      existing.account = account; // a rotated session secret applies to the next event
      return existing.state;
    }
    const slot: Slot = { account, state: { status: 'starting' }, phase: 'standby', failures: 0, run: 0 };
    this.slots.set(account.id, slot);
    await this.acquire(slot);
    return slot.state;
  }

  /** Stops the session, releases the lock; the stored pairing stays for the next start. */
  async stop(channelId: string): Promise<void> {
    const slot = this.slots.get(channelId);
    if (!slot) return;
    slot.phase = 'stopped';
    slot.run++;
    this.slots.delete(channelId);
    clearTimeout(slot.timer);
    if (slot.session) {
      this.registry.delete(slot.session);
      await this.stopSession(slot);
    }
    await slot.lock?.release().catch((err: Error) => this.log.warn({ channelId, err: err.message }, 'could not release session lock'));
    this.setState(slot, { status: 'stopped' });
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.slots.keys()].map((id) => this.stop(id)));
  }

  /** Relaunches a session this process owns, e.g. to pair again after a logout. No-op on standby. */
  async restart(channelId: string): Promise<void> {
    const slot = this.slots.get(channelId);
    if (!slot || slot.phase === 'standby' || slot.phase === 'stopped') return;
    clearTimeout(slot.timer);
    slot.phase = 'waiting';
    const run = ++slot.run;
    await this.stopSession(slot);
    if (slot.run !== run) return;
    slot.failures = 0;
    await this.launch(slot);
  }

  state(channelId: string): SessionState | undefined {
    return this.slots.get(channelId)?.state;
  }

  states(): Record<string, SessionState> {
    return Object.fromEntries([...this.slots].map(([id, slot]) => [id, slot.state]));
  }

  private async acquire(slot: Slot): Promise<void> {
    const channelId = slot.account.id;
    const lock = await this.opts.lock.acquire(`whatsapp-web:${channelId}`).catch((err: Error) => {
      this.log.warn({ channelId, err: err.message }, 'session lock unavailable');
      return null;
    });
    if (slot.phase === 'stopped') {
      await lock?.release().catch(() => undefined);
      return;
    }
    if (!lock) {
      this.setState(slot, { status: 'standby' });
      slot.timer = setTimeout(() => void this.acquire(slot), this.opts.lockRetryMs ?? 30_000);
      return;
    }
    slot.lock = lock;
    lock.onLost(() => void this.lockLost(slot, lock));
    if (!slot.session) slot.session = this.wire(slot, this.opts.createSession(slot.account));
    this.registry.set(slot.session);
    await this.launch(slot);
  }

  private async launch(slot: Slot): Promise<void> {
    if (slot.phase === 'stopped' || !slot.session) return;
    slot.phase = 'running';
    slot.run++;
    this.setState(slot, { status: 'starting' });
    try {
      await slot.session.start();
    } catch (err) {
      await this.disconnected(slot, `could not start: ${(err as Error).message}`);
    }
  }

  private wire(slot: Slot, session: WhatsAppSession): WhatsAppSession {
    // Events of a run that has already ended (phase no longer running) must not change the state.
    const running = () => slot.phase === 'running';
    session.on('qr', (qr) => running() && this.setState(slot, { status: 'pairing', qr }));
    session.on('ready', () => {
      if (!running()) return;
      slot.failures = 0;
      this.setState(slot, { status: 'ready' });
    });
    session.on('message', (message) => void this.forward(slot, messageEnvelope(slot.account.id, message)));
    session.on('message_ack', (id, ack) => void this.forward(slot, ackEnvelope(slot.account.id, id, ack)));
    session.on('disconnected', (reason) => void this.disconnected(slot, reason));
    session.on('auth_failure', (message) => void this.halt(slot, { status: 'auth_failure', message }));
    return session;
  }

  private async disconnected(slot: Slot, reason: string): Promise<void> {
    if (slot.phase !== 'running') return;
    const run = slot.run;
    const terminal = TERMINAL_REASONS.has(reason);
    const { initial, max } = this.opts.reconnectDelayMs ?? { initial: 5_000, max: 300_000 };
    const delay = terminal ? undefined : Math.min(max, initial * 2 ** slot.failures++);
    slot.phase = terminal ? 'halted' : 'waiting';
    this.log.warn({ channelId: slot.account.id, reason, reconnectInMs: delay }, 'WhatsApp Web session disconnected');
    this.setState(slot, { status: 'disconnected', reason, ...(delay !== undefined ? { reconnectInMs: delay } : {}) });
    // Close the browser before a new one starts on the same data directory.
    await this.stopSession(slot);
    if (delay === undefined || slot.run !== run) return; // stopped or restarted meanwhile
    slot.timer = setTimeout(() => void this.launch(slot), delay);
  }

  private async halt(slot: Slot, state: SessionState): Promise<void> {
    if (slot.phase !== 'running') return;
    slot.phase = 'halted';
    this.setState(slot, state);
    await this.stopSession(slot);
  }

  private async lockLost(slot: Slot, lock: SessionLockHandle): Promise<void> {
    if (slot.phase === 'stopped' || slot.lock !== lock) return;
    this.log.error({ channelId: slot.account.id }, 'lost the session lock: stopping this copy of the session');
    slot.phase = 'standby';
    slot.lock = undefined;
    const run = ++slot.run;
    clearTimeout(slot.timer);
    if (slot.session) this.registry.delete(slot.session);
    this.setState(slot, { status: 'standby' });
    await this.stopSession(slot);
    if (slot.run !== run) return;
    slot.timer = setTimeout(() => void this.acquire(slot), this.opts.lockRetryMs ?? 30_000);
  }

  /** Signs the event with the channel's secret and hands it to the inbound path, retrying a few times. */
  private async forward(slot: Slot, envelope: SessionEventEnvelope): Promise<void> {
    const channelId = slot.account.id;
    const request = signedSessionRequest(slot.account.credentials.sessionSecret, JSON.stringify(envelope));
    const delays = this.opts.ingestRetryDelaysMs ?? [1_000, 5_000, 15_000];
    for (let attempt = 0; ; attempt++) {
      try {
        await this.opts.ingest(channelId, request);
        return;
      } catch (err) {
        const delay = delays[attempt];
        const ctx = { channelId, event: envelope.event, messageId: idOf(envelope), err: (err as Error).message };
        if (delay === undefined || slot.phase === 'stopped') {
          this.log.error(ctx, 'dropped a WhatsApp Web event: ingest kept failing');
          return;
        }
        this.log.warn(ctx, 'ingest failed, retrying');
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  private async stopSession(slot: Slot): Promise<void> {
    await slot.session?.stop().catch((err: Error) => this.log.warn({ channelId: slot.account.id, err: err.message }, 'session did not stop cleanly'));
  }

  private setState(slot: Slot, state: SessionState): void {
    slot.state = state;
    this.log.info({ channelId: slot.account.id, status: state.status }, 'WhatsApp Web session state');
    try {
      this.opts.onStateChange?.(slot.account.id, state);
    } catch (err) {
      this.log.warn({ channelId: slot.account.id, err: (err as Error).message }, 'onStateChange threw');
    }
  }
}

/** The message id of an event, for logs (never the payload itself). */
function idOf(envelope: SessionEventEnvelope): string | undefined {
  const id = envelope.payload.id as unknown;
  if (typeof id === 'string') return id;
  const serialized = (id as { _serialized?: unknown } | undefined)?._serialized;
  return typeof serialized === 'string' ? serialized : undefined;
}
