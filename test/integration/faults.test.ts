import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { FaultLab, type Fault } from '../../bench/faults/lab';
import { table, type PhaseFigures } from '../../bench/faults/report';
import { waitUntil } from '../../bench/faults/services';

/**
 * The fault suite (bench/faults, `bash scripts/faults.sh`) in a CI-sized run: a few seconds of traffic per fault.
 * Parley runs as an API and two workers from the built entry point, against a PostgreSQL and a Redis of this
 * test's own (temporary, on free ports), so restarting them disturbs no other test.
 */
const root = resolve(__dirname, '../..');
let buildDir: string;
let lab: FaultLab;

beforeAll(async () => {
  // Inside the repository, so that the build resolves the project's node_modules.
  buildDir = mkdtempSync(join(root, '.test-build-'));
  execFileSync(join(root, 'node_modules/.bin/tsc'), ['-p', join(root, 'tsconfig.build.json'), '--outDir', buildDir], { cwd: root });
  lab = await FaultLab.start({ entry: join(buildDir, 'src/main.js'), phaseSeconds: 3, inboundPerSecond: 8, repliesPerSecond: 3, settleTimeoutMs: 45_000 });
}, 180_000);

afterAll(async () => {
  await lab?.close();
  rmSync(buildDir, { recursive: true, force: true });
}, 60_000);

const FAULTS: Fault[] = [
  'worker kill -9',
  'worker restart (SIGTERM)',
  'Redis restart',
  'PostgreSQL restart',
  'platform 429/5xx + latency',
  'webhooks twice + out of order',
];

test('through every fault nothing acknowledged or accepted is lost, stuck or listed out of order, and nothing but a kill -9 sends twice', async () => {
  const figures: PhaseFigures[] = [];
  const problems: string[] = [];
  for (const fault of FAULTS) {
    const r = await lab.runPhase(fault);
    figures.push(r.figures);
    problems.push(...r.failures);
  }
  expect({ problems, table: table(figures) }).toEqual({ problems: [], table: expect.any(String) });
  // Every phase carried traffic, or the counts above would prove nothing.
  for (const f of figures) expect(f.inbound.acknowledged > 0 && f.replies.accepted > 0).toBe(true);
  // Issue 6: a graceful restart neither sends twice nor leaves a send in doubt; a kill -9 sends twice only what it counted in doubt.
  const byFault = Object.fromEntries(figures.map((f) => [f.fault, f.replies]));
  expect(byFault['worker restart (SIGTERM)']).toMatchObject({ duplicated: 0, inDoubt: 0 });
  expect(byFault['worker kill -9'].duplicated).toBeLessThanOrEqual(byFault['worker kill -9'].inDoubt);
}, 400_000);

test('a SIGTERM lets a slow send in flight finish, then the process exits 0', async () => {
  const [conversation] = (await lab.db.query(`SELECT id FROM conversations ORDER BY created_at LIMIT 1`)).rows;
  lab.platforms.setLatency(3000);
  try {
    const text = 'Wysyłam powoli — slow send 🐢';
    const { message } = await lab.call('POST', `/api/v1/conversations/${conversation.id}/messages`, { text });
    const isOurs = (c: { json?: any }) => c.json?.text === text || c.json?.text?.body === text;
    const inFlight = () => [...lab.platforms.telegram.calls, ...lab.platforms.whatsapp.calls].filter(isOurs);
    await waitUntil('the send reached the platform', () => inFlight().length > 0, 20_000);
    expect(inFlight()[0].status).toBeUndefined(); // still waiting for the platform's answer

    const exits = await Promise.all(lab.workers.map((w) => w.stop('SIGTERM')));
    expect(exits.map((e) => e.code)).toEqual([0, 0]);
    const [row] = (await lab.db.query(`SELECT status, send_in_doubt FROM messages WHERE id = $1`, [message.id])).rows;
    expect(row).toEqual({ status: 'sent', send_in_doubt: 0 });
    expect(inFlight().map((c) => c.status)).toEqual([200]);
  } finally {
    lab.platforms.setLatency(lab.platforms.baseLatencyMs);
  }
}, 60_000);

test('a send that outlasts SHUTDOWN_TIMEOUT_MS is cut off: exit 1, and the reply is sent by the next worker, counted in doubt', async () => {
  // Both workers of the lab were stopped by the test above: this one is alone, with a short bound.
  const worker = await lab.startWorker('worker-short-bound', { SHUTDOWN_TIMEOUT_MS: '1000' });
  const [conversation] = (await lab.db.query(`SELECT id FROM conversations ORDER BY created_at LIMIT 1`)).rows;
  lab.platforms.setLatency(4000);
  try {
    const text = 'Za wolno — too slow for the bound ⏳';
    const { message } = await lab.call('POST', `/api/v1/conversations/${conversation.id}/messages`, { text });
    const ours = () => [...lab.platforms.telegram.calls, ...lab.platforms.whatsapp.calls].filter((c) => c.json?.text === text || c.json?.text?.body === text);
    await waitUntil('the send reached the platform', () => ours().length > 0, 20_000);
    expect((await worker.stop('SIGTERM')).code).toBe(1);

    lab.platforms.setLatency(lab.platforms.baseLatencyMs);
    await lab.startWorker('worker-after', {});
    await waitUntil(
      'the reply was sent',
      async () => (await lab.db.query(`SELECT status FROM messages WHERE id = $1`, [message.id])).rows[0].status === 'sent',
      60_000,
    );
    const [row] = (await lab.db.query(`SELECT send_attempts, send_in_doubt FROM messages WHERE id = $1`, [message.id])).rows;
    expect(row).toEqual({ send_attempts: 2, send_in_doubt: 1 });
  } finally {
    lab.platforms.setLatency(lab.platforms.baseLatencyMs);
  }
}, 90_000);
