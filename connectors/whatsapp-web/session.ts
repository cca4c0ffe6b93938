import { EventEmitter } from 'node:events';
import { SessionRegistry as GenericSessionRegistry, type ConnectorSession, type DownloadedMedia, type OutboundMedia } from '../contract';

/**
 * Our own small interface over a WhatsApp Web session (a Chromium page running web.whatsapp.com). Everything
 * else in this folder talks to this, never to whatsapp-web.js, so that tests drive a fake of it
 * (testing/fake-session.ts) and the real one (wwebjs-session.ts) stays a thin, type-checked adapter.
 */
export interface WhatsAppSessionEvents {
  /** A new QR code to scan (WhatsApp rotates it about every 20 s until a phone pairs). */
  qr: [code: string];
  /** Paired and connected: sends work from now on. */
  ready: [];
  /** An incoming message, as JSON-serialisable whatsapp-web.js Message data. */
  message: [message: Record<string, unknown>];
  /** A receipt for a message this account sent: -1 error, 0 pending, 1 server, 2 device, 3 read, 4 played. */
  message_ack: [messageId: string, ack: number];
  /** The session ended: a WAState (CONFLICT, UNPAIRED...), 'LOGOUT', or why it could not run. */
  disconnected: [reason: string];
  /** A stored pairing could not be restored. */
  auth_failure: [message: string];
}

export type WhatsAppSessionEvent = keyof WhatsAppSessionEvents;
export type WhatsAppSessionListener<K extends WhatsAppSessionEvent> = (...args: WhatsAppSessionEvents[K]) => void;

export interface WhatsAppSession extends ConnectorSession {
  readonly channelId: string;
  /** Launch (or relaunch) the browser and connect; resolves once WhatsApp Web is loaded, not when paired. */
  start(): Promise<void>;
  /** Close the browser. Keeps the stored pairing, so the next start() needs no QR code. */
  stop(): Promise<void>;
  isReady(): boolean;
  /** Returns WhatsApp's serialised message id (`true_<chat>_<id>`), which receipts refer to. */
  sendText(chatId: string, text: string): Promise<string>;
  sendMedia(chatId: string, media: OutboundMedia, caption?: string): Promise<string>;
  /** The id of a text this account sent to the chat since `since`, from the chat's history; null when none. */
  findSentText(chatId: string, text: string, since: Date): Promise<string | null>;
  downloadMedia(messageId: string): Promise<DownloadedMedia>;
  on<K extends WhatsAppSessionEvent>(event: K, listener: WhatsAppSessionListener<K>): this;
  off<K extends WhatsAppSessionEvent>(event: K, listener: WhatsAppSessionListener<K>): this;
}

/** Typed events for session implementations (Node's EventEmitter generics do not fit an interface cleanly). */
export abstract class SessionEmitter {
  private readonly emitter = new EventEmitter();

  on<K extends WhatsAppSessionEvent>(event: K, listener: WhatsAppSessionListener<K>): this {
    this.emitter.on(event, listener as (...args: unknown[]) => void);
    return this;
  }

  off<K extends WhatsAppSessionEvent>(event: K, listener: WhatsAppSessionListener<K>): this {
    this.emitter.off(event, listener as (...args: unknown[]) => void);
    return this;
  }

  protected emit<K extends WhatsAppSessionEvent>(event: K, ...args: WhatsAppSessionEvents[K]): void {
    this.emitter.emit(event, ...args);
  }
}

/**
 * Why a session call failed, in terms the connector maps onto retryable / permanent
 * (errors.ts). Both the real and the fake session throw only this.
 */
export type SessionErrorKind =
  | 'not_ready' // not paired or reconnecting
  | 'not_on_whatsapp' // the number has no WhatsApp account
  | 'invalid_recipient' // not a chat id we can send to
  | 'rate_limited'
  | 'media_unavailable' // deleted from the phone, or too old to download
  | 'transient'; // browser crashed or restarting, evaluation timed out...

export class WhatsAppSessionError extends Error {
  constructor(
    readonly kind: SessionErrorKind,
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'WhatsAppSessionError';
  }
}

/**
 * The live sessions of this process, by channel id. The core's session runtime puts sessions in; connectors look
 * them up to send. A session lives in exactly one process (the one holding its lock), so a lookup can miss.
 */
export class WhatsAppSessionRegistry extends GenericSessionRegistry<WhatsAppSession> {}
export { WhatsAppSessionRegistry as SessionRegistry };

/** The registry the exported connector definition and, by default, the session runtime share. */
export const defaultSessionRegistry = new WhatsAppSessionRegistry();
