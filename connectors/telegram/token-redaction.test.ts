import { ConnectorError } from '../contract';
import { outboundOf } from '../shared/testing/outbound';
import { redactBotToken } from './errors';
import { telegramConnector } from './index';
import { FakeTelegramBotApi } from './testing/fake-bot-api';
import { TEST_BOT_TOKEN, TEST_WEBHOOK_SECRET } from './testing/harness';

/** A Bot API (or a proxy in front of it) answering a non-JSON body below 500 must not put the token in our errors. */
describe('the bot token never reaches an error message', () => {
  const fake = new FakeTelegramBotApi(TEST_BOT_TOKEN);
  let connector: ReturnType<typeof telegramConnector.create>;

  beforeAll(async () => {
    const apiRoot = await fake.start();
    connector = telegramConnector.create({
      id: 'c1',
      name: 'test bot',
      webhookId: 'w1',
      credentials: { botToken: TEST_BOT_TOKEN, webhookSecret: TEST_WEBHOOK_SECRET },
      settings: { apiRoot, timeoutMs: 5000 },
    });
  });
  afterAll(() => fake.stop());

  async function failure(run: () => Promise<unknown>): Promise<ConnectorError> {
    const err = await run().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ConnectorError);
    const e = err as ConnectorError;
    for (const text of [e.message, e.stack ?? '', JSON.stringify(e)]) {
      expect(text).not.toContain(TEST_BOT_TOKEN);
      expect(text).not.toContain(TEST_BOT_TOKEN.split(':')[1]);
    }
    return e;
  }

  test('send', async () => {
    fake.nonJsonNext(400);
    const e = await failure(() => connector.send(outboundOf({ messageId: 'm1', threadExternalId: '4242', recipientExternalId: '4242', text: 'Dzień dobry' })));
    expect(e.message).toMatch(/not JSON/);
  });

  test('downloadMedia, at getFile and at the file download', async () => {
    fake.nonJsonNext(400);
    await failure(() => connector.downloadMedia!('f1'));
    fake.files.set('f2', { data: Buffer.from('x'), path: 'photos/f2.jpg' });
    fake.nonJsonNext(404, (c) => c.path.startsWith('/file/'));
    await failure(() => connector.downloadMedia!('f2'));
  });

  test('registerWebhook', async () => {
    fake.nonJsonNext(400);
    await failure(() => connector.registerWebhook!('https://parley.example.test/webhooks/w1'));
  });

  test('any error text naming a Bot API URL is cleaned', () => {
    expect(redactBotToken(`request to http://x/bot${TEST_BOT_TOKEN}/getMe failed`, TEST_BOT_TOKEN)).toBe('request to http://x/bot[redacted]/getMe failed');
    expect(redactBotToken('at /file/bot42:abc-DEF_1/a.jpg', 'other')).toBe('at /file/bot[redacted]/a.jpg');
  });
});
