import { randomBytes } from 'node:crypto';
import type { ConnectorDefinition } from '../contract';
import { CAPTION_LIMIT, MAX_MEDIA_BYTES, REPLY_WINDOW_HOURS, TEXT_LIMIT } from './outbound';
import { whatsappCloudCredentialsSchema, whatsappCloudSettingsSchema, type WhatsAppCloudCredentials, type WhatsAppCloudSettings } from './schema';
import { WhatsAppCloudConnector } from './whatsapp-cloud-connector';

export const whatsappCloudConnector: ConnectorDefinition<WhatsAppCloudCredentials, WhatsAppCloudSettings> = {
  type: 'whatsapp_cloud',
  displayName: 'WhatsApp (Cloud API)',
  capabilities: {
    webhook: true,
    outboundMedia: true,
    deliveryReceipts: true,
    // Only when the customer has read receipts switched on; otherwise the last status is `delivered`.
    readReceipts: true,
    replyWindowHours: REPLY_WINDOW_HOURS,
    // Documents; images stop at 5 MB, audio and video at 16 MB (checked per file when sending).
    maxOutboundMediaBytes: MAX_MEDIA_BYTES,
    maxTextLength: TEXT_LIMIT,
    maxCaptionLength: CAPTION_LIMIT,
    // Meta documents "characters"; counted as code points, so an emoji is one character as the customer sees it.
    textLengthUnit: 'codepoint',
    // `template` is declared by the contract; sending approved templates is not built yet.
    outboundKinds: ['text', 'media'],
  },
  // Meta batches up to 1,000 updates in one POST; its docs put a webhook payload at up to 3 MB.
  maxWebhookBytes: 3 * 1024 * 1024,
  credentialsSchema: whatsappCloudCredentialsSchema,
  settingsSchema: whatsappCloudSettingsSchema,
  registersWebhook: true,
  // The admin pastes this into Meta's webhook form; Meta echoes it in the GET verification.
  generateCredentials: () => ({ verifyToken: randomBytes(32).toString('base64url') }),
  create: (account) => new WhatsAppCloudConnector(account),
};

export { parseWhatsAppWebhook } from './parse-webhook';
