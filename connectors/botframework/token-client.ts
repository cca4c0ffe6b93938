import { ConnectorError } from '../contract';
import { errorForStatus, platformFetch, tryJson } from '../shared/http';

/**
 * The bot's own access token for the Connector API: OAuth 2.0 client credentials against Entra ID
 * (https://learn.microsoft.com/azure/bot-service/rest-api/bot-framework-rest-connector-authentication#bot-to-connector).
 *
 * Not the SDK's MicrosoftAppCredentials: those go through MSAL, which refuses any authority that is not https and
 * looks authorities up at login.microsoftonline.com first, so the login endpoint could not really be configured
 * (a private cloud, a fake on 127.0.0.1 in tests). The request itself is one documented form POST.
 */
export interface TokenClientOptions {
  loginUrl: string;
  tenant: string;
  appId: string;
  appPassword: string;
  scope: string;
  timeoutMs: number;
}

/** Refresh this long before expiry, as the SDK does, so a token never expires in flight. */
const EARLY_REFRESH_MS = 5 * 60 * 1000;

export class TokenClient {
  private cached?: { token: string; refreshAt: number };
  private pending?: Promise<string>;

  constructor(private readonly opts: TokenClientOptions) {}

  get tokenUrl(): string {
    return `${this.opts.loginUrl.replace(/\/+$/, '')}/${encodeURIComponent(this.opts.tenant)}/oauth2/v2.0/token`;
  }

  /** A valid token; concurrent callers share one request. */
  async getToken(now = Date.now()): Promise<string> {
    if (this.cached && now < this.cached.refreshAt) return this.cached.token;
    this.pending ??= this.fetchToken().finally(() => (this.pending = undefined));
    return this.pending;
  }

  /** After a 401 from the Connector API: the next call fetches a fresh token. */
  invalidate(): void {
    this.cached = undefined;
  }

  private async fetchToken(): Promise<string> {
    const res = await platformFetch({
      url: this.tokenUrl,
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: this.opts.appId,
        client_secret: this.opts.appPassword,
        scope: `${this.opts.scope.replace(/\/+$/, '')}/.default`,
      }).toString(),
      timeoutMs: this.opts.timeoutMs,
    });
    const body = tryJson(res.text) as { access_token?: unknown; expires_in?: unknown; error?: unknown } | undefined;
    if (res.status === 200 && typeof body?.access_token === 'string') {
      const lifetimeMs = (typeof body.expires_in === 'number' ? body.expires_in : Number(body.expires_in) || 3600) * 1000;
      this.cached = { token: body.access_token, refreshAt: Date.now() + Math.max(0, lifetimeMs - EARLY_REFRESH_MS) };
      return body.access_token;
    }
    // Entra answers 400/401 `invalid_client` for a wrong app id or secret: retrying cannot fix configuration.
    // The body may echo the client id, never the secret; only its error code goes into the message.
    const code = typeof body?.error === 'string' ? body.error : String(res.status);
    const message = `could not get a Bot Framework token (HTTP ${res.status}, ${code})`;
    if (res.status === 429 || res.status >= 500) {
      throw errorForStatus(res.status, message, { retryAfter: res.headers.get('retry-after'), code: 'token_unavailable' });
    }
    throw ConnectorError.permanent(message, { code: 'token_rejected' });
  }
}
