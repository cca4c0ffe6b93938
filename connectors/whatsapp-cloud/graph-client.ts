import { ConnectorError } from '../contract';
import { platformFetch, tryJson, type PlatformResponse } from '../shared/http';
import { mapGraphError } from './errors';

/**
 * The few Graph API calls the connector makes, all with the bearer token, one time limit and one error mapping.
 * The base URL includes the API version (https://graph.facebook.com/v25.0) so that a fake server or a proxy can
 * stand in for it; paths keep the base's own path.
 */
export class GraphClient {
  private readonly base: string;

  constructor(
    base: string,
    private readonly accessToken: string,
    private readonly timeoutMs: number,
  ) {
    this.base = base.replace(/\/+$/, '');
  }

  url(...segments: string[]): string {
    return `${this.base}/${segments.map(encodeURIComponent).join('/')}`;
  }

  async postJson(segments: string[], body: unknown): Promise<Record<string, unknown>> {
    const res = await this.call(this.url(...segments), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return jsonObject(res);
  }

  async postForm(segments: string[], form: FormData): Promise<Record<string, unknown>> {
    // fetch sets the multipart boundary itself: no content-type here.
    return jsonObject(await this.call(this.url(...segments), { method: 'POST', body: form }));
  }

  async getJson(segments: string[], query: Record<string, string> = {}): Promise<Record<string, unknown>> {
    const search = new URLSearchParams(query).toString();
    return jsonObject(await this.call(search ? `${this.url(...segments)}?${search}` : this.url(...segments), { method: 'GET' }));
  }

  /** A media file's bytes: the URL comes from GET /{media-id} and needs the same bearer token. */
  async download(url: string): Promise<PlatformResponse> {
    return this.call(url, { method: 'GET' });
  }

  private async call(url: string, init: { method: string; headers?: Record<string, string>; body?: string | FormData }) {
    const res = await platformFetch({
      url,
      method: init.method,
      headers: { ...init.headers, authorization: `Bearer ${this.accessToken}` },
      body: init.body,
      timeoutMs: this.timeoutMs,
    });
    if (res.status >= 300) throw mapGraphError(res.status, res.text, res.headers.get('retry-after'));
    return res;
  }
}

function jsonObject(res: PlatformResponse): Record<string, unknown> {
  const json = tryJson(res.text);
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    // The call succeeded but its answer is unreadable: retrying a send could deliver it twice.
    throw ConnectorError.permanent(`WhatsApp API answered HTTP ${res.status} with a body that is not a JSON object`, {
      code: 'bad_response',
    });
  }
  return json as Record<string, unknown>;
}
