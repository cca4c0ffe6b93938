/**
 * The connector contract: the one interface every messaging platform adapter implements.
 *
 * A connector is a pure adapter between one platform and Parley's shared envelope. It knows nothing of the
 * database, the queues or HTTP routing: the core hands it the raw webhook (bytes and headers) and the channel
 * account's decrypted configuration, and it answers with verification results, parsed events and send results.
 *
 * Life of an inbound webhook (the core drives these steps in this order, see src/webhooks):
 *   1. `handshake(req)`   — platforms that verify a webhook URL with a GET (WhatsApp Cloud) answer it here.
 *   2. `verify(req)`      — the platform's signature on the *raw* body, compared in constant time. 401 if false.
 *   3. `parse(req)`       — a pure function of the request: zero or more `InboundEvent`s. It throws
 *                           `UnparseableWebhookError` for a payload that can never parse (stored for inspection,
 *                           still answered 2xx so the platform stops retrying).
 *   4. `webhookResponse`  — optional body for the 200 answer (Viber's welcome message on conversation_started).
 *
 * Outbound: `send(message)` delivers one agent reply, addressed from stored data (the identity's external id
 * and the conversation's thread id), never from an inbound event. It returns the platform's message id or
 * throws a `ConnectorError` that says whether the failure is worth retrying.
 *
 * Adding a platform touches its own folder under connectors/ and one line in connectors/registry.ts.
 */
import type { z } from 'zod';

/** Channel types Parley knows. One value per connector definition. */
export type ChannelType = 'telegram' | 'viber' | 'whatsapp_cloud' | 'whatsapp_web' | 'botframework';

// ---------------------------------------------------------------------------------------------------------------
// Inbound: the shared envelope

export type AttachmentKind =
  | 'image'
  | 'video'
  | 'audio'
  | 'voice'
  | 'document'
  | 'sticker'
  | 'animation'
  | 'location'
  | 'contact'
  | 'other';

/** What a message carried besides text. Media are referenced by the platform's id and fetched on demand. */
export interface InboundAttachment {
  kind: AttachmentKind;
  /** Platform reference used by `downloadMedia` (Telegram file_id, WhatsApp media id, a URL for Viber...). */
  mediaRef?: string;
  mimeType?: string;
  fileName?: string;
  /** Bytes, when the platform says. */
  size?: number;
  /** Location attachments. */
  latitude?: number;
  longitude?: number;
  /** A venue's or place's title, a shared contact's name, a sticker's emoji. */
  title?: string;
  /** A shared contact's phone number. */
  phone?: string;
}

/** The person (or group/channel acting as one) an event comes from, as the platform identifies them. */
export interface InboundSender {
  /** Stable id of the user on this channel account (Telegram user id, Viber user id, WhatsApp wa_id...). */
  externalId: string;
  displayName?: string;
  username?: string;
  avatarUrl?: string;
  /** Platform-specific facts worth keeping on the identity (language, country, Bot Framework channel...). */
  profile?: Record<string, string>;
}

/** The conversation an event belongs to: where a reply goes. */
export interface InboundThread {
  /** The chat id to reply into (Telegram chat.id, Viber user id, BF conversation.id, WhatsApp `from`). */
  externalId: string;
  /** True for group chats: the thread is not the sender. */
  isGroup: boolean;
  /** Group or channel title, when the thread is not a one-to-one chat. */
  title?: string;
  /** Connector-specific data needed to reply later (e.g. a Bot Framework conversation reference). */
  replyContext?: Record<string, unknown>;
}

/** A new message from a customer. */
export interface InboundMessageEvent {
  type: 'message';
  /** Unique per channel account: the key the database deduplicates on (e.g. Telegram `chat_id:message_id`). */
  externalId: string;
  thread: InboundThread;
  sender: InboundSender;
  /** Body, caption, button title or callback data. Null when the message carries no text. */
  text: string | null;
  attachments: InboundAttachment[];
  /** When the platform says it was sent; absent when the platform gives none (the worker uses receipt time). */
  sentAt?: Date;
  /** externalId of the message this one replies to, when the platform says. */
  replyToExternalId?: string;
  /** Platform's own name for what this was (message, callback_query, business_message...), kept for display. */
  platformKind: string;
}

/** A customer edited an earlier message. Applies to the message with the same externalId. */
export interface InboundEditEvent {
  type: 'edit';
  externalId: string;
  thread: InboundThread;
  sender: InboundSender;
  text: string | null;
  attachments: InboundAttachment[];
  editedAt?: Date;
  platformKind: string;
}

export type DeliveryStatus = 'pending' | 'sent' | 'delivered' | 'read' | 'failed';

/** A receipt for one of our outgoing messages, identified by the platform's message id. */
export interface InboundStatusEvent {
  type: 'status';
  /** The platform message id we stored when sending. */
  platformMessageId: string;
  status: Exclude<DeliveryStatus, 'pending'>;
  at?: Date;
  /** For `failed`: the platform's reason, shown to the agent. */
  error?: string;
  /** The recipient, when the platform says. */
  recipientExternalId?: string;
  /** The thread, for platforms whose message ids are unique only within one (Teams): receipts match inside it. */
  threadExternalId?: string;
  /** A read receipt that covers every earlier reply in the thread too ("read up to here", as Teams sends). */
  upTo?: boolean;
}

/** The customer blocked the bot / unsubscribed (blocked=true) or came back (blocked=false). */
export interface InboundSubscriptionEvent {
  type: 'subscription';
  sender: InboundSender;
  blocked: boolean;
  at?: Date;
}

/** Something valid that the inbox does not act on (reactions, inline queries, service messages...). */
export interface InboundIgnoredEvent {
  type: 'ignored';
  reason: string;
}

export type InboundEvent =
  | InboundMessageEvent
  | InboundEditEvent
  | InboundStatusEvent
  | InboundSubscriptionEvent
  | InboundIgnoredEvent;

// ---------------------------------------------------------------------------------------------------------------
// Webhooks

/** What the core hands a connector for one webhook request. */
export interface WebhookRequest {
  method: string;
  /** Lower-cased header names, as Node gives them. */
  headers: Record<string, string | string[] | undefined>;
  query: Record<string, string | undefined>;
  /** The exact bytes received: signatures are computed over these. */
  rawBody: Buffer;
}

/** An answer the connector wants sent instead of the default (handshakes, welcome messages). */
export interface WebhookReply {
  status: number;
  body?: unknown;
  contentType?: string;
}

/** Thrown by `parse` for a payload that is not a valid platform webhook and never will be. */
export class UnparseableWebhookError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnparseableWebhookError';
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Outbound

/** A file to send, already read from Parley's upload store. */
export interface OutboundMedia {
  kind: AttachmentKind;
  data: Buffer;
  fileName: string;
  mimeType: string;
  /**
   * A URL the platform can fetch the same file from without credentials (signed by Parley, expiring), for
   * platforms that take media by URL only (Viber). Absent when PUBLIC_URL is not reachable by platforms.
   */
  url?: string;
}

/** One agent reply, addressed from stored data. */
export interface OutboundMessage {
  /** Parley's message id: usable as an idempotency key where the platform accepts one. */
  messageId: string;
  /** The conversation's thread id (where to send). */
  threadExternalId: string;
  /** The customer's identity on this channel. */
  recipientExternalId: string;
  /** `replyContext` captured from the thread's inbound events (Bot Framework conversation reference...). */
  replyContext?: Record<string, unknown>;
  text: string | null;
  media?: OutboundMedia;
  /** When the customer last wrote on this thread: platforms with a reply window (WhatsApp, Messenger) check it. */
  lastInboundAt?: Date;
}

export interface SendResult {
  /** The platform's id for the sent message: receipts refer to it. */
  platformMessageId: string;
  /** Some platforms confirm delivery synchronously; most answer `sent`. */
  status?: 'sent' | 'delivered';
}

/**
 * A failed platform call.
 * - `retryable`: 429, 5xx, timeouts, connection errors. `retryAfterMs` when the platform says how long to wait.
 * - `permanent`: will fail the same way again (blocked user, invalid recipient, bad token, outside reply window).
 * `contactBlocked` marks the customer's identity as having blocked us.
 */
export class ConnectorError extends Error {
  readonly retryable: boolean;
  readonly retryAfterMs?: number;
  readonly code?: string;
  readonly contactBlocked: boolean;
  /** True when the failure is a rule of ours the agent must see (e.g. the 24-hour window), not a platform fault. */
  readonly policy: boolean;
  /**
   * The account is served by another process (a WhatsApp Web session lives in the worker holding its lock):
   * the send should be tried again, there, without counting as a failed attempt.
   */
  readonly servedElsewhere: boolean;

  constructor(
    message: string,
    opts: { retryable: boolean; retryAfterMs?: number; code?: string; contactBlocked?: boolean; policy?: boolean; servedElsewhere?: boolean },
  ) {
    super(message);
    this.name = 'ConnectorError';
    this.retryable = opts.retryable;
    this.retryAfterMs = opts.retryAfterMs;
    this.code = opts.code;
    this.contactBlocked = opts.contactBlocked ?? false;
    this.policy = opts.policy ?? false;
    this.servedElsewhere = opts.servedElsewhere ?? false;
  }

  static retryable(message: string, opts: { retryAfterMs?: number; code?: string; servedElsewhere?: boolean } = {}): ConnectorError {
    return new ConnectorError(message, { retryable: true, ...opts });
  }

  static permanent(message: string, opts: { code?: string; contactBlocked?: boolean; policy?: boolean } = {}) {
    return new ConnectorError(message, { retryable: false, ...opts });
  }
}

export interface DownloadedMedia {
  data: Buffer;
  mimeType?: string;
  fileName?: string;
}

// ---------------------------------------------------------------------------------------------------------------
// The connector itself

/** A channel account as the core gives it to a connector: configuration already validated and decrypted. */
export interface ChannelAccount<Credentials, Settings> {
  id: string;
  name: string;
  /** The opaque id in the account's webhook URL. */
  webhookId: string;
  credentials: Credentials;
  settings: Settings;
}

/** Capabilities declared as data, so the API and the web app can tell an agent what a channel can do. */
export interface ConnectorCapabilities {
  /** Inbound arrives by webhook (false: by a session the core runs, like WhatsApp Web). */
  webhook: boolean;
  outboundMedia: boolean;
  deliveryReceipts: boolean;
  readReceipts: boolean;
  /** Hours after the customer's last message during which free-form replies are allowed; null = no window. */
  replyWindowHours: number | null;
  /** Largest file the platform accepts from a bot, in bytes. */
  maxOutboundMediaBytes: number;
  maxTextLength: number;
  /**
   * Sending limits the platform enforces, which the outbound queue respects before it sends (rather than
   * collecting 429s): at most `count` messages per `perMs`, per thread (one chat) and per account (one bot).
   */
  rateLimits?: { perThread?: RateLimit; perAccount?: RateLimit };
}

export interface RateLimit {
  count: number;
  perMs: number;
}

/** One connected channel account: what the core calls. */
export interface Connector {
  /** Answer a platform's URL verification (GET handshake), or null when this request is not one. */
  handshake?(req: WebhookRequest): WebhookReply | null;
  /** True only when the request carries a valid signature/secret for this account. Constant-time. */
  verify(req: WebhookRequest): boolean | Promise<boolean>;
  /** Pure: the events in this webhook. Throws UnparseableWebhookError for a payload that can never parse. */
  parse(req: WebhookRequest): InboundEvent[];
  /** Optional body for the 200 answer to this webhook (e.g. a welcome message). */
  webhookResponse?(events: InboundEvent[]): WebhookReply | null;
  /** Deliver one reply. Throws ConnectorError. */
  send(message: OutboundMessage): Promise<SendResult>;
  /** Fetch an inbound attachment's bytes by its mediaRef. Throws ConnectorError. */
  downloadMedia?(mediaRef: string): Promise<DownloadedMedia>;
  /** Tell the platform where to deliver webhooks (an explicit admin action). */
  registerWebhook?(url: string): Promise<void>;
  /** Release timers, sockets, browser sessions. */
  close?(): Promise<void>;
}

/** Registry entry: how to validate an account's configuration and build its connector. */
export interface ConnectorDefinition<Credentials = unknown, Settings = unknown> {
  type: ChannelType;
  /** Human name shown in the inbox. */
  displayName: string;
  capabilities: ConnectorCapabilities;
  /** Secrets (tokens, app secrets): stored encrypted, never returned by the API. */
  credentialsSchema: z.ZodType<Credentials>;
  /** Non-secret settings (API base URL, sender name...): returned by the API. */
  settingsSchema: z.ZodType<Settings>;
  /** Secrets the core generates for a new account (e.g. Telegram's webhook secret token). */
  generateCredentials?(): Partial<Credentials>;
  create(account: ChannelAccount<Credentials, Settings>): Connector;
}
