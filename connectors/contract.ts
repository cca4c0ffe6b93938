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
 * Inbound events and outbound messages are zod schemas (contract-inbound.ts, contract-outbound.ts): their types are
 * inferred from them, the core validates parse output at ingest and parses queued jobs with them. Limits and
 * supported message kinds are capabilities (capabilities.ts), checked by the core in one place. Accounts without a
 * webhook run a session the core drives (contract-session.ts).
 *
 * Adding a platform touches its own folder under connectors/ and one line in connectors/registry.ts
 * (docs/adding-a-connector.md).
 */
import type { z } from 'zod';
import type { ConnectorCapabilities } from './capabilities';
import type { ConnectorSessionSupport } from './contract-session';
import type { InboundEvent } from './contract-inbound';
import type { OutboundMessage, SendResult } from './contract-outbound';

export * from './contract-inbound';
export * from './contract-outbound';
export * from './connector-error';
export type { ConnectorCapabilities, RateLimit, TextLengthUnit } from './capabilities';
export { SessionRegistry } from './contract-session';
export type {
  ConnectorSession,
  ConnectorSessionSupport,
  SessionEnvironment,
  SessionInbound,
  SessionLifecycleEvent,
  SessionLifecycleEvents,
  SessionState,
} from './contract-session';

/**
 * A channel type: the `type` of one connector definition (`telegram`, `whatsapp_cloud`...). A plain string
 * validated against the registry the core was given (connectors/registry.ts), so that a new connector needs no
 * edit here.
 */
export type ChannelType = string;

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

// ---------------------------------------------------------------------------------------------------------------
// The connector itself

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

/**
 * Whose credentials these are, as the platform says: the bot, number or app behind them. The core stores
 * `externalId` and refuses a second channel of the same type with the same one (the same bot connected twice
 * would have two inboxes fighting over one webhook).
 */
export interface AccountIdentity {
  /** The platform's stable id of the account (Telegram's bot id, Viber's pa id, the phone number id...). */
  externalId: string;
  /** What an admin recognises it by (`@parley_bot`, `Parley (+48 22 123 45 67)`). */
  displayName: string;
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
  /**
   * Where the platform can be asked what this account sent: the reply if it already reached the platform since
   * `since`, else null. The core asks before sending again a reply whose previous attempt's outcome is unknown
   * (the worker died mid-send), so that the customer does not get it twice.
   */
  findSent?(message: OutboundMessage, since: Date): Promise<SendResult | null>;
  /** Fetch an inbound attachment's bytes by its mediaRef. Throws ConnectorError. */
  downloadMedia?(mediaRef: string): Promise<DownloadedMedia>;
  /** Tell the platform where to deliver webhooks (an explicit admin action). */
  registerWebhook?(url: string): Promise<void>;
  /**
   * Tell the platform to stop delivering to Parley (Telegram deleteWebhook, Viber set_webhook with an empty url):
   * called when the channel is deleted. Absent where the platform offers no way (the admin removes it there).
   */
  removeWebhook?(): Promise<void>;
  /**
   * Check the credentials with the platform and say whose they are. The core calls it before storing new
   * credentials (creating a channel, changing one). Throws a ConnectorError: permanent when the platform refused
   * them, with a message in words that says what was refused and never contains the secret
   * (`credentialsRefused` in shared/credentials.ts); retryable when the platform could not be asked. Null when
   * there is nothing to check (a development mode without credentials). Absent for session-based connectors,
   * whose account is only known once paired.
   */
  describeAccount?(): Promise<AccountIdentity | null>;
  /** Release timers, sockets, browser sessions. */
  close?(): Promise<void>;
}

/** What a connector's webhook body may weigh when its definition says nothing (`maxWebhookBytes`). */
export const DEFAULT_MAX_WEBHOOK_BYTES = 1024 * 1024;

/** Registry entry: how to validate an account's configuration and build its connector. */
export interface ConnectorDefinition<Credentials = unknown, Settings = unknown> {
  /** Unique, lower_snake_case: stored on channel rows and used in the API (`/channel-types`). Never renamed. */
  type: ChannelType;
  /** Human name shown in the inbox. */
  displayName: string;
  capabilities: ConnectorCapabilities;
  /**
   * Largest webhook body the platform sends, in bytes (default `DEFAULT_MAX_WEBHOOK_BYTES`, 1 MB). The core reads
   * no more than this, and only once the webhook id is known to be this connector's account: a larger body is
   * answered 413 and nothing is stored.
   */
  maxWebhookBytes?: number;
  /** Secrets (tokens, app secrets): stored encrypted, never returned by the API. */
  credentialsSchema: z.ZodType<Credentials>;
  /** Non-secret settings (API base URL, sender name...): returned by the API. */
  settingsSchema: z.ZodType<Settings>;
  /**
   * True when its connectors implement `registerWebhook`, so that the web app offers the button (the
   * conformance suite checks the two agree). Otherwise the admin pastes the webhook URL into the platform.
   */
  registersWebhook?: boolean;
  /** Secrets the core generates for a new account (e.g. Telegram's webhook secret token). */
  generateCredentials?(): Partial<Credentials>;
  create(account: ChannelAccount<Credentials, Settings>): Connector;
  /** Present for connectors whose inbound comes from a live session the core runs, not from a webhook. */
  session?: ConnectorSessionSupport<Credentials, Settings>;
}
