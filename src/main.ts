import { ConfigError, loadConfig, type Role } from './config/config';
import { startParley } from './app/parley';
import { createLogger } from './logging/logger';

/**
 * The one entry point: `node dist/src/main.js [api|worker|all]` (default: PARLEY_ROLE, else all).
 * Reads .env from the working directory when there is one; the environment wins over it.
 */
async function main(): Promise<void> {
  try {
    process.loadEnvFile();
  } catch {
    /* no .env file: the environment alone configures */
  }
  const roleArg = process.argv[2] as Role | undefined;
  if (roleArg && !['api', 'worker', 'all'].includes(roleArg)) {
    console.error(`unknown role "${roleArg}": use api, worker or all`);
    process.exit(2);
  }
  let config;
  try {
    config = loadConfig({ ...process.env, ...(roleArg ? { PARLEY_ROLE: roleArg } : {}) });
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`Parley cannot start: ${err.message}\nSee .env.example for every variable.`);
      process.exit(2);
    }
    throw err;
  }
  const logger = createLogger(config.logLevel);
  const parley = await startParley(config, { logger });
  logger.info({ role: config.role }, 'Parley is up');

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal, timeoutMs: config.shutdownTimeoutMs }, 'shutting down: no new work, finishing active jobs');
    // Bounded: a send stuck on a platform must not keep the process (and a deployment) waiting forever. Jobs cut
    // off here are taken over by another worker once their lock expires.
    const timer = setTimeout(() => {
      logger.error({ timeoutMs: config.shutdownTimeoutMs }, 'shutdown took too long: exiting with work unfinished');
      process.exit(1);
    }, config.shutdownTimeoutMs);
    timer.unref();
    await parley.stop();
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((err) => {
  console.error('Parley failed to start:', err instanceof Error ? err.message : err);
  process.exit(1);
});
