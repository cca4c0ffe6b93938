import { FakePlatformServer, type FakeResponse, type RecordedCall } from '../../shared/testing/fake-platform';

/**
 * A fake Viber REST bot API on 127.0.0.1 for tests: `POST /pa/<method>` with `X-Viber-Auth-Token`, answering as
 * Viber does (https://creators.viber.com/docs/bots-api/errors): HTTP 200 with `status` 0, or 200 with an error
 * status. It checks the token and the message fields Viber requires, answers a real 64-bit `message_token`
 * (written as a bare JSON number above 2^53, as Viber does), records every call, serves media under /media/,
 * and can be told to fail.
 */
export class FakeViberApi extends FakePlatformServer {
  /** Above 2^53 on purpose: a JSON.parse anywhere on the way loses its last digits. */
  private nextToken = 5_741_311_803_571_721_087n;
  /** Users who unsubscribed: sends to them answer status 6. */
  readonly unsubscribed = new Set<string>();
  /** path under /media/ → bytes and content type. */
  readonly media = new Map<string, { data: Buffer; contentType: string }>();
  webhookUrl?: string;
  /** Answer API calls this much later (to test timeouts). */
  delayMs = 0;

  constructor(
    readonly authToken: string,
    /** The bot's id as get_account_info gives it (`pa:` and digits). */
    readonly accountId = 'pa:75346594275468546724',
  ) {
    super();
    this.route('POST', /^\/pa\/\w+$/, (call) => this.api(call));
    this.route('GET', /^\/media\/.+$/, (call) => {
      const file = this.media.get(call.path.slice('/media/'.length));
      return file ? { status: 200, body: file.data, headers: { 'content-type': file.contentType } } : { status: 404, body: 'Not Found' };
    });
  }

  sendCalls(): RecordedCall[] {
    return this.callsTo(/^\/pa\/send_message$/);
  }

  /** The token the next successful send will get, as the connector must report it. */
  peekNextMessageToken(): string {
    return (this.nextToken + 1n).toString();
  }

  /** An HTTP 429 with Retry-After (a front end in the way; Viber itself answers status 12). */
  rateLimitNext(retryAfterSeconds: number): this {
    return this.failNext({ status: 429, body: { error: 'Too Many Requests' }, headers: { 'retry-after': String(retryAfterSeconds) } }, isSend);
  }

  serverErrorNext(times = 1): this {
    return this.failNext({ status: 503, body: { error: 'Service Unavailable' } }, isSend, times);
  }

  /** HTTP 200 with a Viber error status, e.g. 6 (not subscribed) or 12 (too many requests). */
  statusNext(status: number, statusMessage: string, match: (c: RecordedCall) => boolean = isSend): this {
    return this.failNext({ status: 200, body: { status, status_message: statusMessage, chat_hostname: 'SN-CHAT-05_' } }, match);
  }

  notSubscribedNext(): this {
    return this.statusNext(6, 'notSubscribed');
  }

  private async api(call: RecordedCall): Promise<FakeResponse> {
    // unref: a test that stopped the server must not wait for this timer.
    if (this.delayMs) await new Promise((r) => setTimeout(r, this.delayMs).unref());
    if (call.headers['x-viber-auth-token'] !== this.authToken) return status(2, 'invalidAuthToken');
    if (!call.json || typeof call.json !== 'object') return status(3, 'badData');
    switch (call.path) {
      case '/pa/set_webhook': {
        const url = call.json.url;
        // An empty url removes the webhook.
        if (url === '') {
          this.webhookUrl = undefined;
          return { status: 200, body: { status: 0, status_message: 'ok' } };
        }
        if (typeof url !== 'string' || !/^https?:\/\//.test(url)) return status(1, 'invalidUrl');
        this.webhookUrl = url;
        return { status: 200, body: { status: 0, status_message: 'ok', event_types: call.json.event_types ?? [] } };
      }
      case '/pa/send_message':
        return this.sendMessage(call.json);
      case '/pa/get_account_info':
        return {
          status: 200,
          body: {
            status: 0,
            status_message: 'ok',
            id: this.accountId,
            name: 'Parley Test Bot',
            uri: 'parleytestbot',
            icon: 'https://example.com/avatar.jpg',
            category: 'Organisation',
            subcategory: 'Customer service',
            country: 'PL',
            webhook: this.webhookUrl ?? '',
            event_types: ['delivered', 'seen'],
            subscribers_count: 35,
            members: [{ id: '01234567890A=', name: 'Agnieszka', avatar: 'https://example.com/a.jpg', role: 'admin' }],
          },
        };
      default:
        return status(3, 'badData');
    }
  }

  private sendMessage(m: Record<string, any>): FakeResponse {
    const problem = messageProblem(m);
    if (problem) return status(problem.status, problem.message);
    if (this.unsubscribed.has(m.receiver)) return status(6, 'notSubscribed');
    this.nextToken += 1n;
    // JSON.stringify cannot write a bigint as a bare number: write the body by hand, as Viber's servers do.
    const body = `{"status":0,"status_message":"ok","message_token":${this.nextToken},"chat_hostname":"SN-CHAT-05_","billing_status":1}`;
    return { status: 200, body: Buffer.from(body), headers: { 'content-type': 'application/json' } };
  }
}

/** What Viber checks on a message (https://creators.viber.com/docs/bots-api/data-models/message). */
function messageProblem(m: Record<string, any>): { status: number; message: string } | undefined {
  const missing = { status: 4, message: 'missingData' };
  const bad = { status: 3, message: 'badData' };
  if (typeof m.receiver !== 'string' || !m.receiver) return missing;
  if (typeof m.sender?.name !== 'string' || !m.sender.name) return missing;
  if (m.sender.name.length > 28) return bad;
  const lastSegment = (url: unknown) => {
    try {
      return typeof url === 'string' ? (new URL(url).pathname.split('/').pop() ?? '') : '';
    } catch {
      return ''; // not a URL: fails the extension checks below, as Viber would refuse it
    }
  };
  switch (m.type) {
    case 'text':
      return typeof m.text !== 'string' || !m.text ? missing : m.text.length > 7000 ? bad : undefined;
    case 'picture':
      if (typeof m.text !== 'string' || typeof m.media !== 'string') return missing;
      return m.text.length > 768 || !/\.(jpe?g|png|gif)$/i.test(lastSegment(m.media)) ? bad : undefined;
    case 'video':
      if (typeof m.media !== 'string' || !Number.isInteger(m.size)) return missing;
      return !/\.mp4$/i.test(lastSegment(m.media)) || m.size > 27_262_976 ? bad : undefined;
    case 'file':
      if (typeof m.media !== 'string' || !Number.isInteger(m.size) || typeof m.file_name !== 'string') return missing;
      return !/\.\w+$/.test(lastSegment(m.media)) || m.size > 52_428_800 || m.file_name.length > 256 ? bad : undefined;
    default:
      return bad;
  }
}

function status(code: number, message: string): FakeResponse {
  return { status: 200, body: { status: code, status_message: message, chat_hostname: 'SN-CHAT-05_' } };
}

function isSend(call: RecordedCall): boolean {
  return call.path === '/pa/send_message';
}
