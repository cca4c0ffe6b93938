import { z } from 'zod';

/** Viber's limit on `sender.name` (https://creators.viber.com/docs/bots-api/data-models/message). */
export const VIBER_SENDER_NAME_MAX = 28;
/** Viber's limit on a text message. */
export const VIBER_TEXT_MAX = 7000;

export const viberCredentialsSchema = z.object({
  /**
   * The bot's "app key" (Viber app: More > Settings > Bots > Edit Info, or the Viber Admin Panel). It authenticates
   * our API calls (X-Viber-Auth-Token) and is also the HMAC key Viber signs callbacks with.
   */
  authToken: z
    .string()
    .regex(/^[A-Za-z0-9_-]{20,200}$/, 'a Viber auth token looks like 4453b6ac12345678-e02c5f12174805f9-...')
    .meta({ title: 'Auth token', description: "The bot's app key: Viber Admin Panel, or in the app More → Settings → Bots → Edit info." }),
});

export const viberSettingsSchema = z.object({
  /** Viber's REST API root; configurable for proxies and for the fake server in tests. */
  apiBaseUrl: z
    .url({ protocol: /^https?$/ })
    .default('https://chatapi.viber.com')
    .meta({ title: 'API base URL', description: "Viber's REST API root (a proxy's, if you use one)." }),
  /** How long one API call may take before it counts as a timeout (and is retried). */
  timeoutMs: z.number().int().min(1000).max(120_000).default(15_000).meta({ title: 'Timeout (ms)', description: 'How long one API call may take.' }),
  /** Every outgoing message must name its sender; shown to the customer above the message. */
  senderName: z
    .string()
    .trim()
    .min(1, 'the sender name is required')
    .max(VIBER_SENDER_NAME_MAX, `Viber allows at most ${VIBER_SENDER_NAME_MAX} characters`)
    .meta({ title: 'Sender name', description: `Shown to the customer above every message (at most ${VIBER_SENDER_NAME_MAX} characters).` }),
  /** Optional sender avatar (Viber: at most 100 KB, 720x720 recommended). */
  senderAvatarUrl: z
    .url({ protocol: /^https?$/ })
    .optional()
    .meta({ title: 'Sender avatar URL', description: 'Optional picture beside the sender name (at most 100 KB).' }),
  /** Answered in the HTTP response to `conversation_started`: the one message Viber allows before a subscription. */
  welcomeMessage: z
    .string()
    .trim()
    .min(1)
    .max(VIBER_TEXT_MAX)
    .optional()
    .meta({ title: 'Welcome message', description: 'Sent when someone opens a chat with the bot, before they subscribe.' }),
  // No media setting: Viber takes media by public URL only, and the core gives each attachment a signed link
  // (OutboundMedia.url). A `publicMediaBaseUrl` left in an older channel's settings is dropped when parsed.
});

export type ViberCredentials = z.infer<typeof viberCredentialsSchema>;
export type ViberSettings = z.infer<typeof viberSettingsSchema>;
