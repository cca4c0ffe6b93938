import {
  ConnectorError,
  assertNever,
  unsupportedKind,
  type Connector,
  type DownloadedMedia,
  type InboundEvent,
  type OutboundMessage,
  type OutboundOf,
  type SendResult,
  type WebhookRequest,
} from '../contract';
import { parseJsonBody } from '../shared/json-body';
import { hmacSha256Hex, headerValue, safeEqual } from '../shared/signature';
import { mapSessionError } from './errors';
import { parseSessionEvent } from './parse-event';
import type { WhatsAppWebAccount } from './schema';
import { WhatsAppSessionError, type SessionRegistry, type WhatsAppSession } from './session';
import { SESSION_SIGNATURE_HEADER } from './session-events';

/** WhatsApp refuses longer captions (the Cloud API documents 1,024 characters; WhatsApp Web behaves alike). */
export const CAPTION_LIMIT = 1024;

/**
 * One WhatsApp Web channel. Inbound: events the session runner signed (session-events.ts). Outbound: through
 * the live session of this channel, looked up in the registry the SessionManager fills.
 */
export class WhatsAppWebConnector implements Connector {
  constructor(
    private readonly account: WhatsAppWebAccount,
    private readonly sessions: SessionRegistry,
  ) {}

  verify(req: WebhookRequest): boolean {
    const expected = hmacSha256Hex(this.account.credentials.sessionSecret, req.rawBody);
    return safeEqual(headerValue(req.headers, SESSION_SIGNATURE_HEADER), expected);
  }

  parse(req: WebhookRequest): InboundEvent[] {
    return parseSessionEvent(parseJsonBody(req.rawBody), { ignoreGroups: this.account.settings.ignoreGroups });
  }

  async send(out: OutboundMessage): Promise<SendResult> {
    switch (out.kind) {
      case 'text':
      case 'media':
        return this.sendThroughSession(out);
      case 'choices':
      case 'template':
        throw unsupportedKind(out);
      default:
        return assertNever(out);
    }
  }

  private async sendThroughSession(out: OutboundOf<'text'> | OutboundOf<'media'>): Promise<SendResult> {
    const chatId = chatIdFor(out.threadExternalId);
    const session = this.liveSession();
    try {
      if (out.kind === 'text') return sent(await session.sendText(chatId, out.text));
      const caption = out.caption;
      const captionFits = !caption || caption.length <= CAPTION_LIMIT;
      const mediaId = await session.sendMedia(chatId, out.media, captionFits ? caption : undefined);
      if (captionFits) return sent(mediaId);
      // Too long for a caption: the file, then the text as its own message (receipts follow the last one).
      return sent(await session.sendText(chatId, caption));
    } catch (err) {
      throw mapSessionError(err);
    }
  }

  /**
   * WhatsApp Web keeps the account's own chat history, so a send whose outcome is unknown can be looked up
   * there before sending again. Text only: a file's caption or a long text split in two is not matched.
   */
  async findSent(out: OutboundMessage, since: Date): Promise<SendResult | null> {
    if (out.kind !== 'text') return null;
    try {
      const id = await this.liveSession().findSentText(chatIdFor(out.threadExternalId), out.text, since);
      return id ? sent(id) : null;
    } catch (err) {
      throw mapSessionError(err);
    }
  }

  /** mediaRef is the message id: the session finds the message and downloads its file. */
  async downloadMedia(mediaRef: string): Promise<DownloadedMedia> {
    const session = this.liveSession();
    try {
      return await session.downloadMedia(mediaRef);
    } catch (err) {
      throw mapSessionError(err);
    }
  }

  private liveSession(): WhatsAppSession {
    const session = this.sessions.get(this.account.id);
    if (!session) {
      // Only the process holding the channel's session lock runs it (session-lock.ts).
      throw ConnectorError.retryable('the WhatsApp Web session of this channel is not running in this process', {
        code: 'session_not_running',
        servedElsewhere: true,
      });
    }
    if (!session.isReady()) throw mapSessionError(new WhatsAppSessionError('not_ready', 'try again once it is ready'));
    return session;
  }
}

function sent(platformMessageId: string): SendResult {
  return { platformMessageId, status: 'sent' };
}

/**
 * The chat to send to. Stored thread ids come from inbound messages (`…@c.us`, `…@g.us`, `…@lid`); a bare
 * phone number (an agent starting a conversation) becomes `<digits>@c.us`, and `@s.whatsapp.net` (the same
 * account as written by WAHA's other engines and Baileys) becomes `@c.us`.
 */
export function chatIdFor(threadExternalId: string): string {
  const id = threadExternalId.trim();
  const digits = id.replace(/[\s().-]/g, '');
  if (/^\+?\d{6,15}$/.test(digits)) return `${digits.replace(/^\+/, '')}@c.us`;
  const jid = /^([\w.:-]+)@(c\.us|g\.us|lid|s\.whatsapp\.net)$/.exec(id);
  if (!jid) {
    throw ConnectorError.permanent(`cannot send to "${id}": not a WhatsApp chat id (…@c.us, …@g.us, …@lid)`, {
      code: 'invalid_recipient',
    });
  }
  return jid[2] === 's.whatsapp.net' ? `${jid[1]}@c.us` : id;
}
