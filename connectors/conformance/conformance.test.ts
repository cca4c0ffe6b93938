import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ConnectorError, UnparseableWebhookError, inboundEventSchema, type OutboundMessage, type OutboundOf } from '../contract';
import { shippedConnectors } from '../registry';
import { loadFixtureCases } from '../shared/testing/fixtures';
import type { ConformanceHarness } from './harness';

/** The one conformance suite: every connector folder with a testing/harness.ts runs it. */
const root = join(__dirname, '..');
const harnesses: ConformanceHarness[] = readdirSync(root)
  .filter((d) => existsSync(join(root, d, 'testing', 'harness.ts')))
  // Discovered at run time, so a new connector's harness runs without being listed anywhere.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  .map((d) => require(join(root, d, 'testing', 'harness.ts')).harness as ConformanceHarness);

test('every registered connector has a conformance harness', () => {
  const covered = new Set(harnesses.map((h) => h.definition.type));
  for (const def of shippedConnectors.definitions()) expect(covered).toContain(def.type);
});

describe.each(harnesses.map((h) => [h.name, h] as const))('%s connector conformance', (_name, h) => {
  const cases = loadFixtureCases(h.fixturesDir);
  let ctx: Awaited<ReturnType<ConformanceHarness['setup']>>;

  beforeAll(async () => {
    ctx = await h.setup();
  });
  afterAll(async () => {
    await ctx?.teardown();
  });

  test('has fixtures', () => {
    expect(cases.length).toBeGreaterThan(0);
  });

  test.each(cases.map((c) => [c.file, c] as const))('parses fixture %s without throwing', (_f, c) => {
    const req = h.fixtureRequest ? h.fixtureRequest(c) : h.signedRequest(c.raw);
    const events = ctx.connector.parse(req);
    expect(Array.isArray(events)).toBe(true);
    for (const e of events) expect(['message', 'edit', 'status', 'subscription', 'ignored']).toContain(e.type);
  });

  // The core refuses (dead-letters) events that fail the contract's schema, and parses queued jobs with it.
  test.each(cases.map((c) => [c.file, c] as const))('fixture %s gives events the contract schema accepts, also after JSON', (_f, c) => {
    const req = h.fixtureRequest ? h.fixtureRequest(c) : h.signedRequest(c.raw);
    for (const event of ctx.connector.parse(req)) {
      const checked = inboundEventSchema.safeParse(event);
      if (!checked.success) throw new Error(`${c.file}: ${checked.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
      expect(checked.data).toEqual(event);
      // Through the queue: dates come back as Dates, nothing else changes.
      expect(inboundEventSchema.parse(JSON.parse(JSON.stringify(event)))).toEqual(event);
    }
  });

  test('accepts a correctly signed webhook', async () => {
    expect(await ctx.connector.verify(h.signedRequest(cases[0].raw))).toBe(true);
  });

  test('rejects a forged signature', async () => {
    expect(await ctx.connector.verify(h.forgedRequest(cases[0].raw))).toBe(false);
  });

  test('rejects a missing signature', async () => {
    expect(await ctx.connector.verify(h.unsignedRequest(cases[0].raw))).toBe(false);
  });

  test('ignores a kind it does not handle without throwing', () => {
    const events = ctx.connector.parse(h.signedRequest(h.unknownKindPayload));
    expect(events.every((e) => e.type === 'ignored')).toBe(true);
  });

  test('a body that is not JSON is unparseable, not a crash', () => {
    expect(() => ctx.connector.parse(h.signedRequest(Buffer.from('{not json')))).toThrow(UnparseableWebhookError);
  });

  test('sends a text reply and returns the platform message id', async () => {
    const expected = h.expectedPlatformMessageId(ctx.fake);
    const result = await ctx.connector.send(h.outboundText());
    if (expected instanceof RegExp) expect(result.platformMessageId).toMatch(expected);
    else expect(result.platformMessageId).toBe(expected);
  });

  test('sends a media reply and returns the platform message id', async () => {
    const expected = h.expectedPlatformMessageId(ctx.fake);
    const result = await ctx.connector.send(h.outboundMedia());
    if (expected instanceof RegExp) expect(result.platformMessageId).toMatch(expected);
    else expect(result.platformMessageId).toBe(expected);
  });

  test('refuses a message kind it does not declare, without calling the platform', async () => {
    const undeclared = (['choices', 'template'] as const).filter((k) => !h.definition.capabilities.outboundKinds.includes(k));
    const { kind: _kind, text: _text, ...address } = h.outboundText() as OutboundOf<'text'>;
    const messages: Record<'choices' | 'template', OutboundMessage> = {
      choices: { ...address, kind: 'choices', text: 'Which one?', choices: [{ id: 'a', title: 'A' }] },
      template: { ...address, kind: 'template', name: 'order_update', language: 'en_US', parameters: [] },
    };
    const callsBefore = ctx.fake.calls.length;
    for (const kind of undeclared) {
      const err = await ctx.connector.send(messages[kind]).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ConnectorError);
      expect((err as ConnectorError).code).toBe('unsupported_kind');
    }
    expect(ctx.fake.calls.length).toBe(callsBefore);
  });

  test('maps a rate limit to retryable with the wait', async () => {
    h.injectRateLimit(ctx.fake, 7);
    const err = await ctx.connector.send(h.outboundText()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectorError);
    expect((err as ConnectorError).retryable).toBe(true);
    expect((err as ConnectorError).retryAfterMs).toBe(7000);
  });

  test('maps a server error to retryable', async () => {
    h.injectServerError(ctx.fake);
    const err = await ctx.connector.send(h.outboundText()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectorError);
    expect((err as ConnectorError).retryable).toBe(true);
  });

  test('says whether it registers webhooks, as its definition declares', () => {
    expect(typeof ctx.connector.registerWebhook === 'function').toBe(Boolean(h.definition.registersWebhook));
  });

  // The core checks credentials before storing them: every webhook connector asks its platform whose they are.
  test('describes the account it was given (the credentials check)', async () => {
    if (!h.definition.capabilities.webhook) return expect(ctx.connector.describeAccount).toBeUndefined();
    expect(typeof ctx.connector.describeAccount).toBe('function');
    const identity = await ctx.connector.describeAccount!();
    expect(identity).toEqual({ externalId: expect.stringMatching(/\S/), displayName: expect.stringMatching(/\S/) });
    // Stable: the core refuses a second channel with the same externalId.
    expect(await ctx.connector.describeAccount!()).toEqual(identity);
  });

  test('refused credentials are a permanent error in words, without the secrets', async () => {
    if (!h.refuseCredentials) return;
    h.refuseCredentials(ctx.fake);
    const err = await ctx.connector.describeAccount!().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectorError);
    expect((err as ConnectorError).retryable).toBe(false);
    expect((err as ConnectorError).code).toBe('credentials_refused');
    expect((err as ConnectorError).message).toMatch(/refused|knows no/);
    for (const secret of h.secrets ?? []) expect((err as ConnectorError).message).not.toContain(secret);
  });

  test('a platform that cannot be reached is a retryable error, not refused credentials', async () => {
    if (!h.refuseCredentials) return;
    // A proxy's error page in front of the platform.
    ctx.fake.setFault(() => ({ status: 502, body: Buffer.from('<html>Bad Gateway</html>'), headers: { 'content-type': 'text/html' } }));
    const err = await ctx.connector.describeAccount!().catch((e: unknown) => e);
    ctx.fake.setFault(undefined);
    expect(err).toBeInstanceOf(ConnectorError);
    expect((err as ConnectorError).retryable).toBe(true);
  });

  test('removes its webhook on the platform, where it can', async () => {
    if (!ctx.connector.removeWebhook) return;
    const before = ctx.fake.calls.length;
    await ctx.connector.removeWebhook();
    expect(ctx.fake.calls.length).toBe(before + 1);
    expect(ctx.fake.calls.at(-1)!.status).toBe(200);
  });

  test('maps a permanent error to permanent', async () => {
    h.injectPermanentError(ctx.fake);
    const err = await ctx.connector.send(h.outboundText()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectorError);
    expect((err as ConnectorError).retryable).toBe(false);
  });
});
