import { Worker, type ConnectionOptions, type Queue } from 'bullmq';
import type { Logger } from '../logging/logger';
import type { EventRelay } from './relay';
import type { RelayNudger } from './relay-trigger';

/** How often the outbox is swept regardless of nudges: the bound on how late an event whose nudge was lost is. */
export const RELAY_SWEEP_MS = 1000;
const PRUNE_EVERY_MS = 60_000;

/**
 * The relay's worker: `relay` jobs come from nudges after commits, `sweep` jobs from a scheduler every second
 * (a worker killed between a commit and its nudge loses no event: the sweep finds it). One job at a time per
 * process; across processes, the relay's advisory lock lets one run and the others come back shortly.
 */
export async function startRelayWorker(d: {
  queue: Queue;
  connection: ConnectionOptions;
  prefix: string;
  relay: EventRelay;
  nudger: RelayNudger;
  logger: Logger;
  sweepEveryMs?: number;
}): Promise<{ close(): Promise<void> }> {
  let lastPrune = 0;
  const worker = new Worker(
    d.queue.name,
    async (job) => {
      const run = await d.relay.dispatchPending();
      if (run.kind === 'busy' || run.waiting) d.nudger.nudge(50);
      if (job.name === 'sweep' && Date.now() - lastPrune > PRUNE_EVERY_MS) {
        lastPrune = Date.now();
        await d.relay.prune();
      }
    },
    { connection: d.connection, prefix: d.prefix, concurrency: 1, removeOnComplete: { count: 0 }, removeOnFail: { count: 100 } },
  );
  worker.on('error', (err) => d.logger.error({ queue: d.queue.name, err: err.message }, 'relay worker error'));
  await d.queue.upsertJobScheduler(
    'relay-sweep',
    { every: d.sweepEveryMs ?? RELAY_SWEEP_MS },
    { name: 'sweep', opts: { removeOnComplete: true, removeOnFail: 100 } },
  );
  return { close: () => worker.close() };
}
