import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { UnparseableWebhookError, inboundEventSchema } from '../contract';
import { loadFixtureCases } from '../shared/testing/fixtures';
import { Rng, mutate } from './fuzz';
import type { ConformanceHarness } from './harness';

/**
 * Fuzzes every connector's parser with mutated copies of its own fixtures: whatever arrives, parse either returns
 * events the contract's schema accepts (as the core checks them), or throws UnparseableWebhookError (the core keeps
 * the body as a dead letter). Any other throw is a parser bug; a hang fails the test's timeout.
 *
 * Deterministic: FUZZ_SEED (default below) and FUZZ_CASES (total, spread over the connectors) choose the cases.
 * CI runs a few thousand; `FUZZ_CASES=200000 FUZZ_SEED=$RANDOM npm run fuzz` runs more (README).
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20261124);
const TOTAL = Number(process.env.FUZZ_CASES ?? 3000);
/** The hang detector: far above what the cases take (about a millisecond each), and growing with them. */
const TIMEOUT_MS = 30_000 + Math.ceil(TOTAL / 5) * 10;

const root = join(__dirname, '..');
const harnesses: ConformanceHarness[] = readdirSync(root)
  .filter((d) => existsSync(join(root, d, 'testing', 'harness.ts')))
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  .map((d) => require(join(root, d, 'testing', 'harness.ts')).harness as ConformanceHarness);

describe.each(harnesses.map((h, i) => [h.name, h, i] as const))('%s parser under fuzzing', (name, h, index) => {
  let ctx: Awaited<ReturnType<ConformanceHarness['setup']>>;
  beforeAll(async () => {
    ctx = await h.setup();
  });
  afterAll(async () => {
    await ctx?.teardown();
  });

  test(
    `${Math.ceil(TOTAL / harnesses.length)} mutated fixtures: events the contract accepts, or UnparseableWebhookError`,
    () => {
      const fixtures = loadFixtureCases(h.fixturesDir);
      const rng = new Rng(SEED + index * 7919);
      const cases = Math.ceil(TOTAL / harnesses.length);
      const failures: string[] = [];
      const started = Date.now();
      let unparseable = 0;
      let slowest = { ms: 0, what: '' };
      for (let i = 0; i < cases && failures.length < 10; i++) {
        const fixture = rng.pick(fixtures);
        // Mutated as the platform would send it: after the harness wraps a fixture (Telegram's bare Message objects).
        const { body, description } = mutate(h.fixtureRequest ? h.fixtureRequest(fixture).rawBody : fixture.raw, rng);
        const what = `${name} case ${i} (seed ${SEED}) from ${fixture.file}: ${description.join('; ')}`;
        const t0 = Date.now();
        try {
          const req = h.signedRequest(body);
          const events = ctx.connector.parse(req);
          const checked = inboundEventSchema.array().safeParse(events);
          if (!checked.success) {
            failures.push(
              `${what}\n  events fail the contract: ${checked.error.issues
                .slice(0, 3)
                .map((x) => `${x.path.join('.')}: ${x.message}`)
                .join('; ')}`,
            );
          }
        } catch (err) {
          if (err instanceof UnparseableWebhookError) unparseable++;
          else failures.push(`${what}\n  threw ${(err as Error).name}: ${(err as Error).message.slice(0, 200)}`);
        }
        const ms = Date.now() - t0;
        if (ms > slowest.ms) slowest = { ms, what };
      }
      // Figures, not assertions: how long it took and the slowest case.
      console.log(`${name}: ${cases} cases in ${Date.now() - started} ms, ${unparseable} unparseable; slowest ${slowest.ms} ms: ${slowest.what.slice(0, 160)}`);
      expect(failures).toEqual([]);
    },
    TIMEOUT_MS,
  );
});
