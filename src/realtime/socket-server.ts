import type { Server as HttpServer } from 'node:http';
import { createAdapter } from '@socket.io/redis-adapter';
import type { Redis } from 'ioredis';
import { Server } from 'socket.io';
import type { AuthService } from '../auth/auth.service';
import type { Logger } from '../logging/logger';
import { viewerRooms } from './audience';
import { socketKey } from './event-publisher';

/**
 * socket.io for the agents' browsers. The handshake carries the same bearer token as the REST API
 * (`auth: { token }`, never a query string); each socket joins the rooms audience.ts gives its agent. The
 * Redis adapter lets any API process deliver events emitted by any process.
 */
export function createSocketServer(http: HttpServer, auth: AuthService, pub: Redis, sub: Redis, prefix: string, logger: Logger): Server {
  const io = new Server(http, { serveClient: false, adapter: createAdapter(pub, sub, { key: socketKey(prefix) }) });
  io.use(async (socket, next) => {
    const token = (socket.handshake.auth as { token?: unknown })?.token;
    const session = typeof token === 'string' ? await auth.authenticate(token).catch(() => null) : null;
    if (!session) {
      next(new Error('unauthorized: pass a valid token as auth.token'));
      return;
    }
    socket.data.agentId = session.agent.id;
    await socket.join(viewerRooms(session.viewer));
    next();
  });
  io.on('connection', (socket) => logger.debug({ agentId: socket.data.agentId }, 'socket connected'));
  return io;
}
