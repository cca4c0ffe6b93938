import { randomBytes } from 'node:crypto';
import { FakePlatformServer, type FakeResponse, type RecordedCall } from '../../shared/testing/fake-platform';
import { botframeworkSettingsSchema, type BotframeworkSettings } from '../schema';
import { CHANNEL_ISSUER, ENDORSED_CHANNELS, TEST_APP_ID, TEST_APP_PASSWORD, publicJwk } from './test-tokens';

/**
 * Everything Bot Framework on one 127.0.0.1 port, as the real services answer it:
 * - the channel OpenID metadata + keys (login.botframework.com) and the Emulator's (login.microsoftonline.com),
 * - the Entra token endpoint `/<tenant>/oauth2/v2.0/token` (client credentials),
 * - the Connector API `POST /v3/conversations/<id>/activities` (what activity.serviceUrl points at).
 * It checks credentials and bearer tokens, records every call, and can be told to fail the next send.
 */
export class FakeConnectorService extends FakePlatformServer {
  private nextActivity = 1000;
  private readonly issued = new Set<string>();

  constructor(private readonly opts: { appId?: string; appPassword?: string; tenant?: string; requireAuth?: boolean } = {}) {
    super();
    this.route('GET', /^\/v1\/\.well-known\/openidconfiguration$/, () =>
      ok({
        issuer: CHANNEL_ISSUER,
        authorization_endpoint: 'https://invalid.botframework.com',
        jwks_uri: `${this.url}/v1/.well-known/keys`,
        id_token_signing_alg_values_supported: ['RS256'],
        token_endpoint_auth_methods_supported: ['private_key_jwt'],
      }),
    );
    this.route('GET', /^\/v1\/\.well-known\/keys$/, () => ok({ keys: [publicJwk(ENDORSED_CHANNELS)] }));
    this.route('GET', /^\/emulator\/v2\.0\/\.well-known\/openid-configuration$/, () =>
      ok({ jwks_uri: `${this.url}/emulator/discovery/v2.0/keys`, token_endpoint: `${this.url}/common/oauth2/v2.0/token` }),
    );
    this.route('GET', /^\/emulator\/discovery\/v2\.0\/keys$/, () => ok({ keys: [publicJwk()] }));
    this.route('POST', /^\/[^/]+\/oauth2\/v2\.0\/token$/, (call) => this.token(call));
    this.route('POST', /^\/v3\/conversations\/[^/]+\/activities$/, (call) => this.activity(call));
  }

  /** Connector settings pointing every Bot Framework endpoint here (defaults applied by the real schema). */
  settings(overrides: Partial<BotframeworkSettings> = {}): BotframeworkSettings {
    return botframeworkSettingsSchema.parse({
      openIdMetadataUrl: `${this.url}/v1/.well-known/openidconfiguration`,
      emulatorOpenIdMetadataUrl: `${this.url}/emulator/v2.0/.well-known/openid-configuration`,
      loginUrl: this.url,
      oAuthUrl: this.url,
      mediaTokenHosts: ['127.0.0.1'],
      timeoutMs: 5000,
      ...overrides,
    });
  }

  activityCalls(): RecordedCall[] {
    return this.calls.filter(isActivityPost);
  }

  tokenCalls(): RecordedCall[] {
    return this.callsTo(/\/oauth2\/v2\.0\/token$/);
  }

  /** The conversation id a send was addressed to (the path segment, URL-decoded). */
  static conversationOf(call: RecordedCall): string {
    return decodeURIComponent(/^\/v3\/conversations\/([^/]+)\/activities$/.exec(call.path)![1]);
  }

  peekNextActivityId(): string {
    return `1:act-${this.nextActivity + 1}`;
  }

  /** 429 Throttled with Retry-After in seconds, as the Bot Framework FAQ describes. */
  rateLimitNext(retryAfterSeconds: number): this {
    return this.failSendNext({
      status: 429,
      headers: { 'retry-after': String(retryAfterSeconds) },
      body: { error: { code: 'Throttled', message: 'Too many requests' } },
    });
  }

  serverErrorNext(): this {
    return this.failSendNext({ status: 502, body: { error: { code: 'ServiceError', message: 'Bad gateway' } } });
  }

  /** Teams' answer when the user blocked the bot. */
  blockNext(): this {
    return this.failSendNext({
      status: 403,
      body: { error: { code: 'ConversationBlockedByUser', message: 'User blocked the conversation with the bot.' } },
    });
  }

  failSendNext(response: FakeResponse, times = 1): this {
    return this.failNext(response, isActivityPost, times);
  }

  /** Forget issued tokens: the next send with a cached token gets 401, as after a secret rotation. */
  revokeTokens(): void {
    this.issued.clear();
  }

  private token(call: RecordedCall): FakeResponse {
    const form = new URLSearchParams(call.body.toString('utf8'));
    const tenant = call.path.split('/')[1];
    const valid =
      form.get('grant_type') === 'client_credentials' &&
      form.get('client_id') === (this.opts.appId ?? TEST_APP_ID) &&
      form.get('client_secret') === (this.opts.appPassword ?? TEST_APP_PASSWORD) &&
      form.get('scope') === 'https://api.botframework.com/.default' &&
      tenant === (this.opts.tenant ?? 'botframework.com');
    if (!valid) {
      return { status: 401, body: { error: 'invalid_client', error_description: 'AADSTS7000215: Invalid client secret provided.' } };
    }
    const token = randomBytes(24).toString('base64url');
    this.issued.add(token);
    return ok({ token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: token });
  }

  private activity(call: RecordedCall): FakeResponse {
    const bearer = /^Bearer (.+)$/.exec(call.headers.authorization ?? '')?.[1];
    if ((this.opts.requireAuth ?? true) && (!bearer || !this.issued.has(bearer))) {
      return { status: 401, body: { error: { code: 'Unauthorized', message: 'Authorization has been denied for this request.' } } };
    }
    if (call.json?.type !== 'message' || call.json?.conversation?.id !== FakeConnectorService.conversationOf(call)) {
      return { status: 400, body: { error: { code: 'BadArgument', message: 'Activity does not match the conversation' } } };
    }
    return { status: 201, body: { id: `1:act-${++this.nextActivity}` } };
  }
}

function ok(body: unknown): FakeResponse {
  return { status: 200, body };
}

function isActivityPost(call: RecordedCall): boolean {
  return call.method === 'POST' && /^\/v3\/conversations\/[^/]+\/activities$/.test(call.path);
}
