import { z } from 'zod';

/**
 * Zod schemas for what Viber sends us (callbacks, https://creators.viber.com/docs/bots-api/events/intro) and what
 * it answers our API calls with. Bodies are parsed by parseViberJson first, so a token above 2^53 arrives as its
 * exact decimal string and a smaller one as a number: both become a string here.
 *
 * Only what the inbox needs is required (ids, tokens, the message type); descriptive fields that come in an
 * unexpected shape are dropped (`.catch`) rather than losing a customer's message over them.
 */
export const messageTokenSchema = z.union([z.string().regex(/^\d+$/), z.number().int().nonnegative()]).transform((v) => String(v));

const optString = z.string().optional().catch(undefined);
const optNumber = z.number().optional().catch(undefined);
/** Unix milliseconds; an absurd value is dropped (the worker then uses receipt time). */
const timestampSchema = z.number().int().positive().optional().catch(undefined);

/** A user as Viber describes them (https://creators.viber.com/docs/bots-api/data-models/subscriber). */
export const viberUserSchema = z.object({
  id: z.string().min(1),
  name: optString,
  avatar: optString,
  country: optString,
  language: optString,
  api_version: optNumber,
});

export const viberMessageSchema = z.object({
  type: z.string().min(1),
  text: optString,
  media: optString,
  thumbnail: optString,
  file_name: optString,
  // A negative size (found by fuzzing) is no size: the contract's attachments have none below zero.
  size: z.number().nonnegative().optional().catch(undefined),
  duration: optNumber,
  // Seen both as a string ("40133") and as a number (5536).
  sticker_id: z.union([z.string(), z.number()]).optional().catch(undefined),
  location: z.object({ lat: z.number(), lon: z.number() }).optional().catch(undefined),
  contact: z.object({ name: optString, phone_number: optString, avatar: optString }).optional().catch(undefined),
  alt_text: optString,
  tracking_data: optString,
});

export const messageCallbackSchema = z.object({
  event: z.literal('message'),
  timestamp: timestampSchema,
  message_token: messageTokenSchema,
  sender: viberUserSchema,
  message: viberMessageSchema,
});

/** delivered / seen / failed: receipts for one of our messages. */
export const receiptCallbackSchema = z.object({
  event: z.enum(['delivered', 'seen', 'failed']),
  timestamp: timestampSchema,
  message_token: messageTokenSchema,
  user_id: z.string().min(1),
  desc: optString,
});

export const subscribedCallbackSchema = z.object({
  event: z.literal('subscribed'),
  timestamp: timestampSchema,
  user: viberUserSchema,
});

export const unsubscribedCallbackSchema = z.object({
  event: z.literal('unsubscribed'),
  timestamp: timestampSchema,
  user_id: z.string().min(1),
});

/** The answer to every /pa/ call: HTTP 200 with `status` 0 on success, an error code otherwise. */
export const apiResponseSchema = z.object({
  status: z.number().int(),
  status_message: optString,
  message_token: messageTokenSchema.optional().catch(undefined),
});

export type ViberUser = z.infer<typeof viberUserSchema>;
export type ViberMessage = z.infer<typeof viberMessageSchema>;
export type ViberApiResponse = z.infer<typeof apiResponseSchema>;
