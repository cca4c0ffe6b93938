import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHttpApp } from '../http/app';
import { plainConnection } from '../queues/redis';
import { HEARTBEAT_MS } from '../agents/presence';
import { createSocketServer, localSockets } from '../realtime/socket-server';
import { presenceOf, redisConnection, type AppContext } from './services';
import type { StopStack } from './stop-stack';

/** How long requests in progress may take to answer once the process is stopping. */
const REQUEST_DRAIN_MS = 5000;

/** The HTTP API, webhooks and socket.io. Returns the address it listens on. */
export async function startApiRole(ctx: AppContext, stops: StopStack): Promise<{ url: string }> {
  const { config, logger } = ctx;
  const http = createServer(createHttpApp(ctx));
  const pub = redisConnection(stops, 'socket pub', plainConnection(config.redisUrl));
  const sub = redisConnection(stops, 'socket sub', plainConnection(config.redisUrl));
  const presence = presenceOf(ctx);
  const io = createSocketServer(http, ctx.auth, pub, sub, config.redisPrefix, logger, config.allowedOrigins, presence);
  const heartbeat = setInterval(() => presence.heartbeat(localSockets(io)).catch(() => undefined), HEARTBEAT_MS);
  heartbeat.unref();
  await listen(http, config.port, config.host);
  stops.push('api', async () => {
    clearInterval(heartbeat);
    // Stop accepting, let requests already in progress answer (an agent's reply gets its 202), then cut the rest.
    const drained = new Promise<void>((r) => http.once('close', () => r()));
    await io.close();
    http.closeIdleConnections();
    await Promise.race([drained, new Promise((r) => setTimeout(r, REQUEST_DRAIN_MS).unref())]);
    http.closeAllConnections();
  });
  const { port } = http.address() as AddressInfo;
  logger.info({ port, publicUrl: config.publicUrl }, 'API listening');
  return { url: `http://127.0.0.1:${port}` };
}

function listen(http: HttpServer, port: number, host: string): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    http.once('error', reject);
    http.listen(port, host, () => resolvePromise());
  });
}
