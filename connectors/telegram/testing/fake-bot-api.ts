import { FakePlatformServer, type RecordedCall } from '../../shared/testing/fake-platform';

/**
 * A fake Telegram Bot API on 127.0.0.1 for tests: `POST /bot<token>/<method>` (JSON or multipart) and
 * `GET /file/bot<token>/<path>`, answering as Telegram does (https://core.telegram.org/bots/api#making-requests).
 * It checks the token, records every call, serves files put in `files`, and can be told to fail.
 */
export class FakeTelegramBotApi extends FakePlatformServer {
  private nextMessageId = 1000;
  /** file_id → bytes served by getFile + /file/ downloads. */
  readonly files = new Map<string, { data: Buffer; path: string }>();
  /** Where Telegram would deliver updates: set by setWebhook, cleared by deleteWebhook. */
  webhookUrl?: string;

  constructor(readonly token: string) {
    super();
    this.route('POST', /^\/bot[^/]+\/\w+$/, (call) => this.api(call));
    this.route('GET', /^\/file\/bot[^/]+\/.+$/, (call) => this.file(call));
  }

  /** The chat id a recorded call was addressed to (JSON or multipart bodies). */
  static async chatIdOf(call: RecordedCall): Promise<string | undefined> {
    if (call.json) return call.json.chat_id !== undefined ? String(call.json.chat_id) : undefined;
    const form = await FakeTelegramBotApi.formOf(call);
    return form?.get('chat_id')?.toString();
  }

  static async formOf(call: RecordedCall): Promise<FormData | undefined> {
    const type = call.headers['content-type'];
    if (!type?.startsWith('multipart/form-data')) return undefined;
    return new Response(call.body, { headers: { 'content-type': type } }).formData();
  }

  static methodOf(call: RecordedCall): string {
    return call.path.split('/').pop()!;
  }

  sendCalls(): RecordedCall[] {
    return this.calls.filter((c) => /^\/bot[^/]+\/send\w+$/.test(c.path));
  }

  rateLimitNext(retryAfterSeconds: number, times = 1): this {
    return this.failNext(
      {
        status: 429,
        body: {
          ok: false,
          error_code: 429,
          description: `Too Many Requests: retry after ${retryAfterSeconds}`,
          parameters: { retry_after: retryAfterSeconds },
        },
      },
      isSend,
      times,
    );
  }

  blockNext(): this {
    return this.failNext({ status: 403, body: { ok: false, error_code: 403, description: 'Forbidden: bot was blocked by the user' } }, isSend);
  }

  serverErrorNext(times = 1): this {
    return this.failNext({ status: 502, body: 'Bad Gateway' }, isSend, times);
  }

  /**
   * The next matching calls are answered with a body that is not JSON (a proxy's error page) and a status
   * below 500, which telegraf does not map itself: the HTTP client's error then names the URL, token and all.
   */
  nonJsonNext(status = 400, match: (call: RecordedCall) => boolean = () => true, times = 1): this {
    return this.failNext({ status, body: Buffer.from('<html><body>Bad Request</body></html>'), headers: { 'content-type': 'text/html' } }, match, times);
  }

  private api(call: RecordedCall) {
    const [, tokenPart, method] = /^\/bot([^/]+)\/(\w+)$/.exec(call.path)!;
    if (tokenPart !== this.token) return { status: 401, body: { ok: false, error_code: 401, description: 'Unauthorized' } };
    const now = Math.floor(Date.now() / 1000);
    switch (method) {
      case 'getMe':
        return ok({ id: Number(this.token.split(':')[0]), is_bot: true, first_name: 'Parley Test Bot', username: 'parley_test_bot' });
      case 'setWebhook':
        this.webhookUrl = call.json?.url;
        return ok(true);
      case 'deleteWebhook':
        this.webhookUrl = undefined;
        return ok(true);
      case 'getFile': {
        const fileId = call.json?.file_id;
        const file = this.files.get(fileId);
        if (!file) return { status: 400, body: { ok: false, error_code: 400, description: 'Bad Request: invalid file_id' } };
        return ok({ file_id: fileId, file_unique_id: `u${fileId}`, file_size: file.data.length, file_path: file.path });
      }
      default:
        if (method.startsWith('send')) return ok({ message_id: ++this.nextMessageId, date: now, chat: { id: 0, type: 'private' } });
        return { status: 404, body: { ok: false, error_code: 404, description: 'Not Found: method not found' } };
    }
  }

  private file(call: RecordedCall) {
    const [, tokenPart, path] = /^\/file\/bot([^/]+)\/(.+)$/.exec(call.path)!;
    if (tokenPart !== this.token) return { status: 401, body: { ok: false, error_code: 401, description: 'Unauthorized' } };
    const file = [...this.files.values()].find((f) => f.path === path);
    return file ? { status: 200, body: file.data } : { status: 404, body: { ok: false, error_code: 404, description: 'Not Found' } };
  }

  /** The message id the next send will get. */
  peekNextMessageId(): number {
    return this.nextMessageId + 1;
  }
}

function ok(result: unknown) {
  return { status: 200, body: { ok: true, result } };
}

function isSend(call: RecordedCall): boolean {
  return /\/send\w+$/.test(call.path);
}
