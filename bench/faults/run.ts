/**
 * The fault suite: Parley (one API, two workers, from the built entry point) against its own PostgreSQL and
 * Redis and the fake Telegram and WhatsApp Cloud platforms, under steady traffic, while faults are applied one
 * after another. Prints what each fault did to the messages; exits 1 on any loss, stuck job, pending reply or
 * message listed out of order, on anything a graceful stop leaves in doubt, and on any duplicate but those a
 * kill -9 in the middle of a send causes and Parley counts in doubt (report.ts: failures).
 *
 *   bash scripts/faults.sh                         # every fault, 15 s of traffic each
 *   FAULTS_SECONDS=30 FAULTS="worker kill -9,PostgreSQL restart" bash scripts/faults.sh
 */
import { join } from 'node:path';
import { FAULTS, FaultLab, type Fault } from './lab';
import { table, type PhaseFigures } from './report';

async function main(): Promise<void> {
  const chosen = (process.env.FAULTS ? process.env.FAULTS.split(',').map((s) => s.trim()) : [...FAULTS]) as Fault[];
  const unknown = chosen.filter((f) => !FAULTS.includes(f));
  if (unknown.length) throw new Error(`unknown faults: ${unknown.join(', ')}; known: ${FAULTS.join(', ')}`);
  const lab = await FaultLab.start({
    entry: process.env.FAULTS_ENTRY ?? join(__dirname, '../../src/main.js'),
    phaseSeconds: Number(process.env.FAULTS_SECONDS ?? 15),
    inboundPerSecond: Number(process.env.FAULTS_INBOUND_RATE ?? 10),
    repliesPerSecond: Number(process.env.FAULTS_REPLY_RATE ?? 4),
    settleTimeoutMs: Number(process.env.FAULTS_SETTLE_MS ?? 120_000),
    log: (line) => console.error(`[faults] ${line}`),
  });
  const figures: PhaseFigures[] = [];
  const problems: string[] = [];
  try {
    for (const fault of chosen) {
      const r = await lab.runPhase(fault);
      figures.push(r.figures);
      problems.push(...r.failures);
    }
  } finally {
    await lab.close();
  }
  console.log(table(figures));
  if (problems.length) {
    console.log(`\nFAILED:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    process.exitCode = 1;
  } else {
    console.log('\nnothing lost, nothing stuck, nothing out of order, no duplicate but from a kill -9 mid-send (counted in doubt)');
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
