import { z } from 'zod';

/**
 * Public-cloud Bot Framework endpoints (botframework-connector's AuthenticationConstants; schema.test.ts checks
 * they still match the SDK). Every one is a setting: sovereign clouds use other hosts, tests use a fake on
 * 127.0.0.1. Copied rather than imported so this file (and the API that returns settings) stays SDK-free.
 */
export const PUBLIC_CLOUD = {
  openIdMetadataUrl: 'https://login.botframework.com/v1/.well-known/openidconfiguration',
  emulatorOpenIdMetadataUrl: 'https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration',
  tokenIssuer: 'https://api.botframework.com',
  loginUrl: 'https://login.microsoftonline.com',
  oAuthScope: 'https://api.botframework.com',
  oAuthUrl: 'https://api.botframework.com',
  /** The tenant multi-tenant bots get their outbound token from. */
  defaultTenant: 'botframework.com',
} as const;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const botframeworkCredentialsSchema = z.object({
  /**
   * The Azure Bot resource's Microsoft App ID. Empty only together with settings.allowUnauthenticated (local
   * development with the Emulator): BotFrameworkConnector refuses any other combination.
   */
  appId: z
    .union([z.literal(''), z.string().regex(GUID, 'the Microsoft App ID is a GUID')])
    .meta({ title: 'Microsoft App ID', description: "The Azure Bot resource's app ID (a GUID)." }),
  /** The app registration's client secret ("password"). */
  appPassword: z.string().default('').meta({ title: 'App password', description: "The app registration's client secret." }),
  /** Entra tenant of a single-tenant bot; empty for the (deprecated) multi-tenant kind, which uses botframework.com. */
  tenantId: z
    .union([z.literal(''), z.string().regex(GUID, 'the tenant id is a GUID')])
    .default('')
    .meta({ title: 'Tenant ID', description: 'For a single-tenant bot; empty for a multi-tenant one.' }),
});

const url = () => z.url({ protocol: /^https?$/ });

export const botframeworkSettingsSchema = z.object({
  /**
   * Local development only: accept unauthenticated requests and send without a token. Requires an empty appId,
   * mirroring the SDK, which switches authentication off exactly when the app id is empty.
   */
  allowUnauthenticated: z
    .boolean()
    .default(false)
    .meta({ title: 'Allow unauthenticated (development only)', description: 'For the Bot Framework Emulator, with an empty app ID.' }),
  /** SDK setting ToBotFromChannelOpenIdMetadataUrl: where the keys that sign channel tokens are published. */
  openIdMetadataUrl: url().default(PUBLIC_CLOUD.openIdMetadataUrl).meta({ title: 'Channel OpenID metadata URL' }),
  /** SDK setting ToBotFromEmulatorOpenIdMetadataUrl: keys for tokens the Emulator gets from Entra ID. */
  emulatorOpenIdMetadataUrl: url().default(PUBLIC_CLOUD.emulatorOpenIdMetadataUrl).meta({ title: 'Emulator OpenID metadata URL' }),
  /** SDK setting ToBotFromChannelTokenIssuer: the `iss` of channel tokens. */
  tokenIssuer: z.string().min(1).default(PUBLIC_CLOUD.tokenIssuer).meta({ title: 'Channel token issuer' }),
  /** Entra login host; the outbound token comes from `<loginUrl>/<tenant>/oauth2/v2.0/token` (ToChannelFromBotLoginUrl). */
  loginUrl: url()
    .default(PUBLIC_CLOUD.loginUrl)
    .meta({ title: 'Login URL', description: 'Microsoft Entra ID host: tokens come from <login URL>/<tenant>/oauth2/v2.0/token.' }),
  /** SDK setting ToChannelFromBotOAuthScope: audience of the outbound token (`<scope>/.default`). */
  oAuthScope: z.string().min(1).default(PUBLIC_CLOUD.oAuthScope).meta({ title: 'OAuth scope' }),
  /** SDK setting OAuthUrl (user-token service). Parley does not use user sign-in; kept so no SDK default leaks in. */
  oAuthUrl: url().default(PUBLIC_CLOUD.oAuthUrl).meta({ title: 'OAuth URL' }),
  /**
   * Hosts (exact, or a suffix starting with a dot) whose attachment URLs need the bot's token, such as Teams'
   * inline images. The token is never sent anywhere else: Messenger's CDN URLs are public.
   */
  mediaTokenHosts: z
    .array(z.string().min(1))
    .default(['smba.trafficmanager.net', '.botframework.com', '.asm.skype.com'])
    .meta({ title: 'Hosts that get the bot token for attachments', description: 'Exact hosts, or suffixes starting with a dot.' }),
  /** How long one HTTP call (token, send, metadata) may take before it counts as a timeout. */
  timeoutMs: z.number().int().min(1000).max(120_000).default(15_000).meta({ title: 'Timeout (ms)', description: 'How long one HTTP call may take.' }),
});

export type BotframeworkCredentials = z.infer<typeof botframeworkCredentialsSchema>;
export type BotframeworkSettings = z.infer<typeof botframeworkSettingsSchema>;
