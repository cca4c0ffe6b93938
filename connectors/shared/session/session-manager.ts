import type { ChannelAccount, ConnectorSession, ConnectorSessionSupport, SessionInbound, SessionRegistry, SessionState, WebhookRequest } from '../../contract';
import type { SessionLock, SessionLockHandle } from './session-lock';

export type { SessionState } from '../../contract';

/** A pino logger fits. Never handed payloads or secrets. */
export interface SessionManagerLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

type Account = ChannelAccount<any, any>;

export interface SessionManagerOptions<S extends ConnectorSession = ConnectorSession> {
  /** What the connector declares (ConnectorDefinition.session): inbound events, terminal reasons, its registry. */
  support: Pick<ConnectorSessionSupport<any, any, S>, 'forwardInbound' | 'terminalReasons' | 'registry'>;
  /** Builds the session of one channel (production: the definition's session.create). Called once per start(). */
  createSession(account: Account): S;
  /** One owner per channel across processes (RedisSessionLock). */
  lock: SessionLock;
  /** The core's inbound path: verify → parse → enqueue, exactly as for a webhook of this channel. */
  ingest(channelId: string, request: WebhookRequest): Promise<void>;
  onStateChange?(channelId: string, state: SessionState): void;
  /** Where connectors find live sessions; defaults to the definition's (support.registry). */
  registry?: SessionRegistry<S>;
  /** Reconnect backoff: initial, doubled per consecutive failure, capped (defaults 5 s → 5 min). */
  reconnectDelayMs?: { initial: number; max: number };
  /** How often a standby process tries to take the lock (default 30 s, about the lock's TTL). */
  lockRetryMs?: number;
  /** Waits between attempts to hand an event to ingest (WhatsApp will not send it again). */
  ingestRetryDelaysMs?: number[];
  logger?: SessionManagerLogger;
}

type Phase = 'standby' | 'running' | 'waiting' | 'halted' | 'stopped';

interface Slot<S> {
  account: Account;
  state: SessionState;
  phase: Phase;
  session?: S;
  lock?: SessionLockHandle;
  timer?: NodeJS.Timeout;
  /** Consecutive failed runs: the backoff exponent. Reset by `ready`. */
  failures: number;
  /** Bumped whenever the slot changes course (launch, restart, stop, lock lost): stale continuations check it. */
  run: number;
}

const noopLogger: SessionManagerLogger = { info() {}, warn() {}, error() {} };

/**
 * Runs the sessions of one session-based connector in this process: one per channel whose lock it holds, with
 * reconnects (backoff; none after a terminal reason such as a logout), standby and takeover across processes,
 * and each inbound event handed to the core's inbound path, retried a few times (the platform will not resend).
 */
export class SessionManager<S extends ConnectorSession = ConnectorSession> {
  private readonly slots = new Map<string, Slot<S>>();
  private readonly registry: SessionRegistry<S>;
  private readonly log: SessionManagerLogger;

  constructor(private readonly opts: SessionManagerOptions<S>) {
    this.registry = opts.registry ?? opts.support.registry;
    this.log = opts.logger ?? noopLogger;
  }

  /** Starts the channel's session if this process can own it. Idempotent; resolves with the state reached. */
  async start(account: Account): Promise<SessionState> {
    const existing = this.slots.get(account.id);
    if (existing) {
      existing.account = account; // a rotated session secret applies to the next event
      return existing.state;
    }
    const slot: Slot<S> = { account, state: { status: 'starting' }, phase: 'standby', failures: 0, run: 0 };
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

  private async acquire(slot: Slot<S>): Promise<void> {
    const channelId = slot.account.id;
    const lock = await this.opts.lock.acquire(channelId).catch((err: Error) => {
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

  private async launch(slot: Slot<S>): Promise<void> {
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

  private wire(slot: Slot<S>, session: S): S {
    // Events of a run that has already ended (phase no longer running) must not change the state.
    const running = () => slot.phase === 'running';
    session.on('qr', (qr) => running() && this.setState(slot, { status: 'pairing', qr }));
    session.on('ready', () => {
      if (!running()) return;
      slot.failures = 0;
      this.setState(slot, { status: 'ready' });
    });
    this.opts.support.forwardInbound(
      session,
      () => slot.account,
      (inbound) => void this.forward(slot, inbound),
    );
    session.on('disconnected', (reason) => void this.disconnected(slot, reason));
    session.on('auth_failure', (message) => void this.halt(slot, { status: 'auth_failure', message }));
    return session;
  }

  private async disconnected(slot: Slot<S>, reason: string): Promise<void> {
    if (slot.phase !== 'running') return;
    const run = slot.run;
    const terminal = this.opts.support.terminalReasons.has(reason);
    const { initial, max } = this.opts.reconnectDelayMs ?? { initial: 5_000, max: 300_000 };
    const delay = terminal ? undefined : Math.min(max, initial * 2 ** slot.failures++);
    slot.phase = terminal ? 'halted' : 'waiting';
    this.log.warn({ channelId: slot.account.id, reason, reconnectInMs: delay }, 'session disconnected');
    this.setState(slot, { status: 'disconnected', reason, ...(delay !== undefined ? { reconnectInMs: delay } : {}) });
    // Close the browser before a new one starts on the same data directory.
    await this.stopSession(slot);
    if (delay === undefined || slot.run !== run) return; // stopped or restarted meanwhile
    slot.timer = setTimeout(() => void this.launch(slot), delay);
  }

  private async halt(slot: Slot<S>, state: SessionState): Promise<void> {
    if (slot.phase !== 'running') return;
    slot.phase = 'halted';
    this.setState(slot, state);
    await this.stopSession(slot);
  }

  private async lockLost(slot: Slot<S>, lock: SessionLockHandle): Promise<void> {
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

  /** Hands a (signed) inbound event to the inbound path, retrying a few times. */
  private async forward(slot: Slot<S>, inbound: SessionInbound): Promise<void> {
    const channelId = slot.account.id;
    const { request } = inbound;
    const delays = this.opts.ingestRetryDelaysMs ?? [1_000, 5_000, 15_000];
    for (let attempt = 0; ; attempt++) {
      try {
        await this.opts.ingest(channelId, request);
        return;
      } catch (err) {
        const delay = delays[attempt];
        const ctx = { channelId, event: inbound.event, messageId: inbound.messageId, err: (err as Error).message };
        if (delay === undefined || slot.phase === 'stopped') {
          this.log.error(ctx, 'dropped a session event: ingest kept failing');
          return;
        }
        this.log.warn(ctx, 'ingest failed, retrying');
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  private async stopSession(slot: Slot<S>): Promise<void> {
    await slot.session?.stop().catch((err: Error) => this.log.warn({ channelId: slot.account.id, err: err.message }, 'session did not stop cleanly'));
  }

  private setState(slot: Slot<S>, state: SessionState): void {
    slot.state = state;
    this.log.info({ channelId: slot.account.id, status: state.status }, 'session state');
    try {
      this.opts.onStateChange?.(slot.account.id, state);
    } catch (err) {
      this.log.warn({ channelId: slot.account.id, err: (err as Error).message }, 'onStateChange threw');
    }
  }
}
