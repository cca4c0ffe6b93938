import { Client, LocalAuth, MessageMedia, type Message, type MessageSendOptions } from 'whatsapp-web.js';
import type { AttachmentKind, DownloadedMedia, OutboundMedia } from '../contract';
import type { WhatsAppWebAccount } from './schema';
import { SessionEmitter, WhatsAppSessionError, type WhatsAppSession } from './session';

/**
 * The real session: whatsapp-web.js driving WhatsApp Web in Chromium (https://docs.wwebjs.dev/). Type-checked,
 * not run in tests (no fake can stand in for WhatsApp Web's internals): keep it a thin adapter; the logic
 * lives in the parser, the connector and the SessionManager.
 */
export interface WwebjsRuntimeConfig {
  /** LocalAuth's directory; one `session-<channel id>` folder per channel. Must survive restarts (a volume). */
  dataPath: string;
  /** The browser to launch (Debian's `chromium`: /usr/bin/chromium); puppeteer's own download is not installed. */
  chromiumPath: string;
  /** Replaces DEFAULT_CHROMIUM_ARGS. */
  chromiumArgs?: string[];
  headless?: boolean;
  /** How long one send or download may take inside the browser before it counts as failed (retryable). */
  callTimeoutMs?: number;
  /** QR codes to show before giving up (0: keep showing them until someone scans one). */
  qrMaxRetries?: number;
}

/** In containers Chromium has no user namespaces for its sandbox and a 64 MB /dev/shm. */
export const DEFAULT_CHROMIUM_ARGS = ['--no-sandbox', '--disable-setuid-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run'];

export function wwebjsSessionFactory(config: WwebjsRuntimeConfig): (account: WhatsAppWebAccount) => WhatsAppSession {
  return (account) => new WwebjsSession(account.id, config);
}

export class WwebjsSession extends SessionEmitter implements WhatsAppSession {
  private client?: Client;
  private ready = false;
  /** @c.us ids WhatsApp confirmed exist, so that only the first send to a number pays for the lookup. */
  private readonly known = new Map<string, string>();

  constructor(
    readonly channelId: string,
    private readonly config: WwebjsRuntimeConfig,
  ) {
    super();
    // LocalAuth names a folder after the client id and accepts only these characters.
    if (!/^[-_\w]+$/.test(channelId)) throw new Error(`channel id ${channelId} cannot name a LocalAuth session`);
  }

  async start(): Promise<void> {
    await this.stop();
    const client = new Client({
      authStrategy: new LocalAuth({ clientId: this.channelId, dataPath: this.config.dataPath }),
      puppeteer: {
        executablePath: this.config.chromiumPath,
        headless: this.config.headless ?? true,
        args: this.config.chromiumArgs ?? DEFAULT_CHROMIUM_ARGS,
      },
      qrMaxRetries: this.config.qrMaxRetries ?? 0,
    });
    this.client = client;
    // A destroyed client may still fire a late event: only the current one speaks for this session.
    const current = () => this.client === client;
    client.on('qr', (qr: string) => current() && this.emit('qr', qr));
    client.on('ready', () => {
      if (!current()) return;
      this.ready = true;
      this.emit('ready');
    });
    client.on('message', (msg: Message) => current() && this.emit('message', serialiseMessage(msg)));
    client.on('message_ack', (msg: Message, ack: number) => current() && this.emit('message_ack', msg.id._serialized, ack));
    client.on('disconnected', (reason: unknown) => {
      if (!current()) return;
      this.ready = false;
      this.emit('disconnected', String(reason));
    });
    client.on('auth_failure', (message: unknown) => {
      if (!current()) return;
      this.ready = false;
      this.emit('auth_failure', String(message));
    });
    await client.initialize();
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.ready = false;
    if (!client) return;
    client.removeAllListeners();
    await client.destroy();
  }

  isReady(): boolean {
    return this.ready;
  }

  sendText(chatId: string, text: string): Promise<string> {
    return this.send(chatId, (client, to) => client.sendMessage(to, text));
  }

  sendMedia(chatId: string, media: OutboundMedia, caption?: string): Promise<string> {
    const file = new MessageMedia(media.mimeType, media.data.toString('base64'), media.fileName, media.data.length);
    return this.send(chatId, (client, to) => client.sendMessage(to, file, { caption, ...SEND_AS[media.kind] }));
  }

  async findSentText(chatId: string, text: string, since: Date): Promise<string | null> {
    const client = this.readyClient();
    try {
      const chat = await this.timed(client.getChatById(await this.resolve(client, chatId)));
      const recent = await this.timed(chat.fetchMessages({ limit: 50, fromMe: true }));
      // timestamps are whole seconds; a minute's slack covers clocks that differ between phone and server.
      const found = recent.find((m) => m.body === text && m.timestamp * 1000 >= since.getTime() - 60_000);
      return found ? found.id._serialized : null;
    } catch (err) {
      throw classify(err);
    }
  }

  async downloadMedia(messageId: string): Promise<DownloadedMedia> {
    const client = this.readyClient();
    try {
      const msg = await this.timed(client.getMessageById(messageId));
      if (!msg?.hasMedia) throw new WhatsAppSessionError('media_unavailable', 'WhatsApp Web no longer has this message or its file');
      const media = await this.timed(msg.downloadMedia());
      // undefined when the file expired on WhatsApp's servers or was deleted from the phone.
      if (!media) throw new WhatsAppSessionError('media_unavailable', 'the file is no longer available on WhatsApp');
      return { data: Buffer.from(media.data, 'base64'), mimeType: media.mimetype, fileName: media.filename ?? undefined };
    } catch (err) {
      throw classify(err);
    }
  }

  private async send(chatId: string, call: (client: Client, to: string) => Promise<Message | undefined>): Promise<string> {
    const client = this.readyClient();
    try {
      const to = await this.resolve(client, chatId);
      const msg = await this.timed(call(client, to));
      if (!msg) throw new WhatsAppSessionError('invalid_recipient', `WhatsApp Web found no chat ${chatId}`);
      return msg.id._serialized;
    } catch (err) {
      throw classify(err);
    }
  }

  /** WhatsApp's own id for a phone number (it can differ, e.g. Brazil's 9th digit); null: not on WhatsApp. */
  private async resolve(client: Client, chatId: string): Promise<string> {
    if (!chatId.endsWith('@c.us')) return chatId;
    const cached = this.known.get(chatId);
    if (cached) return cached;
    const wid = await this.timed(client.getNumberId(chatId));
    if (!wid) throw new WhatsAppSessionError('not_on_whatsapp', chatId);
    this.known.set(chatId, wid._serialized);
    return wid._serialized;
  }

  private readyClient(): Client {
    if (!this.client || !this.ready) throw new WhatsAppSessionError('not_ready', 'the session is not paired and connected');
    return this.client;
  }

  private timed<T>(promise: Promise<T>): Promise<T> {
    const ms = this.config.callTimeoutMs ?? 60_000;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new WhatsAppSessionError('transient', `WhatsApp Web did not answer within ${ms} ms (it may still have sent)`)), ms);
    });
    return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
  }
}

const SEND_AS: Partial<Record<AttachmentKind, MessageSendOptions>> = {
  voice: { sendAudioAsVoice: true },
  animation: { sendVideoAsGif: true },
  sticker: { sendMediaAsSticker: true },
  document: { sendMediaAsDocument: true },
};

/** Errors surface as page-evaluation messages; these are the ones we can tell apart. */
export function classify(err: unknown): WhatsAppSessionError {
  if (err instanceof WhatsAppSessionError) return err;
  const message = (err as Error)?.message ?? String(err);
  if (/rate-overlimit|too many requests/i.test(message)) return new WhatsAppSessionError('rate_limited', message);
  // Recent WhatsApp Web versions look every recipient up by LID; a number without WhatsApp has none.
  if (/No LID for user|not a WhatsApp user|not registered/i.test(message)) return new WhatsAppSessionError('not_on_whatsapp', message);
  if (/invalid wid|wid error/i.test(message)) return new WhatsAppSessionError('invalid_recipient', message);
  // Target closed, Session closed, Execution context was destroyed...: the browser is restarting.
  return new WhatsAppSessionError('transient', message);
}

/**
 * The JSON handed to the inbound path: the public Message fields the parser reads plus a few raw ones.
 * Not the whole raw model: it carries thumbnails (a location's body is a JPEG) and media keys.
 */
export function serialiseMessage(msg: Message): Record<string, unknown> {
  const raw = (msg.rawData ?? {}) as Record<string, unknown>;
  const pick = (keys: string[]) => Object.fromEntries(keys.filter((k) => raw[k] !== undefined).map((k) => [k, raw[k]]));
  const loc = msg.location;
  return {
    id: msg.id,
    type: msg.type,
    from: msg.from,
    to: msg.to,
    author: msg.author,
    fromMe: msg.fromMe,
    body: msg.type === 'location' ? '' : msg.body,
    hasMedia: msg.hasMedia,
    timestamp: msg.timestamp,
    isStatus: msg.isStatus,
    isGif: msg.isGif,
    vCards: msg.vCards,
    ...(loc ? { location: { latitude: loc.latitude, longitude: loc.longitude, description: loc.description } } : {}),
    _data: pick(['notifyName', 'mimetype', 'filename', 'size']),
  };
}
