import { Writable } from 'node:stream';
import { FakeConnectorService } from '../../connectors/botframework/testing/fake-connector-service';
import { TEST_APP_ID, TEST_APP_PASSWORD } from '../../connectors/botframework/testing/test-tokens';
import { FakeTelegramBotApi } from '../../connectors/telegram/testing/fake-bot-api';
import { FakeViberApi } from '../../connectors/viber/testing/fake-viber-api';
import { TEST_AUTH_TOKEN } from '../../connectors/viber/testing/harness';
import { FakeGraphApi } from '../../connectors/whatsapp-cloud/testing/fake-graph-api';
import { TEST_CREDENTIALS, TEST_PHONE_NUMBER_ID } from '../../connectors/whatsapp-cloud/testing/harness';
import { createLogger } from '../../src/logging/logger';
import { ApiClient, randomBotToken, startTestParley, type TestParley } from '../support/parley';

/**
 * Connecting, editing and deleting channel accounts against the platforms' fakes: credentials are checked with
 * the platform (refused in words, never echoed, never logged), the same account cannot be connected twice,
 * unknown keys are refused by name, and deleting removes the webhook where the platform allows it.
 */
let app: TestParley;
let admin: ApiClient;
const log: string[] = [];
const fakes: Array<{ stop(): Promise<void> }> = [];

beforeAll(async () => {
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      log.push(chunk.toString('utf8'));
      done();
    },
  });
  app = await startTestParley({}, { logger: createLogger('trace', sink) });
  admin = await ApiClient.login(app.url);
});

afterAll(async () => {
  await app?.stop();
  await Promise.all(fakes.map((f) => f.stop()));
});

async function telegram(token = randomBotToken()): Promise<FakeTelegramBotApi> {
  const fake = new FakeTelegramBotApi(token);
  await fake.start();
  fakes.push(fake);
  return fake;
}

const createTelegram = (fake: FakeTelegramBotApi, botToken = fake.token, name = 'Obsługa klienta') =>
  admin.post('/api/v1/channels', { type: 'telegram', name, credentials: { botToken }, settings: { apiRoot: fake.url } });

const countChannels = async () => Number((await app.parley.ctx.ds.query('SELECT count(*) AS n FROM channels WHERE deleted_at IS NULL'))[0].n);

describe('Telegram', () => {
  test('a token Telegram refuses is 422 in words, with the token in neither the answer nor the log, and nothing stored', async () => {
    const fake = await telegram();
    const wrong = randomBotToken();
    const before = await countChannels();
    const res = await createTelegram(fake, wrong);
    expect(res.status).toBe(422);
    expect(res.body.error).toBe('Telegram refused the bot token: Unauthorized');
    expect(JSON.stringify(res.body)).not.toContain(wrong.split(':')[1]);
    expect(log.join('')).not.toContain(wrong.split(':')[1]);
    expect(fake.callsTo(/\/getMe$/)).toHaveLength(1);
    expect(await countChannels()).toBe(before);
  });

  test('a created channel shows its webhook URL and generated secret once; a read afterwards shows the bot, never a secret', async () => {
    const fake = await telegram();
    const res = await createTelegram(fake);
    expect(res.status).toBe(201);
    const secret = res.body.generatedCredentials.webhookSecret;
    expect(secret).toMatch(/^[\w-]{43}$/);
    const id = fake.token.split(':')[0];
    expect(res.body.channel).toMatchObject({ name: 'Obsługa klienta', account: { externalId: id, displayName: '@parley_test_bot' } });
    expect(res.body.channel.webhookUrl).toMatch(/^https:\/\/parley\.example\.test\/webhooks\/[\w-]+$/);
    for (const read of [await admin.get(`/api/v1/channels/${res.body.channel.id}`), await admin.get('/api/v1/channels')]) {
      expect(read.status).toBe(200);
      const text = JSON.stringify(read.body);
      expect(text).not.toContain(secret);
      expect(text).not.toContain(fake.token.split(':')[1]);
    }
    expect((await admin.get(`/api/v1/channels/${res.body.channel.id}`)).body.channel.account).toEqual({ externalId: id, displayName: '@parley_test_bot' });
  });

  test('the same bot cannot be connected twice (409, naming the channel); once deleted, it can be again', async () => {
    const fake = await telegram();
    const first = await createTelegram(fake, fake.token, 'Pierwszy');
    expect(first.status).toBe(201);
    const second = await createTelegram(fake, fake.token, 'Drugi');
    expect(second.status).toBe(409);
    expect(second.body.error).toContain('"Pierwszy"');
    expect((await admin.request('DELETE', `/api/v1/channels/${first.body.channel.id}`)).status).toBe(200);
    expect((await createTelegram(fake, fake.token, 'Trzeci')).status).toBe(201);
  });

  test('deleting a channel deletes its webhook at Telegram, and says so', async () => {
    const fake = await telegram();
    const channel = (await createTelegram(fake)).body.channel;
    expect((await admin.post(`/api/v1/channels/${channel.id}/register-webhook`)).status).toBe(200);
    expect(fake.webhookUrl).toBe(channel.webhookUrl);
    const deleted = await admin.request('DELETE', `/api/v1/channels/${channel.id}`);
    expect(deleted.status).toBe(200);
    expect(deleted.body).toEqual({ deleted: true, webhook: { status: 'removed', message: 'Telegram no longer delivers to this channel.' } });
    expect(fake.callsTo(/\/deleteWebhook$/)).toHaveLength(1);
    expect(fake.webhookUrl).toBeUndefined();
    expect((await admin.get(`/api/v1/channels/${channel.id}`)).status).toBe(404);
  });

  test('a platform error on delete does not keep the channel', async () => {
    const fake = await telegram();
    const channel = (await createTelegram(fake)).body.channel;
    fake.failNext({ status: 500, body: { ok: false, error_code: 500, description: 'Internal Server Error' } });
    const deleted = await admin.request('DELETE', `/api/v1/channels/${channel.id}`);
    expect(deleted.status).toBe(200);
    expect(deleted.body.webhook.status).toBe('failed');
    expect(deleted.body.webhook.message).toContain('Internal Server Error');
    expect((await admin.get(`/api/v1/channels/${channel.id}`)).status).toBe(404);
  });

  test('new credentials are checked again: a refused token changes nothing, a good one moves the channel to its bot', async () => {
    const fake = await telegram();
    const channel = (await createTelegram(fake)).body.channel;
    const wrong = randomBotToken();
    const refused = await admin.patch(`/api/v1/channels/${channel.id}`, { credentials: { botToken: wrong } });
    expect(refused.status).toBe(422);
    expect(refused.body.error).toBe('Telegram refused the bot token: Unauthorized');
    expect(JSON.stringify(refused.body)).not.toContain(wrong.split(':')[1]);

    // The new bot's Bot API; the old one's fake answers for the old token only.
    const other = await telegram();
    const moved = await admin.patch(`/api/v1/channels/${channel.id}`, {
      name: 'Nowy bot — Ünnepi ügyfélszolgálat',
      credentials: { botToken: other.token },
      settings: { apiRoot: other.url },
    });
    expect(moved.status).toBe(200);
    expect(moved.body.channel).toMatchObject({ name: 'Nowy bot — Ünnepi ügyfélszolgálat', account: { externalId: other.token.split(':')[0] } });
    expect(other.callsTo(/\/getMe$/)).toHaveLength(1);

    // A rename alone asks nothing.
    expect((await admin.patch(`/api/v1/channels/${channel.id}`, { name: 'Бот підтримки' })).status).toBe(200);
    expect(other.callsTo(/\/getMe$/)).toHaveLength(1);

    // Credentials of a bot connected elsewhere.
    const taken = await telegram();
    expect((await createTelegram(taken, taken.token, 'Zajęty')).status).toBe(201);
    const clash = await admin.patch(`/api/v1/channels/${channel.id}`, { credentials: { botToken: taken.token }, settings: { apiRoot: taken.url } });
    expect(clash.status).toBe(409);
    expect(clash.body.error).toContain('"Zajęty"');
    expect((await admin.get(`/api/v1/channels/${channel.id}`)).body.channel.account.externalId).toBe(other.token.split(':')[0]);
  });

  test('a Bot API that cannot be reached is 502 and nothing is stored', async () => {
    const fake = await telegram();
    await fake.stop();
    const before = await countChannels();
    const res = await createTelegram(fake);
    expect(res.status).toBe(502);
    expect(res.body.error).toMatch(/^Could not check the credentials with Telegram: .+ Nothing was saved; try again\.$/);
    expect(await countChannels()).toBe(before);
  });
});

describe('unknown keys are refused by name', () => {
  test('a misspelt setting, an unknown credential, an unknown top-level key', async () => {
    const fake = await telegram();
    const setting = await admin.post('/api/v1/channels', {
      type: 'telegram',
      name: 'x',
      credentials: { botToken: fake.token },
      settings: { apiRot: fake.url },
    });
    expect(setting.status).toBe(400);
    expect(setting.body.details).toEqual([{ path: 'settings', message: expect.stringContaining('"apiRot"') }]);
    const credential = await admin.post('/api/v1/channels', {
      type: 'telegram',
      name: 'x',
      credentials: { botToken: fake.token, botTokn: 'x' },
      settings: { apiRoot: fake.url },
    });
    expect(credential.status).toBe(400);
    expect(credential.body.details).toEqual([{ path: 'credentials', message: expect.stringContaining('"botTokn"') }]);
    const top = await admin.post('/api/v1/channels', { type: 'telegram', name: 'x', credentials: { botToken: fake.token }, setings: {} });
    expect(top.status).toBe(400);
    expect(JSON.stringify(top.body.details)).toContain('"setings\\"');
    // None of them asked Telegram.
    expect(fake.calls).toHaveLength(0);

    const channel = (await createTelegram(fake)).body.channel;
    const patch = await admin.patch(`/api/v1/channels/${channel.id}`, { settings: { timeoutMS: 5000 } });
    expect(patch.status).toBe(400);
    expect(patch.body.details[0].message).toContain('"timeoutMS"');
  });
});

describe('the other platforms', () => {
  test('Viber: get_account_info checks the token (status 2 refused in words); deleting sets an empty webhook', async () => {
    const fake = new FakeViberApi(TEST_AUTH_TOKEN, 'pa:5555000011112222');
    await fake.start();
    fakes.push(fake);
    const wrong = 'aaaabbbbccccdddd-eeeeffff00001111-2222333344445555';
    const create = (authToken: string) =>
      admin.post('/api/v1/channels', { type: 'viber', name: 'Viber', credentials: { authToken }, settings: { apiBaseUrl: fake.url, senderName: 'Pomoc' } });
    const refused = await create(wrong);
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatch(/^Viber refused the auth token: the channel's Viber auth token is not valid/);
    expect(JSON.stringify(refused.body)).not.toContain(wrong);
    const created = await create(TEST_AUTH_TOKEN);
    expect(created.status).toBe(201);
    expect(created.body.channel.account).toEqual({ externalId: 'pa:5555000011112222', displayName: 'Parley Test Bot (parleytestbot)' });
    expect((await create(TEST_AUTH_TOKEN)).status).toBe(409);
    expect((await admin.post(`/api/v1/channels/${created.body.channel.id}/register-webhook`)).status).toBe(200);
    expect(fake.webhookUrl).toBe(created.body.channel.webhookUrl);
    const deleted = await admin.request('DELETE', `/api/v1/channels/${created.body.channel.id}`);
    expect(deleted.body.webhook.status).toBe('removed');
    expect(fake.callsTo(/set_webhook$/).at(-1)!.json).toEqual({ url: '' });
    expect(fake.webhookUrl).toBeUndefined();
  });

  test('WhatsApp Cloud: the phone number is checked; an unknown one and a bad token are refused in words; delete says to remove it at Meta', async () => {
    const fake = new FakeGraphApi(TEST_CREDENTIALS.accessToken, TEST_PHONE_NUMBER_ID);
    await fake.start();
    fakes.push(fake);
    const create = (accessToken: string, phoneNumberId: string) =>
      admin.post('/api/v1/channels', {
        type: 'whatsapp_cloud',
        name: 'WhatsApp',
        credentials: { accessToken, appSecret: TEST_CREDENTIALS.appSecret },
        settings: { apiBaseUrl: fake.apiBaseUrl, phoneNumberId },
      });
    const badToken = await create('EAAGnotTheRightTokenAtAll0123456789', TEST_PHONE_NUMBER_ID);
    expect(badToken.status).toBe(422);
    expect(badToken.body.error).toMatch(/^WhatsApp refused the access token: /);
    expect(JSON.stringify(badToken.body)).not.toContain('EAAGnotTheRightTokenAtAll0123456789');
    const unknownNumber = await create(TEST_CREDENTIALS.accessToken, '5550001112223');
    expect(unknownNumber.status).toBe(422);
    expect(unknownNumber.body.error).toBe('WhatsApp knows no phone number with the ID 5550001112223 that this access token may use');
    const created = await create(TEST_CREDENTIALS.accessToken, TEST_PHONE_NUMBER_ID);
    expect(created.status).toBe(201);
    expect(created.body.channel.account).toEqual({ externalId: TEST_PHONE_NUMBER_ID, displayName: 'Parley Test (+48 22 123 45 67)' });
    const deleted = await admin.request('DELETE', `/api/v1/channels/${created.body.channel.id}`);
    expect(deleted.body.webhook).toEqual({
      status: 'manual',
      message: "WhatsApp (Cloud API) offers no way to remove the webhook from here: remove it on the platform's side.",
    });
  });

  test('Bot Framework: a token from the configured login URL checks the app id and password', async () => {
    const fake = new FakeConnectorService();
    await fake.start();
    fakes.push(fake);
    const create = (appPassword: string) =>
      admin.post('/api/v1/channels', { type: 'botframework', name: 'Teams', credentials: { appId: TEST_APP_ID, appPassword }, settings: fake.settings() });
    const refused = await create('not-the-app-password');
    expect(refused.status).toBe(422);
    expect(refused.body.error).toBe('Microsoft Entra ID refused the app ID and password: could not get a Bot Framework token (HTTP 401, invalid_client)');
    const created = await create(TEST_APP_PASSWORD);
    expect(created.status).toBe(201);
    expect(created.body.channel.account.externalId).toBe(TEST_APP_ID);
    expect((await create(TEST_APP_PASSWORD)).status).toBe(409);
    // An app id without a password is a combination the connector refuses, in words.
    const incomplete = await admin.post('/api/v1/channels', {
      type: 'botframework',
      name: 'Teams',
      credentials: { appId: TEST_APP_ID },
      settings: fake.settings(),
    });
    expect(incomplete.status).toBe(422);
    expect(incomplete.body.error).toMatch(/needs appId and appPassword/);
  });
});

test('no secret of this run reached the log', () => {
  const text = log.join('');
  expect(text.length).toBeGreaterThan(0);
  for (const secret of [TEST_AUTH_TOKEN, TEST_CREDENTIALS.accessToken, TEST_APP_PASSWORD, 'not-the-app-password']) expect(text).not.toContain(secret);
});
