import type { ConnectorRegistry } from '../../connectors/connector-registry';
import { shippedConnectors } from '../../connectors/registry';
import type { SessionRuntime } from '../channels/session-runtime';
import type { Config } from '../config/config';
import { createLogger, type Logger } from '../logging/logger';
import { startApiRole } from './api-role';
import { buildServices, type AppContext } from './services';
import { StopStack } from './stop-stack';
import { startWorkerRole, type WorkerRoleOptions } from './worker-role';

export interface Parley {
  ctx: AppContext;
  /** The API's base URL, when this process serves the API. */
  url?: string;
  /** The sessions of session-based connectors (WhatsApp Web), when this process runs workers. */
  sessions?: SessionRuntime;
  stop(): Promise<void>;
}

export interface ParleyOptions extends WorkerRoleOptions {
  logger?: Logger;
  /** The connectors this Parley knows; the shipped ones by default (a test adds its own with `.with(...)`). */
  connectors?: ConnectorRegistry;
}

/**
 * Starts one Parley process in its role: `api` (HTTP + socket), `worker` (queues, event relay, sessions), or
 * `all`. What it starts is stopped in reverse order: the API and workers first, the database last.
 */
export async function startParley(config: Config, opts: ParleyOptions = {}): Promise<Parley> {
  const logger = opts.logger ?? createLogger(config.logLevel);
  const stops = new StopStack();
  const stop = () => stops.stopAll((name, err) => logger.warn({ err: err.message }, `stopping ${name} failed`));
  try {
    const ctx = await buildServices(config, logger, stops, opts.connectors ?? shippedConnectors);
    const worker = config.role === 'api' ? undefined : await startWorkerRole(ctx, stops, opts);
    const api = config.role === 'worker' ? undefined : await startApiRole(ctx, stops);
    return { ctx, url: api?.url, sessions: worker?.sessions, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
