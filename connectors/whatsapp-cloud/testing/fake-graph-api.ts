import { FakePlatformServer, type FakeResponse, type RecordedCall } from '../../shared/testing/fake-platform';

/**
 * A fake Graph API (WhatsApp Cloud API) on 127.0.0.1 for tests, under a version prefix like the real one:
 *   POST /v25.0/{phone-number-id}/messages      send (JSON)          → {messaging_product, contacts, messages:[{id}]}
 *   POST /v25.0/{phone-number-id}/media         upload (multipart)   → {id}
 *   GET  /v25.0/{phone-number-id}               the number           → {display_phone_number, verified_name, id}
 *   GET  /v25.0/{media-id}                      media URL            → {url, mime_type, file_size, sha256, id}
 *   GET  /media-files/{media-id}                the bytes (bearer token required, like lookaside.fbsbx.com)
 *   POST /v25.0/{phone-number-id}               webhook_configuration override → {success: true}
 *   POST /v25.0/{waba-id}/subscribed_apps       → {success: true}
 * It checks the bearer token, records every call, and can be told to fail like Meta does
 * (https://developers.facebook.com/documentation/business-messaging/whatsapp/support/error-codes).
 */
export const FAKE_API_VERSION = 'v25.0';
const V = `/${FAKE_API_VERSION}`;

export class FakeGraphApi extends FakePlatformServer {
  private nextMessageNumber = 1000;
  private nextMediaNumber = 5000;
  /** The business numbers this token may use (GET /{phone-number-id}); a test may add more. */
  readonly phoneNumbers = new Map<string, { display_phone_number: string; verified_name: string }>();
  /** media id → bytes, as uploaded or put here by a test (inbound media). */
  readonly media = new Map<string, { data: Buffer; mimeType: string }>();

  constructor(
    readonly accessToken: string,
    readonly phoneNumberId: string,
  ) {
    super();
    this.phoneNumbers.set(phoneNumberId, { display_phone_number: '+48 22 123 45 67', verified_name: 'Parley Test' });
    this.route('POST', new RegExp(`^${V}/${phoneNumberId}/messages$`), (c) => this.authed(c, () => this.sendMessage(c)));
    this.route('POST', new RegExp(`^${V}/${phoneNumberId}/media$`), (c) => this.authed(c, () => this.upload(c)));
    this.route('POST', new RegExp(`^${V}/${phoneNumberId}$`), (c) => this.authed(c, () => this.override(c)));
    this.route('POST', new RegExp(`^${V}/\\d+/subscribed_apps$`), (c) => this.authed(c, () => ({ status: 200, body: { success: true } })));
    this.route('GET', new RegExp(`^${V}/[^/]+$`), (c) => this.authed(c, () => this.phoneNumber(c) ?? this.mediaInfo(c)));
    this.route('GET', /^\/media-files\/[^/]+$/, (c) => this.authed(c, () => this.mediaFile(c)));
  }

  /** The API base URL a connector should be configured with. */
  get apiBaseUrl(): string {
    return `${this.url}${V}`;
  }

  /** The wamid the next successful send will get. */
  peekNextMessageId(): string {
    return wamid(this.nextMessageNumber + 1);
  }

  messageCalls(): RecordedCall[] {
    return this.calls.filter(isMessagesCall);
  }

  uploadCalls(): RecordedCall[] {
    return this.calls.filter((c) => c.method === 'POST' && c.path.endsWith('/media'));
  }

  static async formOf(call: RecordedCall): Promise<FormData> {
    return new Response(call.body, { headers: { 'content-type': String(call.headers['content-type']) } }).formData();
  }

  // --- failures on demand (next send to /messages unless said otherwise) --------------------------------------

  /** HTTP 429 with Retry-After, body code 130429 (throughput). */
  rateLimitNext(retryAfterSeconds: number, match: (c: RecordedCall) => boolean = isMessagesCall): this {
    return this.failNext(
      {
        status: 429,
        headers: { 'retry-after': String(retryAfterSeconds) },
        body: graphError(130429, 'Rate limit hit', 'Cloud API message throughput has been reached.'),
      },
      match,
    );
  }

  serverErrorNext(times = 1): this {
    return this.failNext({ status: 503, body: graphError(2, 'Service temporarily unavailable') }, isMessagesCall, times);
  }

  /** 131026 Message undeliverable: the usual permanent failure. */
  undeliverableNext(): this {
    return this.graphErrorNext(400, 131026, 'Message undeliverable', 'Message Undeliverable.');
  }

  graphErrorNext(status: number, code: number, message: string, details?: string, match = isMessagesCall): this {
    return this.failNext({ status, body: graphError(code, message, details) }, match);
  }

  // --- routes ------------------------------------------------------------------------------------------------

  private authed(call: RecordedCall, handler: () => FakeResponse | Promise<FakeResponse>): FakeResponse | Promise<FakeResponse> {
    if (call.headers.authorization !== `Bearer ${this.accessToken}`) {
      return { status: 401, body: graphError(190, 'Invalid OAuth access token - Cannot parse access token') };
    }
    return handler();
  }

  private sendMessage(call: RecordedCall): FakeResponse {
    const b = call.json;
    const target = b?.to ?? b?.recipient;
    if (b?.messaging_product !== 'whatsapp' || !target || !b.type || typeof b[b.type] !== 'object') {
      return { status: 400, body: graphError(100, 'Invalid parameter') };
    }
    if (b.type === 'text' && typeof b.text.body !== 'string') {
      return { status: 400, body: graphError(100, 'Invalid parameter', 'text.body is required') };
    }
    const mediaId = b[b.type].id;
    if (mediaId !== undefined && !this.media.has(mediaId)) {
      return { status: 400, body: graphError(131053, 'Media upload error', 'Unknown media id') };
    }
    const contact = b.recipient !== undefined ? { input: target, user_id: target } : { input: target, wa_id: target };
    const messages = [{ id: wamid(++this.nextMessageNumber) }];
    return { status: 200, body: { messaging_product: 'whatsapp', contacts: [contact], messages } };
  }

  private async upload(call: RecordedCall): Promise<FakeResponse> {
    if (!String(call.headers['content-type']).startsWith('multipart/form-data')) {
      return { status: 400, body: graphError(100, 'Invalid parameter', 'multipart/form-data expected') };
    }
    const form = await FakeGraphApi.formOf(call);
    const file = form.get('file');
    if (form.get('messaging_product') !== 'whatsapp' || !form.get('type') || !(file instanceof Blob)) {
      return { status: 400, body: graphError(100, 'Invalid parameter', 'file, type and messaging_product are required') };
    }
    const id = String(++this.nextMediaNumber);
    this.media.set(id, { data: Buffer.from(await file.arrayBuffer()), mimeType: String(form.get('type')) });
    return { status: 200, body: { id } };
  }

  private override(call: RecordedCall): FakeResponse {
    const cfg = call.json?.webhook_configuration;
    if (!cfg?.override_callback_uri || !cfg.verify_token) return { status: 400, body: graphError(100, 'Invalid parameter') };
    return { status: 200, body: { success: true } };
  }

  /** A phone number's fields, as Meta answers GET /{phone-number-id} (only the fields asked for, and the id). */
  private phoneNumber(call: RecordedCall): FakeResponse | undefined {
    const id = call.path.slice(V.length + 1);
    const number = this.phoneNumbers.get(id);
    if (!number) return undefined;
    const fields = (call.query.get('fields') ?? 'display_phone_number,verified_name,quality_rating,code_verification_status').split(',');
    const all: Record<string, unknown> = { ...number, quality_rating: 'GREEN', code_verification_status: 'VERIFIED', id };
    return { status: 200, body: Object.fromEntries(Object.entries(all).filter(([k]) => k === 'id' || fields.includes(k))) };
  }

  private mediaInfo(call: RecordedCall): FakeResponse {
    const id = call.path.slice(V.length + 1);
    const m = this.media.get(id);
    if (!m) {
      const message = `Unsupported get request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation`;
      return { status: 400, body: graphError(100, message) };
    }
    return {
      status: 200,
      body: {
        messaging_product: 'whatsapp',
        url: `${this.url}/media-files/${id}`,
        mime_type: m.mimeType,
        sha256: 'fake',
        file_size: m.data.length,
        id,
      },
    };
  }

  private mediaFile(call: RecordedCall): FakeResponse {
    const m = this.media.get(call.path.split('/').pop()!);
    return m ? { status: 200, body: m.data, headers: { 'content-type': m.mimeType } } : { status: 404, body: { error: 'not found' } };
  }
}

function wamid(n: number): string {
  return `wamid.HBgLRkFLRQ${n}`;
}

export function graphError(code: number, message: string, details?: string) {
  return {
    error: {
      message: `(#${code}) ${message}`,
      type: 'OAuthException',
      code,
      ...(details ? { error_data: { messaging_product: 'whatsapp', details } } : {}),
      fbtrace_id: 'AbCdEfFakeTrace',
    },
  };
}

export function isMessagesCall(call: RecordedCall): boolean {
  return call.method === 'POST' && call.path.endsWith('/messages');
}
