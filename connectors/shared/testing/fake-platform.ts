import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The base of every fake platform server used in tests: a real HTTP server on 127.0.0.1 that records each call,
 * answers from routes a connector's fake registers, and can be told to fail (answer the next calls with a
 * scripted response such as 429 with retry_after, 500, or a platform's "blocked" error).
 */
export interface RecordedCall {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: Buffer;
  /** The body parsed as JSON, when it is JSON. */
  json?: any;
  at: number;
  /** The status the fake answered with, once it has answered. */
  status?: number;
}

export interface FakeResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

type Handler = (call: RecordedCall) => FakeResponse | Promise<FakeResponse>;

interface Route {
  method: string;
  pattern: RegExp;
  handler: Handler;
}

interface Injection {
  match: (call: RecordedCall) => boolean;
  response: FakeResponse;
}

export class FakePlatformServer {
  readonly calls: RecordedCall[] = [];
  private readonly routes: Route[] = [];
  private readonly injections: Injection[] = [];
  private readonly waiters: Array<{ pred: (c: RecordedCall) => boolean; resolve: (c: RecordedCall) => void }> = [];
  private server?: Server;
  private fault?: (call: RecordedCall) => FakeResponse | undefined;
  url = '';
  /** Every answer waits this long first (a slow platform; a send in flight for a while). */
  latencyMs = 0;

  /** Until lifted (`setFault(undefined)`), each call the function answers for gets its response (429s, 5xx for a while). */
  setFault(fault: ((call: RecordedCall) => FakeResponse | undefined) | undefined): this {
    this.fault = fault;
    return this;
  }

  route(method: string, pattern: RegExp, handler: Handler): this {
    this.routes.push({ method: method.toUpperCase(), pattern, handler });
    return this;
  }

  /** The next matching call (by default: any call) gets this response instead of the route's. */
  failNext(response: FakeResponse, match: (call: RecordedCall) => boolean = () => true, times = 1): this {
    for (let i = 0; i < times; i++) this.injections.push({ match, response });
    return this;
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    this.server = undefined;
  }

  callsTo(pattern: RegExp): RecordedCall[] {
    return this.calls.filter((c) => pattern.test(c.path));
  }

  /** Resolves with the first call (already made or future) matching the predicate. */
  waitForCall(pred: (c: RecordedCall) => boolean, timeoutMs = 10_000): Promise<RecordedCall> {
    const seen = this.calls.find(pred);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('fake platform: expected call did not arrive')), timeoutMs);
      this.waiters.push({
        pred,
        resolve: (c) => {
          clearTimeout(timer);
          resolve(c);
        },
      });
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const call: RecordedCall = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      body,
      at: Date.now(),
    };
    if ((req.headers['content-type'] ?? '').includes('json')) {
      try {
        call.json = JSON.parse(body.toString('utf8'));
      } catch {
        /* recorded as raw body */
      }
    }
    this.calls.push(call);
    for (let i = this.waiters.length - 1; i >= 0; i--) {
      if (this.waiters[i].pred(call)) this.waiters.splice(i, 1)[0].resolve(call);
    }
    let response: FakeResponse;
    if (this.latencyMs > 0) await new Promise((r) => setTimeout(r, this.latencyMs));
    const faulted = this.fault?.(call);
    const injected = faulted ? -1 : this.injections.findIndex((inj) => inj.match(call));
    if (faulted) {
      response = faulted;
    } else if (injected >= 0) {
      response = this.injections.splice(injected, 1)[0].response;
    } else {
      const route = this.routes.find((r) => r.method === call.method && r.pattern.test(call.path));
      response = route ? await route.handler(call) : { status: 404, body: { error: `no fake route for ${call.path}` } };
    }
    call.status = response.status;
    const isBuffer = Buffer.isBuffer(response.body);
    res.writeHead(response.status, {
      'content-type': isBuffer ? 'application/octet-stream' : 'application/json',
      ...response.headers,
    });
    res.end(isBuffer ? response.body : response.body === undefined ? '' : JSON.stringify(response.body));
  }
}
