import type { DownloadedMedia, OutboundMedia } from '../../contract';
import { SessionEmitter, WhatsAppSessionError, type WhatsAppSession } from '../session';

/**
 * A WhatsAppSession for tests. Tests drive its life (showQr, becomeReady, disconnect, receive...) as Chromium
 * would; sends and downloads go to a FakeWhatsAppWeb on 127.0.0.1, whose answer (or scripted failure) becomes
 * the result or the WhatsAppSessionError the real session would throw.
 */
export class FakeWhatsAppSession extends SessionEmitter implements WhatsAppSession {
  starts = 0;
  stops = 0;
  /** The next N start() calls fail, as when Chromium cannot launch. */
  failStarts = 0;
  private ready = false;

  constructor(
    readonly channelId: string,
    private readonly opts: { backendUrl?: string; readyOnStart?: boolean } = {},
  ) {
    super();
  }

  async start(): Promise<void> {
    this.starts++;
    if (this.failStarts > 0) {
      this.failStarts--;
      throw new Error('Failed to launch the browser process!');
    }
    if (this.opts.readyOnStart) this.becomeReady();
  }

  async stop(): Promise<void> {
    this.stops++;
    this.ready = false;
  }

  isReady(): boolean {
    return this.ready;
  }

  showQr(code: string): void {
    this.emit('qr', code);
  }

  becomeReady(): void {
    this.ready = true;
    this.emit('ready');
  }

  disconnect(reason: string): void {
    this.ready = false;
    this.emit('disconnected', reason);
  }

  failAuth(message: string): void {
    this.ready = false;
    this.emit('auth_failure', message);
  }

  receive(message: Record<string, unknown>): void {
    this.emit('message', message);
  }

  ack(messageId: string, ack: number): void {
    this.emit('message_ack', messageId, ack);
  }

  sendText(chatId: string, text: string): Promise<string> {
    return this.send({ chatId, text });
  }

  sendMedia(chatId: string, media: OutboundMedia, caption?: string): Promise<string> {
    const { kind, mimeType, fileName, data } = media;
    return this.send({ chatId, caption, media: { kind, mimeType, fileName, base64: data.toString('base64') } });
  }

  async findSentText(chatId: string, text: string, since: Date): Promise<string | null> {
    this.assertReady();
    const query = new URLSearchParams({ chatId, text, since: String(since.getTime()) });
    const res = await this.call(`sent?${query}`);
    if (res.status === 404) return null;
    if (res.status !== 200) throw new WhatsAppSessionError('transient', `history lookup failed (${res.status})`);
    return ((await res.json()) as { id: string }).id;
  }

  async downloadMedia(messageId: string): Promise<DownloadedMedia> {
    this.assertReady();
    const res = await this.call(`media/${encodeURIComponent(messageId)}`);
    if (res.status === 404) throw new WhatsAppSessionError('media_unavailable', 'the file is no longer available on WhatsApp');
    if (res.status !== 200) throw new WhatsAppSessionError('transient', `download failed (${res.status})`);
    return {
      data: Buffer.from(await res.arrayBuffer()),
      mimeType: res.headers.get('content-type') ?? undefined,
      fileName: res.headers.get('x-file-name') ?? undefined,
    };
  }

  private async send(body: Record<string, unknown>): Promise<string> {
    this.assertReady();
    const res = await this.call('messages', body);
    const json = (await res.json().catch(() => ({}))) as { id?: string; error?: string; retryAfterSeconds?: number };
    if (res.status === 200 && json.id) return json.id;
    if (res.status === 429) {
      const wait = json.retryAfterSeconds;
      throw new WhatsAppSessionError('rate_limited', json.error ?? 'rate limited', wait !== undefined ? wait * 1000 : undefined);
    }
    if (res.status === 404) throw new WhatsAppSessionError('not_on_whatsapp', String(body.chatId));
    throw new WhatsAppSessionError('transient', json.error ?? `fake WhatsApp Web answered ${res.status}`);
  }

  private async call(path: string, body?: unknown): Promise<Response> {
    if (!this.opts.backendUrl) throw new Error('FakeWhatsAppSession: no backendUrl given, so it cannot send');
    try {
      return await fetch(`${this.opts.backendUrl}/sessions/${encodeURIComponent(this.channelId)}/${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: body === undefined ? undefined : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (err) {
      throw new WhatsAppSessionError('transient', `browser unreachable: ${(err as Error).message}`);
    }
  }

  private assertReady(): void {
    if (!this.ready) throw new WhatsAppSessionError('not_ready', 'the fake session is not ready');
  }
}
