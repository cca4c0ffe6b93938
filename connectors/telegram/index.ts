import { randomBytes } from 'node:crypto';
import type { ConnectorDefinition } from '../contract';
import { telegramCredentialsSchema, telegramSettingsSchema, type TelegramCredentials, type TelegramSettings } from './schema';
import { TELEGRAM_CAPTION_LIMIT, TelegramConnector } from './telegram-connector';

export const telegramConnector: ConnectorDefinition<TelegramCredentials, TelegramSettings> = {
  type: 'telegram',
  displayName: 'Telegram',
  capabilities: {
    webhook: true,
    outboundMedia: true,
    // The Bot API reports no delivery or read receipts: a message is `sent` once Telegram accepts it.
    deliveryReceipts: false,
    readReceipts: false,
    replyWindowHours: null,
    maxOutboundMediaBytes: 50 * 1024 * 1024,
    maxTextLength: 4096,
    // Telegram counts UTF-16 code units of the text after entity parsing (we send none): a 😀 counts 2
    // (https://core.telegram.org/api/entities#entity-length, https://core.telegram.org/bots/api#sendmessage).
    maxCaptionLength: TELEGRAM_CAPTION_LIMIT,
    textLengthUnit: 'utf16',
    outboundKinds: ['text', 'media'],
    // https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this
    rateLimits: { perThread: { count: 1, perMs: 1000 }, perAccount: { count: 30, perMs: 1000 } },
  },
  credentialsSchema: telegramCredentialsSchema,
  settingsSchema: telegramSettingsSchema,
  registersWebhook: true,
  generateCredentials: () => ({ webhookSecret: randomBytes(32).toString('base64url') }),
  create: (account) => new TelegramConnector(account),
};

export { parseTelegramUpdate } from './parse-update';
