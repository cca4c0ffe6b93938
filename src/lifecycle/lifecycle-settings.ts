import { z } from 'zod';

/**
 * A resolved conversation a customer writes to again within this many hours is reopened (the same thread, its
 * history and its agent); after it, the customer starts a new conversation. A week: a "thank you" the next
 * morning or a follow-up a few days later belongs to the case it answers; a message weeks later is a new case.
 */
export const DEFAULT_REOPEN_WITHIN_HOURS = 168;

/** Each setting with its bounds, without a default: a change names only what it changes. */
const fields = {
  reopenWithinHours: z
    .number()
    .int()
    .min(0)
    .max(24 * 366)
    .meta({ description: 'A customer writing this long after the conversation was resolved reopens it; later, a new conversation starts. 0: never reopen.' }),
  idleResolveAfterMinutes: z
    .number()
    .int()
    .min(1)
    .max(60 * 24 * 366)
    .nullable()
    .meta({
      description:
        'Resolve an open or pending conversation after this many minutes in which nobody wrote, when the last word was ours (or it is pending). null: off.',
    }),
  closingMessage: z.boolean().meta({ description: 'Send the inbox’s closing message (automatic) when an idle conversation is resolved.' }),
};

/** An inbox's lifecycle, as admins set it. Stored in channels.lifecycle; a missing key takes its default. */
export const lifecycleSettingsSchema = z
  .object({
    reopenWithinHours: fields.reopenWithinHours.default(DEFAULT_REOPEN_WITHIN_HOURS),
    idleResolveAfterMinutes: fields.idleResolveAfterMinutes.default(null),
    closingMessage: fields.closingMessage.default(false),
  })
  .strict();

/**
 * A change: the keys given replace the stored ones. No defaults here (`lifecycleSettingsSchema.partial()` would
 * keep them, and a change of one key would put the others back to their defaults).
 */
export const lifecycleChangeSchema = z.object(fields).partial().strict();

export type LifecycleSettings = z.infer<typeof lifecycleSettingsSchema>;

// Built once, not per call (see routing-settings.ts).
const lenient = lifecycleSettingsSchema.strip();

/** Stored settings, read leniently: a key an older version wrote is ignored rather than breaking the sweep. */
export function readLifecycleSettings(stored: unknown): LifecycleSettings {
  const parsed = lenient.safeParse(stored ?? {});
  return parsed.success ? parsed.data : lifecycleSettingsSchema.parse({});
}
