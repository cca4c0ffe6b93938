/**
 * The shared inbound envelope, as zod schemas: the types connectors produce are inferred from them (one source),
 * the core validates every connector's parse output against them at ingest, and the inbound worker parses queued
 * jobs with them, so dates come back as Dates after the JSON round trip through Redis without a hand-written
 * reviver. Documented field by field here; contract.ts re-exports everything.
 */
import { z } from 'zod';

/**
 * A point in time that survives JSON: a Date as connectors produce it, or the ISO string JSON.stringify made of
 * it. Deliberately not z.coerce.date(): a number (Unix seconds by mistake) must fail, not become 1970.
 */
export const jsonDateSchema = z.union([z.date(), z.iso.datetime({ offset: true }).transform((s) => new Date(s))]);

export const attachmentKindSchema = z.enum(['image', 'video', 'audio', 'voice', 'document', 'sticker', 'animation', 'location', 'contact', 'other']);
export type AttachmentKind = z.infer<typeof attachmentKindSchema>;

/** What a message carried besides text. Media are referenced by the platform's id and fetched on demand. */
export const inboundAttachmentSchema = z.object({
  kind: attachmentKindSchema,
  /** Platform reference used by `downloadMedia` (Telegram file_id, WhatsApp media id, a URL for Viber...). */
  mediaRef: z.string().optional(),
  mimeType: z.string().optional(),
  fileName: z.string().optional(),
  /** Bytes, when the platform says. */
  size: z.number().nonnegative().optional(),
  /** Location attachments. */
  latitude: z.number().optional(),
  longitude: z.number().optional(),
  /** A venue's or place's title, a shared contact's name, a sticker's emoji. */
  title: z.string().optional(),
  /** A shared contact's phone number. */
  phone: z.string().optional(),
});
export type InboundAttachment = z.infer<typeof inboundAttachmentSchema>;

/** The person (or group/channel acting as one) an event comes from, as the platform identifies them. */
export const inboundSenderSchema = z.object({
  /** Stable id of the user on this channel account (Telegram user id, Viber user id, WhatsApp wa_id...). */
  externalId: z.string().min(1),
  displayName: z.string().optional(),
  username: z.string().optional(),
  avatarUrl: z.string().optional(),
  /** Platform-specific facts worth keeping on the identity (language, country, Bot Framework channel...). */
  profile: z.record(z.string(), z.string()).optional(),
});
export type InboundSender = z.infer<typeof inboundSenderSchema>;

/** The conversation an event belongs to: where a reply goes. */
export const inboundThreadSchema = z.object({
  /** The chat id to reply into (Telegram chat.id, Viber user id, BF conversation.id, WhatsApp `from`). */
  externalId: z.string().min(1),
  /** True for group chats: the thread is not the sender. */
  isGroup: z.boolean(),
  /** Group or channel title, when the thread is not a one-to-one chat. */
  title: z.string().optional(),
  /** Connector-specific data needed to reply later (e.g. a Bot Framework conversation reference). */
  replyContext: z.record(z.string(), z.unknown()).optional(),
});
export type InboundThread = z.infer<typeof inboundThreadSchema>;

/** A new message from a customer. */
export const inboundMessageEventSchema = z.object({
  type: z.literal('message'),
  /** Unique per channel account: the key the database deduplicates on (e.g. Telegram `chat_id:message_id`). */
  externalId: z.string().min(1),
  thread: inboundThreadSchema,
  sender: inboundSenderSchema,
  /** Body, caption, button title or callback data. Null when the message carries no text. */
  text: z.string().nullable(),
  attachments: z.array(inboundAttachmentSchema),
  /** When the platform says it was sent; absent when the platform gives none (the worker uses receipt time). */
  sentAt: jsonDateSchema.optional(),
  /**
   * The platform's own counter for messages in this thread, when it has one that only grows (Telegram
   * `message_id`): it orders messages whose `sentAt` is the same (Telegram's is in whole seconds). Absent
   * otherwise: such messages are then ordered by arrival (src/messages/thread-order.ts).
   */
  sequence: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).optional(),
  /** externalId of the message this one replies to, when the platform says. */
  replyToExternalId: z.string().optional(),
  /** Platform's own name for what this was (message, callback_query, business_message...), kept for display. */
  platformKind: z.string(),
});
export type InboundMessageEvent = z.infer<typeof inboundMessageEventSchema>;

/** A customer edited an earlier message. Applies to the message with the same externalId. */
export const inboundEditEventSchema = z.object({
  type: z.literal('edit'),
  externalId: z.string().min(1),
  thread: inboundThreadSchema,
  sender: inboundSenderSchema,
  text: z.string().nullable(),
  attachments: z.array(inboundAttachmentSchema),
  editedAt: jsonDateSchema.optional(),
  /** As for a message: an edit of a message never seen is stored as that message, in its place. */
  sequence: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).optional(),
  platformKind: z.string(),
});
export type InboundEditEvent = z.infer<typeof inboundEditEventSchema>;

export const deliveryStatusSchema = z.enum(['pending', 'sent', 'delivered', 'read', 'failed']);
export type DeliveryStatus = z.infer<typeof deliveryStatusSchema>;

/** A receipt for one of our outgoing messages, identified by the platform's message id. */
export const inboundStatusEventSchema = z.object({
  type: z.literal('status'),
  /** The platform message id we stored when sending. */
  platformMessageId: z.string().min(1),
  status: deliveryStatusSchema.exclude(['pending']),
  at: jsonDateSchema.optional(),
  /** For `failed`: the platform's reason, shown to the agent. */
  error: z.string().optional(),
  /** The recipient, when the platform says. */
  recipientExternalId: z.string().optional(),
  /** The thread, for platforms whose message ids are unique only within one (Teams): receipts match inside it. */
  threadExternalId: z.string().optional(),
  /** A read receipt that covers every earlier reply in the thread too ("read up to here", as Teams sends). */
  upTo: z.boolean().optional(),
});
export type InboundStatusEvent = z.infer<typeof inboundStatusEventSchema>;

/** The customer blocked the bot / unsubscribed (blocked=true) or came back (blocked=false). */
export const inboundSubscriptionEventSchema = z.object({
  type: z.literal('subscription'),
  sender: inboundSenderSchema,
  blocked: z.boolean(),
  at: jsonDateSchema.optional(),
});
export type InboundSubscriptionEvent = z.infer<typeof inboundSubscriptionEventSchema>;

/** Something valid that the inbox does not act on (reactions, inline queries, service messages...). */
export const inboundIgnoredEventSchema = z.object({ type: z.literal('ignored'), reason: z.string() });
export type InboundIgnoredEvent = z.infer<typeof inboundIgnoredEventSchema>;

export const inboundEventSchema = z.discriminatedUnion('type', [
  inboundMessageEventSchema,
  inboundEditEventSchema,
  inboundStatusEventSchema,
  inboundSubscriptionEventSchema,
  inboundIgnoredEventSchema,
]);
export type InboundEvent = z.infer<typeof inboundEventSchema>;
