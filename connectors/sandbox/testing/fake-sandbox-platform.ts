import { FakePlatformServer, type RecordedCall } from '../../shared/testing/fake-platform';

/** A sandbox platform on 127.0.0.1 for tests: `POST /<webhookId>/messages` answers `{ id }`, and can be told to fail. */
export class FakeSandboxPlatform extends FakePlatformServer {
  private next = 1;

  constructor() {
    super();
    this.route('POST', /^\/[^/]+\/messages$/, () => ({ status: 200, body: { id: `sbx-${this.next++}` } }));
  }

  peekNextId(): string {
    return `sbx-${this.next}`;
  }

  sendCalls(): RecordedCall[] {
    return this.callsTo(/\/messages$/);
  }

  rateLimitNext(seconds: number): this {
    return this.failNext({ status: 429, body: { error: 'slow down', retry_after: seconds } });
  }

  serverErrorNext(): this {
    return this.failNext({ status: 503, body: { error: 'unavailable' } });
  }

  blockNext(): this {
    return this.failNext({ status: 403, body: { error: 'blocked' } });
  }
}
