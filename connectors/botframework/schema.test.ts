import { AuthenticationConstants } from 'botframework-connector';
import { botframeworkCredentialsSchema, botframeworkSettingsSchema, PUBLIC_CLOUD } from './schema';

describe('settings', () => {
  test('default to the public-cloud endpoints the SDK itself uses', () => {
    // schema.ts copies these to stay SDK-free; this fails if a new SDK version moves an endpoint.
    const defaults = botframeworkSettingsSchema.parse({});
    expect(defaults.openIdMetadataUrl).toBe(AuthenticationConstants.ToBotFromChannelOpenIdMetadataUrl);
    expect(defaults.emulatorOpenIdMetadataUrl).toBe(AuthenticationConstants.ToBotFromEmulatorOpenIdMetadataUrl);
    expect(defaults.tokenIssuer).toBe(AuthenticationConstants.ToBotFromChannelTokenIssuer);
    expect(`${defaults.loginUrl}/`).toBe(AuthenticationConstants.ToChannelFromBotLoginUrlPrefix);
    expect(`${defaults.loginUrl}/${PUBLIC_CLOUD.defaultTenant}`).toBe(AuthenticationConstants.ToChannelFromBotLoginUrl);
    expect(defaults.oAuthScope).toBe(AuthenticationConstants.ToChannelFromBotOAuthScope);
    expect(defaults.oAuthUrl).toBe(AuthenticationConstants.OAuthUrl);
    expect(PUBLIC_CLOUD.defaultTenant).toBe(AuthenticationConstants.DefaultChannelAuthTenant);
  });

  test('keep authentication on unless switched off explicitly', () => {
    expect(botframeworkSettingsSchema.parse({}).allowUnauthenticated).toBe(false);
  });

  test('accept only http(s) endpoints', () => {
    expect(botframeworkSettingsSchema.safeParse({ openIdMetadataUrl: 'file:///etc/keys' }).success).toBe(false);
  });
});

describe('credentials', () => {
  test('the app id is a GUID (or empty, for local development)', () => {
    expect(botframeworkCredentialsSchema.safeParse({ appId: 'my-bot', appPassword: 'x' }).success).toBe(false);
    expect(botframeworkCredentialsSchema.parse({ appId: '' })).toEqual({ appId: '', appPassword: '', tenantId: '' });
    expect(botframeworkCredentialsSchema.safeParse({ appId: '3f2b6a1c-8d4e-4f5a-9b6c-7d8e9f0a1b2c', appPassword: 'x' }).success).toBe(true);
  });
});
