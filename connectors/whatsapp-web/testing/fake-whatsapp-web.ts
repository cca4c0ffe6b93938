import { FakePlatformServer, type RecordedCall } from '../../shared/testing/fake-platform';

/**
 * A stand-in for "WhatsApp as seen from a session", on 127.0.0.1: FakeWhatsAppSession posts every send here,
 * so tests (and the conformance suite) see what was sent and script failures with failNext, exactly as with
 * the HTTP platforms. Answers:
 *   POST /sessions/<channel>/messages  {chatId, text} | {chatId, caption?, media: {kind, mimeType, fileName, base64}}
 *       → 200 {id}; scripted: 429 {retryAfterSeconds}, 404 {error: 'not_on_whatsapp'}, 500 {error}
 *   GET  /sessions/<channel>/media/<messageId> → 200 file bytes (from `files`) | 404
 *   GET  /sessions/<channel>/sent?chatId&text&since → 200 {id} of a text sent to the chat since then | 404
 */
export class FakeWhatsAppWeb extends FakePlatformServer {
  private counter = 0x3eb0_0000;
  /** The ids returned to successful sends, in order. */
  readonly sentIds: string[] = [];
  /** The chat's history as the phone keeps it: what was sent, to whom, when. */
  private readonly history: Array<{ id: string; chatId: string; text?: string; at: number }> = [];
  /** messageId → file served to downloadMedia. */
  readonly files = new Map<string, { data: Buffer; mimeType: string; fileName?: string }>();

  constructor() {
    super();
    this.route('POST', /^\/sessions\/[^/]+\/messages$/, (call) => {
      const chatId = call.json?.chatId;
      if (typeof chatId !== 'string') return { status: 400, body: { error: 'chatId missing' } };
      const id = this.nextId(chatId);
      this.sentIds.push(id);
      this.history.push({ id, chatId, text: call.json?.text, at: Date.now() });
      return { status: 200, body: { id } };
    });
    this.route('GET', /^\/sessions\/[^/]+\/sent$/, (call) => {
      const since = Number(call.query.get('since'));
      const m = this.history.find((h) => h.chatId === call.query.get('chatId') && h.text === call.query.get('text') && h.at >= since);
      return m ? { status: 200, body: { id: m.id } } : { status: 404, body: { error: 'not found' } };
    });
    this.route('GET', /^\/sessions\/[^/]+\/media\/[^/]+$/, (call) => {
      const file = this.files.get(decodeURIComponent(call.path.split('/').pop()!));
      if (!file) return { status: 404, body: { error: 'media_unavailable' } };
      const headers: Record<string, string> = { 'content-type': file.mimeType };
      if (file.fileName) headers['x-file-name'] = file.fileName;
      return { status: 200, body: file.data, headers };
    });
  }

  /** The id the next send to `chatId` gets: whatsapp-web.js's `true_<chat>_<id>` for our own messages. */
  peekNextMessageId(chatId: string): string {
    return messageIdFor(chatId, this.counter + 1);
  }

  sendCalls(): RecordedCall[] {
    return this.calls.filter(isSend);
  }

  rateLimitNext(retryAfterSeconds: number): this {
    return this.failNext({ status: 429, body: { error: 'rate-overlimit', retryAfterSeconds } }, isSend);
  }

  /** The browser went away mid-call, as when Chromium crashes or WhatsApp Web reloads. */
  serverErrorNext(): this {
    return this.failNext({ status: 500, body: { error: 'Protocol error (Runtime.callFunctionOn): Target closed.' } }, isSend);
  }

  notOnWhatsAppNext(): this {
    return this.failNext({ status: 404, body: { error: 'not_on_whatsapp' } }, isSend);
  }

  private nextId(chatId: string): string {
    return messageIdFor(chatId, ++this.counter);
  }
}

function messageIdFor(chatId: string, n: number): string {
  return `true_${chatId}_${n.toString(16).toUpperCase().padStart(20, '0')}`;
}

function isSend(call: RecordedCall): boolean {
  return call.method === 'POST' && /\/messages$/.test(call.path);
}
