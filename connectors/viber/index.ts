import type { ConnectorDefinition } from '../contract';
import { viberCredentialsSchema, viberSettingsSchema, VIBER_TEXT_MAX, type ViberCredentials, type ViberSettings } from './schema';
import { FILE_MAX_BYTES, PICTURE_CAPTION_MAX } from './outbound';
import { ViberConnector } from './viber-connector';

export const viberConnector: ConnectorDefinition<ViberCredentials, ViberSettings> = {
  type: 'viber',
  displayName: 'Viber',
  capabilities: {
    webhook: true,
    // By URL only: Viber fetches the file from the signed link the core gives (OutboundMedia.url).
    outboundMedia: true,
    deliveryReceipts: true,
    readReceipts: true,
    // No reply window; instead at most 100 messages per user per hour until the user replies (status 12).
    replyWindowHours: null,
    maxOutboundMediaBytes: FILE_MAX_BYTES,
    maxTextLength: VIBER_TEXT_MAX,
    // Only a picture takes a caption (768); the text follows any other file as its own message.
    maxCaptionLength: PICTURE_CAPTION_MAX,
    // Viber documents "characters" without saying which; its clients are Java/Objective-C, whose strings count
    // UTF-16 code units, and this connector has always counted `.length`.
    textLengthUnit: 'utf16',
    outboundKinds: ['text', 'media'],
  },
  credentialsSchema: viberCredentialsSchema,
  settingsSchema: viberSettingsSchema,
  registersWebhook: true,
  // Nothing to generate: Viber signs callbacks with the auth token itself.
  create: (account) => new ViberConnector(account),
};

export { parseViberCallback, parseViberWebhookBody, CONVERSATION_STARTED_REASON } from './parse-callback';
export { ViberConnector } from './viber-connector';
