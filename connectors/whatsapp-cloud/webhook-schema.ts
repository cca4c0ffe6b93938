import { z } from 'zod';

/**
 * Zod schemas for the WhatsApp Cloud API `messages` webhook
 * (https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages).
 *
 * Objects are loose (unknown keys kept) because Meta adds fields often (BSUIDs in 2026, groups in 2025).
 * Only the envelope is strict enough to reject a payload outright; each message and status is validated on its
 * own, so one odd item never costs the others in the same webhook.
 */

const timestamp = z.union([z.string(), z.number()]);

export const graphErrorSchema = z.looseObject({
  code: z.number().optional(),
  title: z.string().optional(),
  message: z.string().optional(),
  error_data: z.looseObject({ details: z.string().optional() }).optional(),
});
export type GraphErrorItem = z.infer<typeof graphErrorSchema>;

export const envelopeSchema = z.looseObject({
  object: z.string(),
  entry: z.array(
    z.looseObject({
      id: z.string().optional(),
      changes: z.array(z.looseObject({ field: z.string().optional(), value: z.unknown() })).default([]),
    }),
  ),
});

export const contactSchema = z.looseObject({
  wa_id: z.string().optional(),
  /** Business-scoped user id (BSUID, 2026): present for every user, the only id for those who hide their number. */
  user_id: z.string().optional(),
  parent_user_id: z.string().optional(),
  profile: z.looseObject({ name: z.string().optional(), username: z.string().optional() }).optional(),
});
export type WaContact = z.infer<typeof contactSchema>;

export const valueSchema = z.looseObject({
  metadata: z.looseObject({ phone_number_id: z.string().optional(), display_phone_number: z.string().optional() }).optional(),
  contacts: z.array(contactSchema).optional(),
  messages: z.array(z.unknown()).optional(),
  statuses: z.array(z.unknown()).optional(),
  errors: z.array(graphErrorSchema).optional(),
});

export const messageSchema = z.looseObject({
  id: z.string().min(1),
  from: z.string().optional(),
  from_user_id: z.string().optional(),
  /** Groups API: the group the message was posted in; `from` is then the member who wrote it. */
  group_id: z.string().optional(),
  timestamp: timestamp.optional(),
  type: z.string(),
  context: z.looseObject({ id: z.string().optional(), from: z.string().optional(), forwarded: z.boolean().optional() }).optional(),
  errors: z.array(graphErrorSchema).optional(),
});
export type WaMessage = z.infer<typeof messageSchema> & Record<string, unknown>;

export const statusSchema = z.looseObject({
  id: z.string().min(1),
  status: z.string(),
  timestamp: timestamp.optional(),
  recipient_id: z.string().optional(),
  recipient_user_id: z.string().optional(),
  errors: z.array(graphErrorSchema).optional(),
});

// --- message contents, one per `type` ---------------------------------------------------------------------------

export const textSchema = z.looseObject({ body: z.string() });

/** image, audio, video, document, sticker: a media id for GET /{media-id}; never a public URL to rely on. */
export const mediaSchema = z.looseObject({
  id: z.string().min(1),
  mime_type: z.string().optional(),
  caption: z.string().optional(),
  filename: z.string().optional(),
  /** Audio only: true for a voice note recorded in the app (type stays "audio"). */
  voice: z.boolean().optional(),
  animated: z.boolean().optional(),
  file_size: z.number().optional(),
});

export const locationSchema = z.looseObject({
  latitude: z.number(),
  longitude: z.number(),
  name: z.string().optional(),
  address: z.string().optional(),
});

export const sharedContactsSchema = z.array(
  z.looseObject({
    name: z.looseObject({ formatted_name: z.string().optional(), first_name: z.string().optional(), last_name: z.string().optional() }).optional(),
    phones: z.array(z.looseObject({ phone: z.string().optional(), wa_id: z.string().optional() })).optional(),
  }),
);

export const interactiveSchema = z.looseObject({
  type: z.string(),
  button_reply: z.looseObject({ id: z.string().optional(), title: z.string() }).optional(),
  list_reply: z.looseObject({ id: z.string().optional(), title: z.string(), description: z.string().optional() }).optional(),
  /** WhatsApp Flows: the form's answers are JSON in response_json; body is the summary the user saw. */
  nfm_reply: z.looseObject({ name: z.string().optional(), body: z.string().optional(), response_json: z.string().optional() }).optional(),
});

/** A tap on a template's quick-reply button. */
export const buttonSchema = z.looseObject({ text: z.string(), payload: z.string().optional() });

export const reactionSchema = z.looseObject({ message_id: z.string(), emoji: z.string().optional() });

export const systemSchema = z.looseObject({
  body: z.string().optional(),
  type: z.string().optional(),
  wa_id: z.string().optional(),
  new_wa_id: z.string().optional(),
});

export const editSchema = z.looseObject({
  original_message_id: z.string().min(1),
  message: z.looseObject({ type: z.string() }),
});

export const revokeSchema = z.looseObject({ original_message_id: z.string().min(1) });

export const orderSchema = z.looseObject({
  text: z.string().optional(),
  product_items: z.array(z.unknown()).optional(),
});

export const unsupportedSchema = z.looseObject({ type: z.string().optional() });
