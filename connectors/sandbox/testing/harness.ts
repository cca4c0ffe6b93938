import { join } from 'node:path';
import type { WebhookRequest } from '../../contract';
import type { ConformanceHarness } from '../../conformance/harness';
import { outboundOf } from '../../shared/testing/outbound';
import { sandboxConnector } from '../index';
import { SIGNATURE_HEADER } from '../schema';
import { sandboxSignature } from '../signature';
import { FakeSandboxPlatform } from './fake-sandbox-platform';

export const TEST_SANDBOX_SECRET = 'sandbox-test-secret-0123456789abcdefghij';

function request(body: Buffer, signature?: string): WebhookRequest {
  const headers: WebhookRequest['headers'] = { 'content-type': 'application/json' };
  if (signature !== undefined) headers[SIGNATURE_HEADER] = signature;
  return { method: 'POST', headers, query: {}, rawBody: body };
}

export const harness: ConformanceHarness = {
  name: 'sandbox',
  definition: sandboxConnector,
  fixturesDir: join(__dirname, '..', 'fixtures'),
  async setup() {
    const fake = new FakeSandboxPlatform();
    const apiRoot = await fake.start();
    const connector = sandboxConnector.create({
      id: 'c1',
      name: 'sandbox',
      webhookId: 'w1sandbox',
      credentials: { signingSecret: TEST_SANDBOX_SECRET },
      settings: { apiRoot, timeoutMs: 5000 },
    });
    return { connector, fake, teardown: () => fake.stop() };
  },
  signedRequest: (body) => request(body, sandboxSignature(TEST_SANDBOX_SECRET, body)),
  forgedRequest: (body) => request(body, sandboxSignature('another-secret-0123456789abcdefghijklmn', body)),
  unsignedRequest: (body) => request(body),
  unknownKindPayload: Buffer.from(JSON.stringify({ events: [{ type: 'typing', customerId: 'c-1' }] })),
  outboundText: () => outboundOf({ messageId: 'm1', threadExternalId: 'cust-1', recipientExternalId: 'cust-1', text: 'Hello from Parley' }),
  outboundMedia: () =>
    outboundOf({
      messageId: 'm2',
      threadExternalId: 'cust-1',
      recipientExternalId: 'cust-1',
      text: 'the invoice',
      media: { kind: 'document', data: Buffer.from('%PDF-1.4 fake'), fileName: 'invoice.pdf', mimeType: 'application/pdf' },
    }),
  injectRateLimit: (fake, seconds) => void (fake as FakeSandboxPlatform).rateLimitNext(seconds),
  injectServerError: (fake) => void (fake as FakeSandboxPlatform).serverErrorNext(),
  injectPermanentError: (fake) => void (fake as FakeSandboxPlatform).blockNext(),
  expectedPlatformMessageId: (fake) => (fake as FakeSandboxPlatform).peekNextId(),
};
