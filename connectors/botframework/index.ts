import type { ConnectorDefinition } from '../contract';
import { BotFrameworkConnector } from './botframework-connector';
import { MAX_INLINE_MEDIA_BYTES } from './outbound';
import { botframeworkCredentialsSchema, botframeworkSettingsSchema, type BotframeworkCredentials, type BotframeworkSettings } from './schema';

/** Facebook Messenger, Microsoft Teams, (consumer Skype, closed 5 May 2025) and Web Chat through one Azure Bot. */
export const botframeworkConnector: ConnectorDefinition<BotframeworkCredentials, BotframeworkSettings> = {
  type: 'botframework',
  displayName: 'Messenger / Teams (Bot Framework)',
  capabilities: {
    webhook: true,
    outboundMedia: true,
    // The Connector API answers with the activity id once accepted; no channel reports delivery to a bot.
    deliveryReceipts: false,
    // Teams personal chats only, when the Teams app has the RSC permission ChatMessageReadReceipt.Read.Chat and the
    // user and tenant have read receipts on. Messenger and Web Chat give none (README, "Receipts").
    readReceipts: true,
    // Messenger's 24-hour window applies to Messenger conversations only: send() enforces it per conversation
    // (replyContext.channelId === 'facebook'); Teams and Web Chat have none, so the account-wide value is null.
    replyWindowHours: null,
    maxOutboundMediaBytes: MAX_INLINE_MEDIA_BYTES,
    // Messenger's limit for a text message, the smallest of the channels served (Teams allows about 28 KB).
    maxTextLength: 2000,
    // Text and attachment travel in one activity: the "caption" is the activity's text.
    maxCaptionLength: 2000,
    // Messenger documents "2000 characters" of UTF-8 text without the unit; the Bot Framework service is .NET,
    // whose strings count UTF-16 code units, and so has this connector.
    textLengthUnit: 'utf16',
    outboundKinds: ['text', 'media'],
  },
  credentialsSchema: botframeworkCredentialsSchema,
  settingsSchema: botframeworkSettingsSchema,
  create: (account) => new BotFrameworkConnector(account),
};

export { parseActivity } from './parse-activity';
export { BotFrameworkConnector } from './botframework-connector';
