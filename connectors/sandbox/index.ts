import { randomBytes } from 'node:crypto';
import type { ConnectorDefinition } from '../contract';
import { SandboxConnector } from './sandbox-connector';
import { SANDBOX_TEXT_MAX, sandboxCredentialsSchema, sandboxSettingsSchema, type SandboxCredentials, type SandboxSettings } from './schema';

/** A channel to try Parley with, no platform account needed: the customer simulator writes through it. */
export const sandboxConnector: ConnectorDefinition<SandboxCredentials, SandboxSettings> = {
  type: 'sandbox',
  displayName: 'Sandbox',
  capabilities: {
    webhook: true,
    outboundMedia: true,
    deliveryReceipts: true,
    readReceipts: true,
    replyWindowHours: null,
    maxOutboundMediaBytes: 5 * 1024 * 1024,
    maxTextLength: SANDBOX_TEXT_MAX,
    maxCaptionLength: SANDBOX_TEXT_MAX,
    textLengthUnit: 'codepoint',
    outboundKinds: ['text', 'media'],
  },
  credentialsSchema: sandboxCredentialsSchema,
  settingsSchema: sandboxSettingsSchema,
  generateCredentials: () => ({ signingSecret: randomBytes(32).toString('base64url') }),
  create: (account) => new SandboxConnector(account),
};

export { parseSandboxWebhook } from './parse-webhook';
export { sandboxSignature, verifySandboxSignature } from './signature';
export { SIGNATURE_HEADER as SANDBOX_SIGNATURE_HEADER, sandboxSendSchema, type SandboxSend } from './schema';
