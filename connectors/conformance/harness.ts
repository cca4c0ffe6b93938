import type { Connector, ConnectorDefinition, OutboundMessage, WebhookRequest } from '../contract';
import type { FakePlatformServer } from '../shared/testing/fake-platform';
import type { FixtureCase } from '../shared/testing/fixtures';

/**
 * What a connector provides so that the conformance suite (conformance.test.ts) can run against it. Each
 * connector exports one as `harness` from `connectors/<name>/testing/harness.ts`; the suite finds them all.
 */
export interface ConformanceHarness {
  name: string;
  definition: ConnectorDefinition<any, any>;
  /** The connector's fixtures directory (with SOURCES.md). */
  fixturesDir: string;
  /** A running fake platform and a connector account wired to it. */
  setup(): Promise<{ connector: Connector; fake: FakePlatformServer; teardown(): Promise<void> }>;
  /** A request carrying a valid signature for this body (as the platform would send it). */
  signedRequest(body: Buffer): WebhookRequest;
  /** The same body with a wrong signature, and with none. */
  forgedRequest(body: Buffer): WebhookRequest;
  unsignedRequest(body: Buffer): WebhookRequest;
  /** The request for one fixture (some fixtures need wrapping, e.g. Telegram's bare Message objects). */
  fixtureRequest?(fixture: FixtureCase): WebhookRequest;
  /** A well-formed payload of a kind the connector does not handle. */
  unknownKindPayload: Buffer;
  outboundText(): OutboundMessage;
  outboundMedia(): OutboundMessage;
  /** Make the fake answer the next send with: a rate limit (with a wait in seconds), a 5xx, a permanent error. */
  injectRateLimit(fake: FakePlatformServer, retryAfterSeconds: number): void;
  injectServerError(fake: FakePlatformServer): void;
  injectPermanentError(fake: FakePlatformServer): void;
  /** The platform message id the fake returns for the next send, as the connector should report it. */
  expectedPlatformMessageId(fake: FakePlatformServer): string | RegExp;
  /**
   * Connectors with `describeAccount` that asks the platform: make the fake refuse the next call as the platform
   * refuses wrong credentials (Telegram's 401 Unauthorized, Viber's status 2, Graph's code 190...).
   */
  refuseCredentials?(fake: FakePlatformServer): void;
  /** The account's secrets in setup(): no error message may contain them. */
  secrets?: string[];
}
