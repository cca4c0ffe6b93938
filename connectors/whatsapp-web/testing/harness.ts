import { join } from 'node:path';
import type { WebhookRequest } from '../../contract';
import type { ConformanceHarness } from '../../conformance/harness';
import { whatsappWebConnector } from '../index';
import { defaultSessionRegistry } from '../session';
import { signedSessionRequest, SESSION_SIGNATURE_HEADER } from '../session-events';
import { FakeWhatsAppSession } from './fake-session';
import { FakeWhatsAppWeb } from './fake-whatsapp-web';
import { outboundOf } from '../../shared/testing/outbound';

export const TEST_SESSION_SECRET = 'test-session-secret-0123456789abcdef';
export const TEST_CHANNEL_ID = 'wa-web-conformance';
const CUSTOMER = '4915112345678@c.us';

function request(body: Buffer, signature?: string): WebhookRequest {
  const headers: WebhookRequest['headers'] = { 'content-type': 'application/json' };
  if (signature !== undefined) headers[SESSION_SIGNATURE_HEADER] = signature;
  return { method: 'POST', headers, query: {}, rawBody: body };
}

/**
 * There is no HTTP platform behind WhatsApp Web: the connector sends through the channel's live session. Here
 * that is a FakeWhatsAppSession, registered where the exported definition looks sessions up, whose sends go to
 * a FakeWhatsAppWeb server, so the suite's failNext injections make the next send fail as WhatsApp would.
 */
export const harness: ConformanceHarness = {
  name: 'whatsapp-web',
  definition: whatsappWebConnector,
  fixturesDir: join(__dirname, '..', 'fixtures'),
  async setup() {
    const fake = new FakeWhatsAppWeb();
    const backendUrl = await fake.start();
    const session = new FakeWhatsAppSession(TEST_CHANNEL_ID, { backendUrl, readyOnStart: true });
    await session.start();
    defaultSessionRegistry.set(session);
    const connector = whatsappWebConnector.create({
      id: TEST_CHANNEL_ID,
      name: 'test phone',
      webhookId: 'unused-w1',
      credentials: { sessionSecret: TEST_SESSION_SECRET },
      settings: { ignoreGroups: false },
    });
    return {
      connector,
      fake,
      async teardown() {
        defaultSessionRegistry.delete(session);
        await session.stop();
        await fake.stop();
      },
    };
  },
  signedRequest: (body) => signedSessionRequest(TEST_SESSION_SECRET, body),
  forgedRequest: (body) => request(body, signedSessionRequest('another-channels-secret-0123456789ab', body).headers[SESSION_SIGNATURE_HEADER] as string),
  unsignedRequest: (body) => request(body),
  unknownKindPayload: Buffer.from(
    JSON.stringify({ event: 'group_join', session: TEST_CHANNEL_ID, payload: { id: { _serialized: 'false_1203630@g.us_ABC_4915112345678@c.us' } } }),
  ),
  outboundText: () => outboundOf({ messageId: 'm1', threadExternalId: CUSTOMER, recipientExternalId: CUSTOMER, text: 'Hello from Parley' }),
  outboundMedia: () =>
    outboundOf({
      messageId: 'm2',
      threadExternalId: CUSTOMER,
      recipientExternalId: CUSTOMER,
      text: 'the invoice',
      media: { kind: 'document', data: Buffer.from('%PDF-1.4 fake'), fileName: 'invoice.pdf', mimeType: 'application/pdf' },
    }),
  injectRateLimit: (fake, seconds) => void (fake as FakeWhatsAppWeb).rateLimitNext(seconds),
  injectServerError: (fake) => void (fake as FakeWhatsAppWeb).serverErrorNext(),
  injectPermanentError: (fake) => void (fake as FakeWhatsAppWeb).notOnWhatsAppNext(),
  expectedPlatformMessageId: (fake) => (fake as FakeWhatsAppWeb).peekNextMessageId(CUSTOMER),
};
