/**
 * Outbound messages, as zod schemas (types inferred from them). A message is a discriminated union on `kind`:
 * connectors switch on it exhaustively (see `unsupportedKind` and `assertNever`), so adding a kind is a compile
 * error in every connector until each says what it does with it. A connector declares the kinds it sends in
 * `capabilities.outboundKinds`; the core refuses the others before calling it (capabilities.ts).
 */
import { z } from 'zod';
import { attachmentKindSchema } from './contract-inbound';
import { ConnectorError } from './connector-error';

/** A file to send, already read from Parley's upload store. */
export const outboundMediaSchema = z.object({
  kind: attachmentKindSchema,
  data: z.instanceof(Buffer),
  fileName: z.string(),
  mimeType: z.string(),
  /**
   * A URL the platform can fetch the same file from without credentials (signed by Parley, expiring), for
   * platforms that take media by URL only (Viber). Absent when PUBLIC_URL is not reachable by platforms.
   */
  url: z.string().optional(),
});
export type OutboundMedia = z.infer<typeof outboundMediaSchema>;

/** Where a reply goes: always from stored data (agents answer hours later), never from an inbound event. */
const addressing = {
  /** Parley's message id: usable as an idempotency key where the platform accepts one. */
  messageId: z.string(),
  /** The conversation's thread id (where to send). */
  threadExternalId: z.string(),
  /** The customer's identity on this channel. */
  recipientExternalId: z.string(),
  /** `replyContext` captured from the thread's inbound events (Bot Framework conversation reference...). */
  replyContext: z.record(z.string(), z.unknown()).optional(),
  /** When the customer last wrote on this thread: platforms with a reply window (WhatsApp, Messenger) check it. */
  lastInboundAt: z.date().optional(),
};

export const outboundTextSchema = z.object({ ...addressing, kind: z.literal('text'), text: z.string().min(1) });

/** A file, with an optional caption (a connector sends a caption too long for the platform as its own text). */
export const outboundMediaMessageSchema = z.object({
  ...addressing,
  kind: z.literal('media'),
  media: outboundMediaSchema,
  caption: z.string().min(1).optional(),
});

/** Text with quick-reply buttons. Declared for the contract; no connector sends it yet. */
export const outboundChoicesSchema = z.object({
  ...addressing,
  kind: z.literal('choices'),
  text: z.string().min(1),
  choices: z
    .array(z.object({ id: z.string().min(1).max(256), title: z.string().min(1) }))
    .min(1)
    .max(13),
});

/** A platform-approved template (WhatsApp's way to write outside the 24-hour window). No connector sends it yet. */
export const outboundTemplateSchema = z.object({
  ...addressing,
  kind: z.literal('template'),
  name: z.string().min(1),
  /** BCP 47 / Meta language code of the approved translation, e.g. `en_US`. */
  language: z.string().min(2),
  /** Body parameters in order ({{1}}, {{2}}...). */
  parameters: z.array(z.string()).default([]),
});

export const outboundMessageSchema = z.discriminatedUnion('kind', [
  outboundTextSchema,
  outboundMediaMessageSchema,
  outboundChoicesSchema,
  outboundTemplateSchema,
]);
export type OutboundMessage = z.infer<typeof outboundMessageSchema>;
export type OutboundKind = OutboundMessage['kind'];
export type OutboundOf<K extends OutboundKind> = Extract<OutboundMessage, { kind: K }>;

export interface SendResult {
  /** The platform's id for the sent message: receipts refer to it. */
  platformMessageId: string;
  /** Some platforms confirm delivery synchronously; most answer `sent`. */
  status?: 'sent' | 'delivered';
}

/** What a connector throws for a kind it declares it does not send (the core refuses those earlier anyway). */
export function unsupportedKind(out: OutboundMessage): ConnectorError {
  return ConnectorError.permanent(`this channel cannot send ${out.kind} messages`, { code: 'unsupported_kind', policy: true });
}

/** The default branch of an exhaustive switch on `kind`: a kind left out fails to compile here. */
export function assertNever(value: never): never {
  throw new Error(`unhandled outbound kind: ${JSON.stringify((value as { kind?: unknown })?.kind)}`);
}

/** The text and file of a text or media message, for connectors whose send builds both the same way. */
export function textAndMedia(out: OutboundOf<'text'> | OutboundOf<'media'>): { text: string | null; media?: OutboundMedia } {
  return out.kind === 'text' ? { text: out.text } : { text: out.caption ?? null, media: out.media };
}
