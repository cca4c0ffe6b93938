/**
 * Connectors without a webhook run a live session per account instead (WhatsApp Web: a browser paired with a
 * phone by QR code). The core has one generic runtime for all of them (src/channels/session-runtime.ts): it
 * starts a session per account of a definition that declares `session`, keeps one owner per account across
 * processes, shows its state to admins, and feeds its inbound events into the same verify → parse → enqueue
 * path as webhooks. The definition says how to build a session and how its events become requests.
 */
import type { ChannelAccount, WebhookRequest } from './contract';

/** What an admin sees for a session-based channel (GET /channels/:id/session). */
export type SessionState =
  | { status: 'starting' }
  /** Waiting for a phone to scan `qr` (WhatsApp → Linked devices → Link a device). */
  | { status: 'pairing'; qr: string }
  | { status: 'ready' }
  /** reconnectInMs absent: it will not come back by itself (logged out, unlinked, banned): restart to pair again. */
  | { status: 'disconnected'; reason: string; reconnectInMs?: number }
  | { status: 'auth_failure'; message: string }
  /** Another process holds the session lock; this one retries to take over if that process goes away. */
  | { status: 'standby' }
  | { status: 'stopped' };

/** The life of a session, which every session-based connector reports the same way. */
export interface SessionLifecycleEvents {
  /** A new pairing code to show the admin (as a QR code). */
  qr: [code: string];
  /** Paired and connected: sends work from now on. */
  ready: [];
  /** The session ended, with the platform's reason. */
  disconnected: [reason: string];
  /** A stored pairing could not be restored. */
  auth_failure: [message: string];
}

export type SessionLifecycleEvent = keyof SessionLifecycleEvents;

/** One live session. Connector-specific sessions extend it with their own sends and inbound events. */
export interface ConnectorSession {
  readonly channelId: string;
  /** Launch (or relaunch) and connect; resolves once running, not when paired. */
  start(): Promise<void>;
  /** Close it. Keeps the stored pairing, so the next start() needs no new pairing. */
  stop(): Promise<void>;
  isReady(): boolean;
  on<K extends SessionLifecycleEvent>(event: K, listener: (...args: SessionLifecycleEvents[K]) => void): this;
}

/** Process configuration sessions may need (never from API-editable settings: see whatsapp-web/schema.ts). */
export interface SessionEnvironment {
  /** The process's data directory; a connector keeps its pairings in a folder of its own under it. */
  dataDir: string;
  chromiumPath: string;
}

/** An inbound event of a session, as a request the connector's verify() and parse() accept. */
export interface SessionInbound {
  request: WebhookRequest;
  /** For logs only: the event's name and the platform's message id (never the payload). */
  event: string;
  messageId?: string;
}

/** The live sessions of one process, by channel id: the runtime puts them in, connectors look theirs up to send. */
export class SessionRegistry<S extends ConnectorSession = ConnectorSession> {
  private readonly sessions = new Map<string, S>();

  set(session: S): void {
    this.sessions.set(session.channelId, session);
  }

  get(channelId: string): S | undefined {
    return this.sessions.get(channelId);
  }

  /** Removes the entry only if it is still this session (a newer one may have replaced it). */
  delete(session: S): void {
    if (this.sessions.get(session.channelId) === session) this.sessions.delete(session.channelId);
  }
}

/** `ConnectorDefinition.session`: how the core runs the sessions of this connector's accounts. */
export interface ConnectorSessionSupport<Credentials = any, Settings = any, S extends ConnectorSession = any> {
  /** Builds the session of one account (production); the core may be handed another factory (tests). */
  create(account: ChannelAccount<Credentials, Settings>, env: SessionEnvironment): S;
  /**
   * Subscribes to the session's inbound events and hands each to `deliver` as a signed request. `account`
   * returns the account as it is now (a rotated secret applies to the next event).
   */
  forwardInbound(session: S, account: () => ChannelAccount<Credentials, Settings>, deliver: (inbound: SessionInbound) => void): void;
  /** Disconnect reasons after which reconnecting cannot help: the admin restarts the session to pair again. */
  terminalReasons: ReadonlySet<string>;
  /** Where this definition's connectors find the live sessions to send through. */
  registry: SessionRegistry<S>;
}
