import { join } from 'node:path';
import type { ChannelAccount, OutboundMessage, WebhookRequest } from '../../contract';
import type { ConformanceHarness } from '../../conformance/harness';
import { metaSignature } from '../../shared/meta';
import { whatsappCloudConnector } from '../index';
import type { WhatsAppCloudCredentials, WhatsAppCloudSettings } from '../schema';
import { FakeGraphApi } from './fake-graph-api';
import { outboundOf, type ReplyFields } from '../../shared/testing/outbound';

export const TEST_PHONE_NUMBER_ID = '1122334455667';
export const TEST_CREDENTIALS: WhatsAppCloudCredentials = {
  accessToken: 'EAAGtestaccesstoken0123456789abcdef',
  appSecret: '0123456789abcdef0123456789abcdef',
  verifyToken: 'parley-verify-token-0123456789',
};

export function signedWebhook(body: Buffer, secret = TEST_CREDENTIALS.appSecret): WebhookRequest {
  return webhook(body, metaSignature(secret, body));
}

export function webhook(body: Buffer, signature?: string): WebhookRequest {
  const headers: WebhookRequest['headers'] = { 'content-type': 'application/json' };
  if (signature !== undefined) headers['x-hub-signature-256'] = signature;
  return { method: 'POST', headers, query: {}, rawBody: body };
}

/** A reply to a customer who wrote a minute ago: well inside the 24-hour window. */
export function outbound(overrides: Partial<ReplyFields> = {}): OutboundMessage {
  return outboundOf({
    messageId: 'm1',
    threadExternalId: '972987654321',
    recipientExternalId: '972987654321',
    text: 'Hello from Parley',
    lastInboundAt: new Date(Date.now() - 60_000),
    ...overrides,
  });
}

/** A channel account for the test number, talking to the API at `apiBaseUrl`. */
export function testAccount(
  apiBaseUrl: string,
  settings: Partial<WhatsAppCloudSettings> = {},
  credentials: Partial<WhatsAppCloudCredentials> = {},
): ChannelAccount<WhatsAppCloudCredentials, WhatsAppCloudSettings> {
  return {
    id: 'c1',
    name: 'test number',
    webhookId: 'w1',
    credentials: { ...TEST_CREDENTIALS, ...credentials },
    settings: { apiBaseUrl, phoneNumberId: TEST_PHONE_NUMBER_ID, timeoutMs: 5000, ...settings },
  };
}

export async function startFake(settings: Partial<WhatsAppCloudSettings> = {}) {
  const fake = new FakeGraphApi(TEST_CREDENTIALS.accessToken, TEST_PHONE_NUMBER_ID);
  await fake.start();
  const account = testAccount(fake.apiBaseUrl, settings);
  return { fake, account, connector: whatsappCloudConnector.create(account) };
}

export const harness: ConformanceHarness = {
  name: 'whatsapp-cloud',
  definition: whatsappCloudConnector,
  fixturesDir: join(__dirname, '..', 'fixtures'),
  async setup() {
    const { fake, connector } = await startFake();
    return { connector, fake, teardown: () => fake.stop() };
  },
  signedRequest: (body) => signedWebhook(body),
  forgedRequest: (body) => signedWebhook(body, 'fedcba9876543210fedcba9876543210'),
  unsignedRequest: (body) => webhook(body),
  // A valid webhook for a field Parley does not subscribe to (template status updates).
  unknownKindPayload: Buffer.from(
    JSON.stringify({
      object: 'whatsapp_business_account',
      entry: [{ id: '1', changes: [{ field: 'message_template_status_update', value: { event: 'APPROVED', message_template_id: 1 } }] }],
    }),
  ),
  outboundText: () => outbound(),
  outboundMedia: () =>
    outbound({
      messageId: 'm2',
      text: 'the invoice',
      media: { kind: 'document', data: Buffer.from('%PDF-1.4 fake'), fileName: 'invoice.pdf', mimeType: 'application/pdf' },
    }),
  injectRateLimit: (fake, seconds) => void (fake as FakeGraphApi).rateLimitNext(seconds),
  injectServerError: (fake) => void (fake as FakeGraphApi).serverErrorNext(),
  injectPermanentError: (fake) => void (fake as FakeGraphApi).undeliverableNext(),
  expectedPlatformMessageId: (fake) => (fake as FakeGraphApi).peekNextMessageId(),
  refuseCredentials: (fake) =>
    void (fake as FakeGraphApi).graphErrorNext(401, 190, 'Invalid OAuth access token - Cannot parse access token', undefined, () => true),
  secrets: Object.values(TEST_CREDENTIALS),
};
