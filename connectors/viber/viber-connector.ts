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
  type SendResult,
  type WebhookReply,
  type WebhookRequest,
} from '../contract';
import { z } from 'zod';
import { credentialsRefused } from '../shared/credentials';
import { errorForStatus, platformFetch } from '../shared/http';
import { headerValue, hmacSha256Hex, safeEqual } from '../shared/signature';
import { apiResponseSchema, type ViberApiResponse } from './callback-schema';
import { mapViberStatus } from './errors';
import { parseViberJson } from './json';
import { buildViberMessages, type ViberMessageBody, type ViberSender } from './outbound';
import { CONVERSATION_STARTED_REASON, parseViberWebhookBody } from './parse-callback';
import type { ViberCredentials, ViberSettings } from './schema';

/** Callbacks we ask for; `message`, `subscribed` and `unsubscribed` always come (cannot be filtered out). */
export const VIBER_EVENT_TYPES = ['delivered', 'seen', 'failed', 'subscribed', 'unsubscribed', 'conversation_started'] as const;

/** Viber's REST bot API, called directly (README: why not the viber-bot package). */
export class ViberConnector implements Connector {
  private readonly sender: ViberSender;

  constructor(private readonly account: ChannelAccount<ViberCredentials, ViberSettings>) {
    const s = account.settings;
    this.sender = s.senderAvatarUrl ? { name: s.senderName, avatar: s.senderAvatarUrl } : { name: s.senderName };
  }

  /** `X-Viber-Content-Signature`: hex HMAC-SHA256 of the exact body bytes, keyed with the auth token. */
  verify(req: WebhookRequest): boolean {
    const received = headerValue(req.headers, 'x-viber-content-signature');
    if (!received) return false;
    const expected = hmacSha256Hex(this.account.credentials.authToken, req.rawBody);
    return safeEqual(received.toLowerCase(), expected);
  }

  parse(req: WebhookRequest): InboundEvent[] {
    return parseViberWebhookBody(req.rawBody);
  }

  /**
   * Viber lets the 200 answer to `conversation_started` carry one message: the only one a user who has not
   * subscribed can receive (https://creators.viber.com/docs/bots-api/resources/messaging/welcome-message).
   */
  webhookResponse(events: InboundEvent[]): WebhookReply | null {
    const welcome = this.account.settings.welcomeMessage;
    if (!welcome) return null;
    const started = events.some((e) => e.type === 'ignored' && e.reason === CONVERSATION_STARTED_REASON);
    if (!started) return null;
    return { status: 200, contentType: 'application/json', body: { type: 'text', sender: this.sender, text: welcome } };
  }

  async send(out: OutboundMessage): Promise<SendResult> {
    switch (out.kind) {
      case 'text':
      case 'media':
        return this.sendBodies(out, buildViberMessages(textAndMedia(out), { sender: this.sender }));
      case 'choices':
      case 'template':
        throw unsupportedKind(out);
      default:
        return assertNever(out);
    }
  }

  private async sendBodies(out: OutboundMessage, bodies: ViberMessageBody[]): Promise<SendResult> {
    let token = '';
    // Viber is 1:1: the thread id is the user id.
    for (const body of bodies) token = await this.sendOne({ receiver: out.threadExternalId, ...body });
    return { platformMessageId: token, status: 'sent' };
  }

  /** Viber media URLs are public (and expire): fetched without our token, which must never leave for another host. */
  async downloadMedia(mediaRef: string): Promise<DownloadedMedia> {
    let url: URL;
    try {
      url = new URL(mediaRef);
    } catch {
      throw ConnectorError.permanent('not a Viber media URL', { code: 'bad_media_ref' });
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw ConnectorError.permanent('not a Viber media URL', { code: 'bad_media_ref' });
    }
    const res = await platformFetch({ url: url.toString(), timeoutMs: this.account.settings.timeoutMs });
    if (res.status === 404 || res.status === 403 || res.status === 410) {
      throw ConnectorError.permanent(`Viber media is gone (HTTP ${res.status}): its link has probably expired`, { code: 'media_expired' });
    }
    if (res.status < 200 || res.status >= 300) {
      throw errorForStatus(res.status, `media download failed with HTTP ${res.status}`, { retryAfter: res.headers.get('retry-after') });
    }
    const fileName = decodeURIComponent(url.pathname.split('/').pop() ?? '') || undefined;
    return { data: res.body, mimeType: res.headers.get('content-type') ?? undefined, fileName };
  }

  /** Viber calls the URL once with a signed `webhook` event while handling this request; it must answer 200. */
  async registerWebhook(url: string): Promise<void> {
    await this.call('pa/set_webhook', { url, event_types: VIBER_EVENT_TYPES, send_name: true, send_photo: true });
  }

  /** An empty url removes the webhook (https://creators.viber.com/docs/bots-api/resources/webhooks/remove-webhook). */
  async removeWebhook(): Promise<void> {
    await this.call('pa/set_webhook', { url: '' });
  }

  /** get_account_info: a wrong token answers status 2 invalidAuthToken (HTTP 200, as every Viber error). */
  async describeAccount(): Promise<AccountIdentity> {
    try {
      const info = await this.call('pa/get_account_info', {}, accountInfoSchema);
      return { externalId: info.id, displayName: info.uri ? `${info.name} (${info.uri})` : info.name };
    } catch (err) {
      throw credentialsRefused(err, 'Viber refused the auth token');
    }
  }

  private async sendOne(body: Record<string, unknown>): Promise<string> {
    const res = await this.call('pa/send_message', body);
    if (!res.message_token) {
      // Viber said ok, so the message probably left: retrying could send it twice.
      throw ConnectorError.permanent('Viber accepted the message but returned no message_token', { code: 'no_message_token' });
    }
    return res.message_token;
  }

  /** Every API call goes through here: one timeout, one error mapping. */
  private async call<T extends ViberApiResponse = ViberApiResponse>(
    path: string,
    payload: Record<string, unknown>,
    schema: z.ZodType<T> = apiResponseSchema as unknown as z.ZodType<T>,
  ): Promise<T> {
    const base = this.account.settings.apiBaseUrl;
    const res = await platformFetch({
      url: new URL(path, base.endsWith('/') ? base : `${base}/`).toString(),
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-viber-auth-token': this.account.credentials.authToken },
      body: JSON.stringify(payload),
      timeoutMs: this.account.settings.timeoutMs,
    });
    if (res.status < 200 || res.status >= 300) {
      throw errorForStatus(res.status, `Viber answered HTTP ${res.status}`, { retryAfter: res.headers.get('retry-after') });
    }
    // Lossless: the answer's message_token is above 2^53 too.
    const json = tryViberJson(res.text);
    // An error answer has no account fields: read its status before the call's own schema.
    const status = apiResponseSchema.safeParse(json);
    if (status.success && status.data.status !== 0) throw mapViberStatus(status.data.status, status.data.status_message);
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      // The request may or may not have been acted on; Viber's own advice for unclear errors is to try again.
      throw ConnectorError.retryable('Viber answered with a body that is not a Viber API response', { code: 'bad_response' });
    }
    return parsed.data;
  }
}

function tryViberJson(text: string): unknown {
  try {
    return parseViberJson(text);
  } catch {
    return undefined;
  }
}

/** What get_account_info answers beside the status (https://creators.viber.com/docs/bots-api/resources/get-account-info). */
const accountInfoSchema = apiResponseSchema.extend({ id: z.string().min(1), name: z.string(), uri: z.string().optional() });
