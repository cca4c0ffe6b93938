import type { ConnectorDefinition } from '../contract';
import { BotFrameworkConnector } from './botframework-connector';
import { MAX_INLINE_MEDIA_BYTES } from './outbound';
import {
  botframeworkCredentialsSchema,
  botframeworkSettingsSchema,
  type BotframeworkCredentials,
  type BotframeworkSettings,
} from './schema';

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
  },
  credentialsSchema: botframeworkCredentialsSchema,
  settingsSchema: botframeworkSettingsSchema,
  create: (account) => new BotFrameworkConnector(account),
};

export { parseActivity } from './parse-activity';
export { BotFrameworkConnector } from './botframework-connector';
