import { CallerIdConstants, ConfigurationBotFrameworkAuthentication, type Activity } from 'botbuilder';
import { PUBLIC_CLOUD, type BotframeworkCredentials, type BotframeworkSettings } from './schema';

/**
 * The one file that calls the Bot Framework SDK (archived; support ended 31 Dec 2025). It validates the JWT the
 * channel puts on every inbound request. Moving to the Microsoft 365 Agents SDK means rewriting this file only:
 * parsing, sending and tokens are plain HTTP and JSON elsewhere in this folder.
 *
 * The SDK checks: Bearer scheme, issuer (channel or Emulator), RS256/384/512 signature against keys from the
 * configured OpenID metadata, expiry (5 min skew), audience = our app id, the `serviceurl` claim = the activity's
 * serviceUrl, and the key's endorsements include the activity's channelId.
 */
export interface InboundAuthenticator {
  /** Resolves true only when the SDK accepts the header for this activity; never throws. */
  authenticate(activity: { channelId: string; serviceUrl: string }, authHeader: string): Promise<boolean>;
}

export function createInboundAuthenticator(
  credentials: Pick<BotframeworkCredentials, 'appId' | 'tenantId'>,
  settings: BotframeworkSettings,
): InboundAuthenticator {
  const tenant = credentials.tenantId || PUBLIC_CLOUD.defaultTenant;
  // Once any endpoint is given, BotFrameworkAuthenticationFactory uses all of them exactly as given (no public-cloud
  // fallback per field), so every one is set from our settings. The app password is not handed over: the SDK only
  // authenticates here, it never sends (see token-client.ts for why).
  const auth = new ConfigurationBotFrameworkAuthentication({
    MicrosoftAppId: credentials.appId,
    MicrosoftAppTenantId: credentials.tenantId,
    ToBotFromChannelOpenIdMetadataUrl: settings.openIdMetadataUrl,
    ToBotFromEmulatorOpenIdMetadataUrl: settings.emulatorOpenIdMetadataUrl,
    ToBotFromChannelTokenIssuer: settings.tokenIssuer,
    ToChannelFromBotLoginUrl: `${stripSlash(settings.loginUrl)}/${tenant}`,
    ToChannelFromBotOAuthScope: settings.oAuthScope,
    OAuthUrl: settings.oAuthUrl,
    CallerId: CallerIdConstants.PublicAzureChannel,
    ValidateAuthority: true,
  });

  return {
    async authenticate(activity, authHeader) {
      try {
        // The SDK fetches metadata with no time limit of its own: a hanging key server must not hang the webhook.
        await withTimeout(auth.authenticateRequest(activity as Activity, authHeader), settings.timeoutMs);
        return true;
      } catch {
        // Forged, expired, wrong audience/serviceUrl/endorsement, or keys unreachable: all are "not verified".
        return false;
      }
    },
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Bot Framework authentication took longer than ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function stripSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
