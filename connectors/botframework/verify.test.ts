import { FakePlatformServer } from '../shared/testing/fake-platform';
import { botframeworkConnector } from './index';
import { FakeConnectorService } from './testing/fake-connector-service';
import { request } from './testing/harness';
import { TEST_APP_ID, TEST_APP_PASSWORD, channelToken, confusedToken, emulatorToken, unsignedToken } from './testing/test-tokens';
import type { BotframeworkSettings } from './schema';

/**
 * Inbound authentication through the real SDK (ConfigurationBotFrameworkAuthentication) against a fake OpenID
 * metadata + JWKS server on 127.0.0.1. A token signed by the fake's key passes only if every claim fits.
 */
let fake: FakeConnectorService;

beforeAll(async () => {
  fake = new FakeConnectorService();
  await fake.start();
});
afterAll(() => fake.stop());

// The SDK logs the key PEM and the error when a signature fails: expected noise here.
beforeEach(() => jest.spyOn(console, 'error').mockImplementation(() => undefined));
afterEach(() => jest.restoreAllMocks());

const SERVICE_URL = 'https://smba.trafficmanager.net/amer/';

function connector(settings: Partial<BotframeworkSettings> = {}, credentials = { appId: TEST_APP_ID, appPassword: TEST_APP_PASSWORD, tenantId: '' }) {
  return botframeworkConnector.create({ id: 'c', name: 'bf', webhookId: 'w', credentials, settings: fake.settings(settings) });
}

function activity(overrides: Record<string, unknown> = {}): Buffer {
  return Buffer.from(
    JSON.stringify({
      type: 'message',
      id: '1571691217375',
      channelId: 'msteams',
      serviceUrl: SERVICE_URL,
      from: { id: '29:user', name: 'Tien' },
      recipient: { id: '28:bot', name: 'Parley' },
      conversation: { id: 'a:1' },
      text: 'hi',
      ...overrides,
    }),
  );
}

const bearer = (token: string) => `Bearer ${token}`;

describe('a channel token', () => {
  test('is accepted, with keys fetched from the configured metadata URL (never login.botframework.com)', async () => {
    expect(await connector().verify(request(activity(), bearer(channelToken({ serviceUrl: SERVICE_URL }))))).toBe(true);
    expect(fake.callsTo(/^\/v1\/\.well-known\/openidconfiguration$/).length).toBeGreaterThan(0);
    expect(fake.callsTo(/^\/v1\/\.well-known\/keys$/).length).toBeGreaterThan(0);
  });

  test.each([
    ['signed by another key', bearer(channelToken({ serviceUrl: SERVICE_URL, forged: true }))],
    ['for another bot (audience)', bearer(channelToken({ serviceUrl: SERVICE_URL, audience: '11111111-2222-3333-4444-555555555555' }))],
    ['for another serviceUrl', bearer(channelToken({ serviceUrl: 'https://evil.example/' }))],
    ['without a serviceurl claim', bearer(channelToken())],
    ['expired beyond the 5-minute skew', bearer(channelToken({ serviceUrl: SERVICE_URL, expiresIn: -600 }))],
    ['from another issuer', bearer(channelToken({ serviceUrl: SERVICE_URL, issuer: 'https://evil.example' }))],
    ['with an unknown key id', bearer(channelToken({ serviceUrl: SERVICE_URL, kid: 'other-kid' }))],
    ['unsigned (alg none)', bearer(unsignedToken(SERVICE_URL))],
    ['HMAC-signed with the public key (algorithm confusion)', bearer(confusedToken(SERVICE_URL))],
    ['in another scheme', `Basic ${channelToken({ serviceUrl: SERVICE_URL })}`],
    ['missing', undefined],
    ['empty', ''],
  ])('is refused when %s', async (_what, header) => {
    expect(await connector().verify(request(activity(), header))).toBe(false);
  });

  test('is refused for a channel its key is not endorsed for', async () => {
    const body = activity({ channelId: 'telegram' });
    expect(await connector().verify(request(body, bearer(channelToken({ serviceUrl: SERVICE_URL }))))).toBe(false);
    // The same token on an endorsed channel passes: the endorsement, not the token, made the difference.
    expect(await connector().verify(request(activity({ channelId: 'facebook' }), bearer(channelToken({ serviceUrl: SERVICE_URL }))))).toBe(true);
  });

  test('does not vouch for a body that is not an activity or has no serviceUrl', async () => {
    const token = bearer(channelToken({ serviceUrl: SERVICE_URL }));
    expect(await connector().verify(request(Buffer.from('{not json'), token))).toBe(false);
    expect(await connector().verify(request(activity({ serviceUrl: undefined }), token))).toBe(false);
  });

  test('is refused for the AseChannel without any key lookup (its SDK path is hard-wired to Entra)', async () => {
    const before = fake.calls.length;
    const body = activity({ channelId: 'AseChannel' });
    expect(await connector().verify(request(body, bearer(channelToken({ serviceUrl: SERVICE_URL }))))).toBe(false);
    expect(fake.calls.length).toBe(before);
  });
});

describe('an Emulator token', () => {
  test('is checked against the configured Emulator metadata URL', async () => {
    expect(await connector().verify(request(activity({ channelId: 'emulator' }), bearer(emulatorToken())))).toBe(true);
    expect(fake.callsTo(/^\/emulator\/discovery\/v2\.0\/keys$/).length).toBeGreaterThan(0);
    expect(await connector().verify(request(activity({ channelId: 'emulator' }), bearer(emulatorToken({ forged: true }))))).toBe(false);
  });
});

describe('key server trouble', () => {
  test('a metadata server that never answers fails verification within the timeout', async () => {
    const silent = new FakePlatformServer().route('GET', /.*/, () => new Promise(() => undefined));
    const url = await silent.start();
    try {
      const c = connector({ openIdMetadataUrl: `${url}/v1/.well-known/openidconfiguration`, timeoutMs: 1000 });
      const started = Date.now();
      expect(await c.verify(request(activity(), bearer(channelToken({ serviceUrl: SERVICE_URL }))))).toBe(false);
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      await silent.stop();
    }
  });
});

describe('switching authentication off', () => {
  const dev = { appId: '', appPassword: '', tenantId: '' };

  test('is possible only explicitly, and then accepts requests without a token', async () => {
    const c = connector({ allowUnauthenticated: true }, dev);
    expect(await c.verify(request(activity({ channelId: 'emulator', serviceUrl: 'http://localhost:50000' })))).toBe(true);
  });

  test('never happens silently: an empty app id without the setting is a configuration error', () => {
    expect(() => connector({}, dev)).toThrow(/allowUnauthenticated is for local development only/);
    expect(() => connector({}, { appId: TEST_APP_ID, appPassword: '', tenantId: '' })).toThrow(/appPassword/);
  });

  test('the setting with an app id is contradictory, not a way to weaken a production bot', () => {
    expect(() => connector({ allowUnauthenticated: true })).toThrow(/clear appId or the setting/);
  });
});
