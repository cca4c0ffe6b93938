import { join } from 'node:path';
import type { WebhookRequest } from '../../contract';
import type { ConformanceHarness } from '../../conformance/harness';
import { hmacSha256Hex } from '../../shared/signature';
import { viberConnector } from '../index';
import type { ViberSettings } from '../schema';
import { FakeViberApi } from './fake-viber-api';
import { outboundOf } from '../../shared/testing/outbound';

export const TEST_AUTH_TOKEN = '4453b6ac12345678-e02c5f12174805f9-daec9cbb5448c51f';
export const TEST_USER_ID = 'jc9HsWTZ2Yf2NkRZ8KcNug==';
/** A link shaped like the core's signed media URL (src/media/signed-url.ts). */
export const testMediaUrl = (name: string) =>
  `https://parley.example.com/media/0b6f2c1e-5d7a-4c8e-9f3b-2a1d4e6f8a90/${encodeURIComponent(name)}?expires=1900000000&signature=c2lnbmF0dXJl`;

/** A request as Viber sends it: the signature is the hex HMAC-SHA256 of the body keyed with the token. */
export function viberRequest(body: Buffer, signature?: string): WebhookRequest {
  const headers: WebhookRequest['headers'] = { 'content-type': 'application/json' };
  if (signature !== undefined) headers['x-viber-content-signature'] = signature;
  return { method: 'POST', headers, query: {}, rawBody: body };
}

/** A connector wired to a running fake; `settings` override the test defaults. */
export async function startViber(settings: Partial<ViberSettings> = {}, authToken = TEST_AUTH_TOKEN) {
  const fake = new FakeViberApi(TEST_AUTH_TOKEN);
  const apiBaseUrl = await fake.start();
  const connector = viberConnector.create({
    id: 'c1',
    name: 'test bot',
    webhookId: 'w1',
    credentials: { authToken },
    settings: { apiBaseUrl, timeoutMs: 5000, senderName: 'Parley Support', ...settings },
  });
  return { connector, fake, teardown: () => fake.stop() };
}

export const harness: ConformanceHarness = {
  name: 'viber',
  definition: viberConnector,
  fixturesDir: join(__dirname, '..', 'fixtures'),
  setup: () => startViber(),
  signedRequest: (body) => viberRequest(body, hmacSha256Hex(TEST_AUTH_TOKEN, body)),
  forgedRequest: (body) => viberRequest(body, hmacSha256Hex('another-bots-token-0000000000000000', body)),
  unsignedRequest: (body) => viberRequest(body),
  unknownKindPayload: Buffer.from(`{"event":"client_status","timestamp":1457764197627,"message_token":4912661846655238145,"user_id":"${TEST_USER_ID}"}`),
  outboundText: () => outboundOf({ messageId: 'm1', threadExternalId: TEST_USER_ID, recipientExternalId: TEST_USER_ID, text: 'Hello from Parley' }),
  // A picture with a short caption is one Viber message, so the fake's next token is the one returned.
  outboundMedia: () =>
    outboundOf({
      messageId: 'm2',
      threadExternalId: TEST_USER_ID,
      recipientExternalId: TEST_USER_ID,
      text: 'your receipt',
      media: { kind: 'image', data: Buffer.from('\x89PNG fake'), fileName: 'receipt.png', mimeType: 'image/png', url: testMediaUrl('receipt.png') },
    }),
  injectRateLimit: (fake, seconds) => void (fake as FakeViberApi).rateLimitNext(seconds),
  injectServerError: (fake) => void (fake as FakeViberApi).serverErrorNext(),
  injectPermanentError: (fake) => void (fake as FakeViberApi).notSubscribedNext(),
  expectedPlatformMessageId: (fake) => (fake as FakeViberApi).peekNextMessageToken(),
  refuseCredentials: (fake) => void (fake as FakeViberApi).statusNext(2, 'invalidAuthToken', () => true),
  secrets: [TEST_AUTH_TOKEN],
};
