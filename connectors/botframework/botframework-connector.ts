import {
  ConnectorError,
  assertNever,
  textAndMedia,
  unsupportedKind,
  type AccountIdentity,
  type ChannelAccount,
  type Connector,
  type DownloadedMedia,
  type InboundEvent,
  type OutboundMessage,
  type OutboundOf,
  type SendResult,
  type WebhookRequest,
} from '../contract';
import { credentialsRefused } from '../shared/credentials';
import { parseJsonBody } from '../shared/json-body';
import { errorForStatus, platformFetch, tryJson, type PlatformResponse } from '../shared/http';
import { headerValue } from '../shared/signature';
import { mapConnectorFailure } from './errors';
import { checkReplyWindow, outgoingActivity, storedReference } from './outbound';
import { parseActivity } from './parse-activity';
import { PUBLIC_CLOUD, type BotframeworkCredentials, type BotframeworkSettings } from './schema';
import { createInboundAuthenticator, type InboundAuthenticator } from './sdk-auth';
import { TokenClient } from './token-client';

type Account = ChannelAccount<BotframeworkCredentials, BotframeworkSettings>;

/** One Azure Bot resource: Messenger, Teams, (Skype) and Web Chat conversations all arrive on its one endpoint. */
export class BotFrameworkConnector implements Connector {
  /** True only for an account explicitly configured for local development (allowUnauthenticated, no app id). */
  readonly authenticationDisabled: boolean;
  private readonly authenticator: InboundAuthenticator;
  private readonly tokens?: TokenClient;

  constructor(private readonly account: Account) {
    const { credentials, settings } = account;
    this.authenticationDisabled = authenticationMode(credentials, settings);
    this.authenticator = createInboundAuthenticator(credentials, settings);
    if (!this.authenticationDisabled) {
      this.tokens = new TokenClient({
        loginUrl: settings.loginUrl,
        tenant: credentials.tenantId || PUBLIC_CLOUD.defaultTenant,
        appId: credentials.appId,
        appPassword: credentials.appPassword,
        scope: settings.oAuthScope,
        timeoutMs: settings.timeoutMs,
      });
    }
  }

  /** The channel's JWT in `Authorization: Bearer`, checked by the SDK against this activity (see sdk-auth.ts). */
  async verify(req: WebhookRequest): Promise<boolean> {
    const activity = addressing(req.rawBody);
    if (!activity) return false;
    // The SDK validates "AseChannel" against a hard-coded Entra URL and process-wide state shared by all accounts:
    // Parley does not serve App Service Environment bots, so such a request is refused before it gets there.
    if (activity.channelId === 'AseChannel') return false;
    const header = headerValue(req.headers, 'authorization');
    if (!header && !this.authenticationDisabled) return false;
    return this.authenticator.authenticate(activity, header ?? '');
  }

  parse(req: WebhookRequest): InboundEvent[] {
    return parseActivity(parseJsonBody(req.rawBody));
  }

  /** POST {serviceUrl}/v3/conversations/{id}/activities, addressed by the stored conversation reference. */
  async send(out: OutboundMessage): Promise<SendResult> {
    switch (out.kind) {
      case 'text':
      case 'media':
        return this.sendActivity(out);
      case 'choices':
      case 'template':
        throw unsupportedKind(out);
      default:
        return assertNever(out);
    }
  }

  private async sendActivity(out: OutboundOf<'text'> | OutboundOf<'media'>): Promise<SendResult> {
    const ref = storedReference(out);
    checkReplyWindow(ref, out);
    const activity = JSON.stringify(outgoingActivity(ref, textAndMedia(out)));
    const url = `${ref.serviceUrl.replace(/\/+$/, '')}/v3/conversations/${encodeURIComponent(ref.conversation.id)}/activities`;
    let res = await this.post(url, activity);
    if (res.status === 401 && this.tokens) {
      // A token revoked or rotated before its expiry: one fresh token, one more try (a 401 posted nothing).
      this.tokens.invalidate();
      res = await this.post(url, activity);
    }
    if (res.status < 200 || res.status >= 300) throw mapConnectorFailure(res.status, res.text, res.headers.get('retry-after'));
    const id = (tryJson(res.text) as { id?: unknown } | undefined)?.id;
    // The ResourceResponse id is what edits and reactions refer to; a channel that returns none still delivered it.
    return { platformMessageId: typeof id === 'string' && id ? id : `parley:${out.messageId}`, status: 'sent' };
  }

  /**
   * An attachment's bytes. Messenger's CDN URLs are public; Teams' inline images need the bot's token, which is sent
   * only to the hosts in settings.mediaTokenHosts, over https (or to a loopback host in development).
   */
  async downloadMedia(mediaRef: string): Promise<DownloadedMedia> {
    const inline = /^data:([^;,]+)?(;base64)?,(.*)$/s.exec(mediaRef);
    if (inline) {
      const data = inline[2] ? Buffer.from(inline[3], 'base64') : Buffer.from(decodeURIComponent(inline[3]), 'utf8');
      return { data, mimeType: inline[1] };
    }
    let url: URL;
    try {
      url = new URL(mediaRef);
    } catch {
      throw ConnectorError.permanent('attachment reference is not a URL', { code: 'bad_ref' });
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw ConnectorError.permanent(`attachment URL scheme ${url.protocol} is not fetched`, { code: 'bad_ref' });
    }
    const headers: Record<string, string> = {};
    if (this.tokens && needsToken(url, this.account.settings.mediaTokenHosts)) {
      headers.authorization = `Bearer ${await this.tokens.getToken()}`;
    }
    const res = await platformFetch({ url: url.toString(), headers, timeoutMs: this.account.settings.timeoutMs });
    if (res.status !== 200) {
      // The URL may be pre-authenticated (Teams downloadUrl): it stays out of the message.
      throw errorForStatus(res.status, `attachment download failed with HTTP ${res.status}`, { retryAfter: res.headers.get('retry-after') });
    }
    return { data: res.body, mimeType: res.headers.get('content-type') ?? undefined };
  }

  /**
   * Obtains a token from the configured Entra token endpoint: a wrong app id, password or tenant answers 400/401
   * `invalid_client`. The Bot Framework has no "who am I" call, so the app id is the identity. Nothing to check
   * for a local-development account without credentials. No removeWebhook: the messaging endpoint is set on the
   * Azure Bot resource, which Parley cannot reach.
   */
  async describeAccount(): Promise<AccountIdentity | null> {
    if (!this.tokens) return null;
    // A token cached from earlier credentials proves nothing about these: ask again.
    this.tokens.invalidate();
    try {
      await this.tokens.getToken();
    } catch (err) {
      throw credentialsRefused(err, 'Microsoft Entra ID refused the app ID and password');
    }
    return { externalId: this.account.credentials.appId.toLowerCase(), displayName: `Microsoft App ID ${this.account.credentials.appId}` };
  }

  private async post(url: string, body: string): Promise<PlatformResponse> {
    const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
    if (this.tokens) headers.authorization = `Bearer ${await this.tokens.getToken()}`;
    return platformFetch({ url, method: 'POST', headers, body, timeoutMs: this.account.settings.timeoutMs });
  }
}

/**
 * Authentication is off only when asked for in so many words: allowUnauthenticated with an empty app id (which is
 * how the SDK itself switches it off). Any other combination is a configuration error, never a silent downgrade.
 */
function authenticationMode(c: BotframeworkCredentials, s: BotframeworkSettings): boolean {
  if (s.allowUnauthenticated) {
    if (c.appId) throw new Error('allowUnauthenticated is for local development without an app id: clear appId or the setting');
    return true;
  }
  if (!c.appId || !c.appPassword) {
    throw new Error('a Bot Framework account needs appId and appPassword (allowUnauthenticated is for local development only)');
  }
  return false;
}

/** What the SDK needs from the body to check the token against it; undefined when the body is not an activity. */
function addressing(rawBody: Buffer): (Record<string, unknown> & { channelId: string; serviceUrl: string }) | undefined {
  const body = tryJson(rawBody.toString('utf8')) as Record<string, unknown> | undefined;
  if (!body || typeof body !== 'object' || Array.isArray(body)) return undefined;
  const { channelId, serviceUrl } = body;
  // Without a serviceUrl the SDK would skip the serviceurl-claim check: such a body is refused outright.
  if (typeof channelId !== 'string' || !channelId || typeof serviceUrl !== 'string' || !serviceUrl) return undefined;
  return { ...body, channelId, serviceUrl };
}

function needsToken(url: URL, hosts: string[]): boolean {
  const host = url.hostname.toLowerCase();
  const listed = hosts.some((h) => (h.startsWith('.') ? host.endsWith(h.toLowerCase()) : host === h.toLowerCase()));
  const loopback = host === '127.0.0.1' || host === 'localhost' || host === '[::1]';
  return listed && (url.protocol === 'https:' || loopback);
}
