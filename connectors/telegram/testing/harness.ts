import { join } from 'node:path';
import type { WebhookRequest } from '../../contract';
import type { ConformanceHarness } from '../../conformance/harness';
import { telegramConnector } from '../index';
import { FakeTelegramBotApi } from './fake-bot-api';
import { outboundOf } from '../../shared/testing/outbound';

export const TEST_BOT_TOKEN = '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw';
export const TEST_WEBHOOK_SECRET = 'test-secret-token-0123456789';

function request(body: Buffer, secret?: string): WebhookRequest {
  const headers: WebhookRequest['headers'] = { 'content-type': 'application/json' };
  if (secret !== undefined) headers['x-telegram-bot-api-secret-token'] = secret;
  return { method: 'POST', headers, query: {}, rawBody: body };
}

export const harness: ConformanceHarness = {
  name: 'telegram',
  definition: telegramConnector,
  fixturesDir: join(__dirname, '..', 'fixtures'),
  async setup() {
    const fake = new FakeTelegramBotApi(TEST_BOT_TOKEN);
    const apiRoot = await fake.start();
    const connector = telegramConnector.create({
      id: 'c1',
      name: 'test bot',
      webhookId: 'w1',
      credentials: { botToken: TEST_BOT_TOKEN, webhookSecret: TEST_WEBHOOK_SECRET },
      settings: { apiRoot, timeoutMs: 5000 },
    });
    return { connector, fake, teardown: () => fake.stop() };
  },
  signedRequest: (body) => request(body, TEST_WEBHOOK_SECRET),
  forgedRequest: (body) => request(body, 'not-the-secret-token-000000'),
  unsignedRequest: (body) => request(body),
  fixtureRequest(fixture) {
    // Files under message_objects/ are bare Message objects: wrap them in an Update as Telegram sends them.
    const body = fixture.file.startsWith('message_objects/')
      ? Buffer.from(JSON.stringify({ update_id: 1, message: JSON.parse(fixture.raw.toString('utf8')) }))
      : fixture.raw;
    return request(body, TEST_WEBHOOK_SECRET);
  },
  unknownKindPayload: Buffer.from(JSON.stringify({ update_id: 5, chat_boost: { chat: { id: 1, type: 'channel' } } })),
  outboundText: () => outboundOf({ messageId: 'm1', threadExternalId: '4242', recipientExternalId: '4242', text: 'Hello from Parley' }),
  outboundMedia: () =>
    outboundOf({
      messageId: 'm2',
      threadExternalId: '4242',
      recipientExternalId: '4242',
      text: 'the invoice',
      media: { kind: 'document', data: Buffer.from('%PDF-1.4 fake'), fileName: 'invoice.pdf', mimeType: 'application/pdf' },
    }),
  injectRateLimit: (fake, seconds) => void (fake as FakeTelegramBotApi).rateLimitNext(seconds),
  injectServerError: (fake) => void (fake as FakeTelegramBotApi).serverErrorNext(),
  injectPermanentError: (fake) => void (fake as FakeTelegramBotApi).blockNext(),
  expectedPlatformMessageId: (fake) => String((fake as FakeTelegramBotApi).peekNextMessageId()),
  refuseCredentials: (fake) => void fake.failNext({ status: 401, body: { ok: false, error_code: 401, description: 'Unauthorized' } }),
  secrets: [TEST_BOT_TOKEN, TEST_BOT_TOKEN.split(':')[1], TEST_WEBHOOK_SECRET],
};
