import { Input, Telegram } from 'telegraf';
import {
  ConnectorError,
  assertNever,
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
import { platformFetch } from '../shared/http';
import { headerValue, safeEqual } from '../shared/signature';
import { withoutBotToken } from './errors';
import { parseTelegramUpdate } from './parse-update';
import type { TelegramCredentials, TelegramSettings } from './schema';

/** Bots may download files up to 20 MB (https://core.telegram.org/bots/api#getfile). */
export const TELEGRAM_MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024;
export const TELEGRAM_CAPTION_LIMIT = 1024;

export class TelegramConnector implements Connector {
  private readonly telegram: Telegram;
  private readonly apiRoot: string;

  constructor(private readonly account: ChannelAccount<TelegramCredentials, TelegramSettings>) {
    this.apiRoot = account.settings.apiRoot;
    this.telegram = new Telegram(account.credentials.botToken, { apiRoot: this.apiRoot, webhookReply: false });
  }

  /** Telegram echoes setWebhook's secret_token in this header on every update. */
  verify(req: WebhookRequest): boolean {
    return safeEqual(headerValue(req.headers, 'x-telegram-bot-api-secret-token'), this.account.credentials.webhookSecret);
  }

  parse(req: WebhookRequest): InboundEvent[] {
    return parseTelegramUpdate(parseJsonBody(req.rawBody));
  }

  async send(out: OutboundMessage): Promise<SendResult> {
    const chatId = out.threadExternalId;
    const extra: Record<string, unknown> = {};
    const businessConnectionId = out.replyContext?.businessConnectionId;
    if (typeof businessConnectionId === 'string') extra.business_connection_id = businessConnectionId;

    switch (out.kind) {
      case 'text': {
        const sent = await this.call('sendMessage', { chat_id: chatId, text: out.text, ...extra });
        return { platformMessageId: String(sent.message_id), status: 'sent' };
      }
      case 'media':
        return this.sendMedia(chatId, out, extra);
      case 'choices':
      case 'template':
        throw unsupportedKind(out);
      default:
        return assertNever(out);
    }
  }

  private async sendMedia(chatId: string, out: OutboundOf<'media'>, extra: Record<string, unknown>): Promise<SendResult> {
    const [method, field] = mediaMethod(out.media.kind);
    // Telegram counts UTF-16 code units, as JavaScript's length does.
    const captionFits = !out.caption || out.caption.length <= TELEGRAM_CAPTION_LIMIT;
    const sent = await this.call(method, {
      chat_id: chatId,
      [field]: Input.fromBuffer(out.media.data, out.media.fileName),
      ...(captionFits && out.caption ? { caption: out.caption } : {}),
      ...extra,
    });
    if (!captionFits) {
      // A caption over 1,024 characters is refused: send the text as its own message right after the file.
      const text = await this.call('sendMessage', { chat_id: chatId, text: out.caption, ...extra });
      return { platformMessageId: String(text.message_id), status: 'sent' };
    }
    return { platformMessageId: String(sent.message_id), status: 'sent' };
  }

  async downloadMedia(fileId: string): Promise<DownloadedMedia> {
    try {
      return await this.download(fileId);
    } catch (err) {
      throw withoutBotToken(err, this.account.credentials.botToken);
    }
  }

  private async download(fileId: string): Promise<DownloadedMedia> {
    const file = await this.call('getFile', { file_id: fileId });
    if (file.file_size && file.file_size > TELEGRAM_MAX_DOWNLOAD_BYTES) {
      throw ConnectorError.permanent('file is larger than the 20 MB Telegram lets bots download', { code: 'too_large' });
    }
    if (!file.file_path) throw ConnectorError.permanent('Telegram gave no file_path for this file', { code: 'no_path' });
    const url = new URL(`./file/bot${this.account.credentials.botToken}/${file.file_path}`, withSlash(this.apiRoot));
    const res = await platformFetch({ url: url.toString() });
    if (res.status !== 200) {
      // The URL holds the bot token: never put it in the error.
      throw res.status >= 500 || res.status === 429
        ? ConnectorError.retryable(`file download failed with HTTP ${res.status}`, { code: String(res.status) })
        : ConnectorError.permanent(`file download failed with HTTP ${res.status}`, { code: String(res.status) });
    }
    return { data: res.body, fileName: file.file_path.split('/').pop() };
  }

  async registerWebhook(url: string): Promise<void> {
    await this.call('setWebhook', {
      url,
      secret_token: this.account.credentials.webhookSecret,
      allowed_updates: ['message', 'edited_message', 'callback_query', 'my_chat_member', 'business_message', 'edited_business_message'],
    });
  }

  /** deleteWebhook: Telegram stops delivering; updates wait on its side for getUpdates (none is read). */
  async removeWebhook(): Promise<void> {
    await this.call('deleteWebhook', {});
  }

  /** getMe (https://core.telegram.org/bots/api#getme): a wrong token answers 401 Unauthorized. */
  async describeAccount(): Promise<AccountIdentity> {
    try {
      const me = await this.call('getMe', {});
      return { externalId: String(me.id), displayName: me.username ? `@${me.username}` : String(me.first_name ?? me.id) };
    } catch (err) {
      throw credentialsRefused(err, 'Telegram refused the bot token');
    }
  }

  /** Every API call goes through here: one timeout, one error mapping. */
  private async call(method: string, payload: Record<string, unknown>): Promise<any> {
    try {
      return await this.telegram.callApi(method as 'sendMessage', payload as never, {
        signal: AbortSignal.timeout(this.account.settings.timeoutMs) as never,
      });
    } catch (err) {
      throw withoutBotToken(err, this.account.credentials.botToken);
    }
  }
}

function mediaMethod(kind: string): [string, string] {
  switch (kind) {
    case 'image':
      return ['sendPhoto', 'photo'];
    case 'video':
      return ['sendVideo', 'video'];
    case 'voice':
      return ['sendVoice', 'voice'];
    case 'audio':
      return ['sendAudio', 'audio'];
    case 'animation':
      return ['sendAnimation', 'animation'];
    case 'sticker':
      return ['sendSticker', 'sticker'];
    default:
      return ['sendDocument', 'document'];
  }
}

function withSlash(root: string): string {
  return root.endsWith('/') ? root : `${root}/`;
}
