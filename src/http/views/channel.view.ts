import { z } from 'zod';
import type { ConnectorCapabilities } from '../../../connectors/contract';
import { shippedConnectors } from '../../../connectors/registry';
import type { Channel } from '../../database/entities';
import { dateTime } from './wire';

/**
 * The channel types Parley ships, read from the connector registry: a new connector documents itself. A process
 * started with another registry serves its own list (withChannelTypes in build-document.ts replaces this one).
 */
export const SHIPPED_CHANNEL_TYPES: readonly string[] = shippedConnectors.types();

export function channelTypeSchema() {
  return z.string().meta({ enum: [...SHIPPED_CHANNEL_TYPES], description: 'The connector: one per platform.' });
}

const rateLimitSchema = z.object({ count: z.number().int(), perMs: z.number().int() });

/** Mirrors ConnectorCapabilities (connectors/contract.ts); channelView does not compile if they drift. */
export const capabilitiesSchema = z
  .object({
    webhook: z.boolean().meta({ description: 'Inbound arrives by webhook (false: by a session Parley runs, like WhatsApp Web).' }),
    outboundMedia: z.boolean(),
    deliveryReceipts: z.boolean(),
    readReceipts: z.boolean(),
    replyWindowHours: z
      .number()
      .nullable()
      .meta({ description: "Hours after the customer's last message during which free-form replies are allowed; null: no window." }),
    maxOutboundMediaBytes: z.number().int(),
    maxTextLength: z.number().int(),
    maxCaptionLength: z.number().int().meta({ description: 'A longer caption is sent as a text message of its own after the file.' }),
    textLengthUnit: z
      .enum(['utf16', 'codepoint', 'utf8'])
      .meta({ description: 'How the platform counts characters: UTF-16 code units, Unicode code points, or UTF-8 bytes.' }),
    outboundKinds: z
      .array(z.enum(['text', 'media', 'choices', 'template']))
      .meta({ description: 'The kinds of message this channel sends; the others are refused.' }),
    rateLimits: z.object({ perThread: rateLimitSchema.optional(), perAccount: rateLimitSchema.optional() }).optional(),
  })
  .meta({ id: 'ChannelCapabilities', description: 'What the channel can do, so a client can tell the agent.' });

export const channelSchema = z
  .object({
    id: z.uuid(),
    type: channelTypeSchema(),
    name: z.string(),
    settings: z.record(z.string(), z.unknown()).meta({ description: "The connector's non-secret settings (credentials are never returned)." }),
    webhookUrl: z.string().meta({ description: "Where the platform delivers: give it to the platform's dashboard or POST /channels/{id}/register-webhook." }),
    account: z
      .object({
        externalId: z.string().meta({ description: "The platform's id of the account (Telegram's bot id, the phone number id...)." }),
        displayName: z.string().meta({ description: 'What the platform calls it (`@parley_bot`).' }),
      })
      .nullable()
      .meta({
        description:
          'Whose credentials these are, as the platform said when they were checked; null for session channels (known once paired) and channels from before the check.',
      }),
    capabilities: capabilitiesSchema,
    createdAt: dateTime,
  })
  .meta({ id: 'Channel' });

export type ChannelJson = z.output<typeof channelSchema>;

/** Settings only: credentials never leave the server. */
export function channelView(c: Channel, publicUrl: string, capabilities: ConnectorCapabilities): ChannelJson {
  return {
    id: c.id,
    type: c.type,
    name: c.name,
    settings: c.settings,
    webhookUrl: `${publicUrl}/webhooks/${c.webhookId}`,
    account: c.externalId ? { externalId: c.externalId, displayName: c.accountName ?? c.externalId } : null,
    capabilities,
    createdAt: c.createdAt,
  };
}

/** Session-based channels (WhatsApp Web): the state a worker last published (SessionState in connectors/contract-session.ts). */
export const sessionStateSchema = z
  .object({
    status: z.enum(['starting', 'pairing', 'ready', 'disconnected', 'auth_failure', 'stopped']),
    qr: z.string().optional().meta({ description: 'While pairing: the code to scan (WhatsApp → Linked devices → Link a device).' }),
    reason: z.string().optional().meta({ description: 'Why it disconnected.' }),
    reconnectInMs: z.number().optional().meta({ description: 'Absent when it will not come back by itself: restart the session to pair again.' }),
    message: z.string().optional(),
    at: z.string().optional().meta({ description: 'When the state was published.' }),
  })
  .meta({ id: 'ChannelSession' });

/** GET /channel-types: what a client needs to build a channel form and to tell an agent the limits. */
export const channelTypeDescriptionSchema = z
  .object({
    type: z.string(),
    displayName: z.string(),
    capabilities: capabilitiesSchema,
    session: z.boolean().meta({ description: 'Accounts of this type run a session (GET /channels/{id}/session), not a webhook.' }),
    registersWebhook: z.boolean().meta({ description: 'Parley can set the webhook on the platform (POST /channels/{id}/register-webhook).' }),
    generatedCredentials: z
      .array(z.string())
      .meta({ description: 'Credentials Parley generates when they are left out; the create answer shows them once (`generatedCredentials`).' }),
    credentialsSchema: z.record(z.string(), z.unknown()).meta({
      description: 'JSON Schema of `credentials` on create (unknown keys are refused; generated ones may be left out). Every credential is a secret.',
    }),
    settingsSchema: z.record(z.string(), z.unknown()).meta({ description: 'JSON Schema of `settings` (unknown keys are refused).' }),
  })
  .meta({ id: 'ChannelType' });
