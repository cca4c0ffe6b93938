import { join } from 'node:path';
import type { ConnectorSessionSupport, SessionInbound } from '../contract';
import type { WhatsAppWebCredentials, WhatsAppWebSettings } from './schema';
import type { WhatsAppSession, WhatsAppSessionRegistry } from './session';
import { ackEnvelope, messageEnvelope, signedSessionRequest, type SessionEventEnvelope } from './session-events';
import { wwebjsSessionFactory } from './wwebjs-session';

/**
 * Disconnect reasons after which reconnecting cannot help: the phone unlinked this device (LOGOUT, UNPAIRED),
 * the QR code was never scanned, or WhatsApp banned the number. The admin pairs again with a restart.
 */
const TERMINAL_REASONS = new Set(['LOGOUT', 'UNPAIRED', 'UNPAIRED_IDLE', 'TOS_BLOCK', 'SMB_TOS_BLOCK', 'Max qrcode retries reached']);

/** How the core's session runtime runs WhatsApp Web accounts (ConnectorDefinition.session). */
export function whatsappWebSessionSupport(
  registry: WhatsAppSessionRegistry,
): ConnectorSessionSupport<WhatsAppWebCredentials, WhatsAppWebSettings, WhatsAppSession> {
  return {
    // Pairings live in <DATA_DIR>/whatsapp-web, where they always have: moving them would unpair every phone.
    create: (account, env) => wwebjsSessionFactory({ dataPath: join(env.dataDir, 'whatsapp-web'), chromiumPath: env.chromiumPath })(account),
    forwardInbound(session, account, deliver) {
      // Signed at the moment of forwarding, with the account's secret as it is then.
      const forward = (envelope: SessionEventEnvelope) => deliver(inbound(account().credentials.sessionSecret, envelope));
      session.on('message', (message) => forward(messageEnvelope(session.channelId, message)));
      session.on('message_ack', (id, ack) => forward(ackEnvelope(session.channelId, id, ack)));
    },
    terminalReasons: TERMINAL_REASONS,
    registry,
  };
}

function inbound(secret: string, envelope: SessionEventEnvelope): SessionInbound {
  return { request: signedSessionRequest(secret, JSON.stringify(envelope)), event: envelope.event, messageId: idOf(envelope) };
}

/** The message id of an event, for logs (never the payload itself). */
function idOf(envelope: SessionEventEnvelope): string | undefined {
  const id = envelope.payload.id as unknown;
  if (typeof id === 'string') return id;
  const serialized = (id as { _serialized?: unknown } | undefined)?._serialized;
  return typeof serialized === 'string' ? serialized : undefined;
}
