import {
  ConnectorError,
  assertNever,
  unsupportedKind,
  type AccountIdentity,
  type ChannelAccount,
  type Connector,
  type DownloadedMedia,
  type InboundEvent,
  type OutboundMedia,
  type OutboundMessage,
  type OutboundOf,
  type SendResult,
  type WebhookReply,
  type WebhookRequest,
} from '../contract';
import { credentialsRefused } from '../shared/credentials';
import { parseJsonBody } from '../shared/json-body';
import { metaHandshake, verifyMetaSignature } from '../shared/meta';
import { GraphClient } from './graph-client';
import {
  CAPTION_LIMIT,
  MAX_MEDIA_BYTES,
  assertInsideReplyWindow,
  assertMediaFits,
  assertTextFits,
  mediaPlan,
  recipientFields,
  type RecipientFields,
} from './outbound';
import { parseWhatsAppWebhook } from './parse-webhook';
import type { WhatsAppCloudCredentials, WhatsAppCloudSettings } from './schema';

/** Meta refuses alternate callback URLs longer than this (webhook overrides reference). */
const OVERRIDE_URL_LIMIT = 200;

export class WhatsAppCloudConnector implements Connector {
  private readonly graph: GraphClient;

  constructor(
    private readonly account: ChannelAccount<WhatsAppCloudCredentials, WhatsAppCloudSettings>,
    /** The clock for the 24-hour window; tests pass their own. */
    private readonly now: () => number = Date.now,
  ) {
    const { apiBaseUrl, timeoutMs } = account.settings;
    this.graph = new GraphClient(apiBaseUrl, account.credentials.accessToken, timeoutMs);
  }

  /** Meta's GET verification of the callback URL (shared with every Meta platform: ../shared/meta.ts). */
  handshake(req: WebhookRequest): WebhookReply | null {
    return metaHandshake(req, this.account.credentials.verifyToken);
  }

  /** `X-Hub-Signature-256`, keyed with the app secret (../shared/meta.ts). */
  verify(req: WebhookRequest): boolean {
    return verifyMetaSignature(req, this.account.credentials.appSecret);
  }

  parse(req: WebhookRequest): InboundEvent[] {
    return parseWhatsAppWebhook(parseJsonBody(req.rawBody), { phoneNumberId: this.account.settings.phoneNumberId });
  }

  async send(out: OutboundMessage): Promise<SendResult> {
    switch (out.kind) {
      case 'text':
      case 'media':
        return this.sendTextOrMedia(out);
      case 'choices':
      case 'template':
        throw unsupportedKind(out);
      default:
        return assertNever(out);
    }
  }

  private async sendTextOrMedia(out: OutboundOf<'text'> | OutboundOf<'media'>): Promise<SendResult> {
    assertInsideReplyWindow(out.lastInboundAt, this.now());
    const to = recipientFields(out);
    if (out.kind === 'text') {
      assertTextFits(out.text);
      return this.sendMessage(to, 'text', { body: out.text });
    }
    const text = out.caption ?? null;
    if (text !== null) assertTextFits(text);
    const plan = mediaPlan(out.media);
    assertMediaFits(out.media, plan);
    const captionFits = plan.caption && text !== null && [...text].length <= CAPTION_LIMIT;
    const mediaId = await this.upload(out.media);
    const sent = await this.sendMessage(to, plan.type, {
      id: mediaId,
      ...(captionFits ? { caption: text } : {}),
      // Without a filename the customer sees the document as "Untitled".
      ...(plan.type === 'document' ? { filename: out.media.fileName } : {}),
    });
    if (text === null || captionFits) return sent;
    // Audio and stickers take no caption, and captions stop at 1,024 characters: the text follows on its own.
    return this.sendMessage(to, 'text', { body: text });
  }

  /** GET /{media-id} gives a short-lived URL (about 5 minutes) that needs the same bearer token. */
  async downloadMedia(mediaRef: string): Promise<DownloadedMedia> {
    // Media ids are numeric; refuse anything that could walk the URL path elsewhere.
    if (!/^[A-Za-z0-9_-]+$/.test(mediaRef)) throw ConnectorError.permanent('not a WhatsApp media id', { code: 'bad_media_ref' });
    const info = await this.graph.getJson([mediaRef]);
    if (typeof info.url !== 'string') throw ConnectorError.permanent('WhatsApp gave no URL for this media', { code: 'bad_response' });
    if (typeof info.file_size === 'number' && info.file_size > MAX_MEDIA_BYTES) {
      throw ConnectorError.permanent('the file is larger than the 100 MB WhatsApp allows', { code: 'too_large' });
    }
    const res = await this.graph.download(info.url);
    const mimeType = typeof info.mime_type === 'string' ? info.mime_type : (res.headers.get('content-type') ?? undefined);
    return { data: res.body, mimeType };
  }

  /**
   * Points this number's `messages` webhooks at Parley with a phone-number webhook override
   * (https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/override/).
   * Meta verifies the URL with the GET handshake during this call, so Parley must already be reachable there.
   * The override only works once the app is subscribed to the WABA: done here when `wabaId` is configured.
   */
  async registerWebhook(url: string): Promise<void> {
    if (url.length > OVERRIDE_URL_LIMIT) {
      throw ConnectorError.permanent(`Meta accepts callback URLs of at most ${OVERRIDE_URL_LIMIT} characters`, { code: 'url_too_long' });
    }
    const { wabaId, phoneNumberId } = this.account.settings;
    if (wabaId) await this.graph.postJson([wabaId, 'subscribed_apps'], {});
    const res = await this.graph.postJson([phoneNumberId], {
      webhook_configuration: { override_callback_uri: url, verify_token: this.account.credentials.verifyToken },
    });
    if (res.success !== true) throw ConnectorError.permanent('Meta did not confirm the webhook override', { code: 'bad_response' });
  }

  /**
   * GET /{phone-number-id}: the number's display_phone_number and verified_name. A bad token answers 401 (code
   * 190), a number the token may not use or that does not exist 400 (code 100). No removeWebhook: Meta has no
   * call that clears an override without setting another; the app's webhook stays set in the App Dashboard.
   */
  async describeAccount(): Promise<AccountIdentity> {
    const { phoneNumberId } = this.account.settings;
    try {
      const info = await this.graph.getJson([phoneNumberId], { fields: 'id,display_phone_number,verified_name' });
      const number = typeof info.display_phone_number === 'string' ? info.display_phone_number : phoneNumberId;
      const name = typeof info.verified_name === 'string' ? info.verified_name : '';
      return { externalId: typeof info.id === 'string' ? info.id : phoneNumberId, displayName: name ? `${name} (${number})` : number };
    } catch (err) {
      if (err instanceof ConnectorError && err.code === '100') {
        throw ConnectorError.permanent(`WhatsApp knows no phone number with the ID ${phoneNumberId} that this access token may use`, {
          code: 'credentials_refused',
        });
      }
      throw credentialsRefused(err, 'WhatsApp refused the access token');
    }
  }

  private async sendMessage(to: RecipientFields, type: string, content: Record<string, unknown>): Promise<SendResult> {
    const res = await this.graph.postJson([this.account.settings.phoneNumberId, 'messages'], {
      messaging_product: 'whatsapp',
      ...to,
      type,
      [type]: content,
    });
    const id = (res.messages as Array<{ id?: unknown }> | undefined)?.[0]?.id;
    if (typeof id !== 'string') {
      throw ConnectorError.permanent('WhatsApp accepted the message but returned no message id', { code: 'bad_response' });
    }
    return { platformMessageId: id, status: 'sent' };
  }

  /** Files go up first (POST /{phone-number-id}/media, multipart) and are then sent by media id. */
  private async upload(media: OutboundMedia): Promise<string> {
    const form = new FormData();
    form.append('messaging_product', 'whatsapp');
    form.append('type', media.mimeType);
    form.append('file', new Blob([new Uint8Array(media.data)], { type: media.mimeType }), media.fileName);
    const res = await this.graph.postForm([this.account.settings.phoneNumberId, 'media'], form);
    if (typeof res.id !== 'string') {
      throw ConnectorError.permanent('WhatsApp returned no media id for the upload', { code: 'bad_response' });
    }
    return res.id;
  }
}
