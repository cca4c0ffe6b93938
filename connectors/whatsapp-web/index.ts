import { randomBytes } from 'node:crypto';
import type { ConnectorDefinition } from '../contract';
import { whatsappWebCredentialsSchema, whatsappWebSettingsSchema, type WhatsAppWebCredentials, type WhatsAppWebSettings } from './schema';
import { defaultSessionRegistry, type SessionRegistry } from './session';
import { whatsappWebSessionSupport } from './session-support';
import { CAPTION_LIMIT, WhatsAppWebConnector } from './whatsapp-web-connector';

/** A definition whose connectors send through the sessions in `registry` (tests pass their own). */
export function createWhatsAppWebDefinition(registry: SessionRegistry): ConnectorDefinition<WhatsAppWebCredentials, WhatsAppWebSettings> {
  return {
    type: 'whatsapp_web',
    displayName: 'WhatsApp (WhatsApp Web, unofficial)',
    capabilities: {
      // Inbound comes from a session the core runs (`session` below), not from a webhook.
      webhook: false,
      outboundMedia: true,
      deliveryReceipts: true,
      readReceipts: true,
      // The 24-hour window is a Business Platform rule; a paired phone has none.
      replyWindowHours: null,
      // WhatsApp's limit for photos, videos and audio; files travel base64 through the browser, so no larger.
      maxOutboundMediaBytes: 16 * 1024 * 1024,
      maxTextLength: 65_536,
      maxCaptionLength: CAPTION_LIMIT,
      // Strings are JavaScript's inside the browser page: UTF-16 code units.
      textLengthUnit: 'utf16',
      outboundKinds: ['text', 'media'],
    },
    credentialsSchema: whatsappWebCredentialsSchema,
    settingsSchema: whatsappWebSettingsSchema,
    generateCredentials: () => ({ sessionSecret: randomBytes(32).toString('base64url') }),
    create: (account) => new WhatsAppWebConnector(account, registry),
    // Inbound comes from a live session per account, which the core's session runtime runs.
    session: whatsappWebSessionSupport(registry),
  };
}

/** The registry entry: sends go through the sessions the core's session runtime registers by default. */
export const whatsappWebConnector = createWhatsAppWebDefinition(defaultSessionRegistry);

export { parseSessionEvent } from './parse-event';
export { signedSessionRequest, SESSION_SIGNATURE_HEADER, type SessionEventEnvelope } from './session-events';
export { defaultSessionRegistry, SessionRegistry, WhatsAppSessionError, type WhatsAppSession, type WhatsAppSessionEvents } from './session';
export { wwebjsSessionFactory, WwebjsSession, type WwebjsRuntimeConfig } from './wwebjs-session';
export type { WhatsAppWebAccount, WhatsAppWebCredentials, WhatsAppWebSettings } from './schema';
