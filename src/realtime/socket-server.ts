import type { Server as HttpServer } from 'node:http';
import { createAdapter } from '@socket.io/redis-adapter';
import type { Redis } from 'ioredis';
import { Server, type Socket } from 'socket.io';
import type { Presence } from '../agents/presence';
import type { AuthService } from '../auth/auth.service';
import type { Logger } from '../logging/logger';
import { ROOMS, viewerRooms } from './rooms';
import { socketKey } from './realtime.listener';

/**
 * socket.io for the agents' browsers. The handshake carries the same bearer token as the REST API
 * (`auth: { token }`, never a query string); each socket joins the rooms audience.ts gives its agent. The
 * Redis adapter lets any API process deliver events emitted by any process.
 */
export function createSocketServer(
  http: HttpServer,
  auth: AuthService,
  pub: Redis,
  sub: Redis,
  prefix: string,
  logger: Logger,
  allowedOrigins: readonly string[],
  presence?: Presence,
): Server {
  // A page on another origin must not open an agent's socket (a browser always sends its Origin); clients that
  // are not browsers send none and authenticate with their token alone. The app served by this server is on its
  // own origin (the Host it was asked for), whatever address that is.
  const origins = new Set(allowedOrigins);
  const allowed = (origin: string | undefined, host: string | undefined) =>
    origin === undefined || origins.has(origin) || (host !== undefined && (origin === `http://${host}` || origin === `https://${host}`));
  const io = new Server(http, {
    serveClient: false,
    adapter: createAdapter(pub, sub, { key: socketKey(prefix) }),
    cors: { origin: [...origins], credentials: false },
    allowRequest: (req, callback) => {
      const ok = allowed(req.headers.origin, req.headers.host);
      callback(ok ? null : 'origin not allowed', ok);
    },
  });
  io.use(async (socket, next) => {
    const token = (socket.handshake.auth as { token?: unknown })?.token;
    const session = typeof token === 'string' ? await auth.authenticate(token).catch(() => null) : null;
    if (!session) {
      next(new Error('unauthorized: pass a valid token as auth.token'));
      return;
    }
    socket.data.agentId = session.agent.id;
    socket.data.tokenId = session.tokenId;
    socket.data.expiresAt = session.expiresAt;
    // The token's and the agent's rooms let a revocation, a disabling or a change of role or teams reach it.
    await socket.join([ROOMS.token(session.tokenId), ...viewerRooms(session.viewer)]);
    next();
  });
  io.on('connection', (socket) => {
    const agentId: string = socket.data.agentId;
    logger.debug({ agentId }, 'socket connected');
    const stopExpiry = endAtExpiry(socket, socket.data.expiresAt as Date);
    void recheck(socket, auth, (socket.handshake.auth as { token: string }).token).catch((err: Error) =>
      logger.warn({ agentId, err: err.message }, 'socket session re-check failed'),
    );
    // Presence is best effort: Redis or PostgreSQL down must not refuse the socket.
    presence?.connected(agentId, socket.id).catch((err) => logger.warn({ err: err.message }, 'presence: could not record a connection'));
    socket.on('disconnect', () => {
      stopExpiry();
      presence?.disconnected(agentId, socket.id).catch((err) => logger.warn({ err: err.message }, 'presence: could not record a disconnection'));
    });
  });
  return io;
}

/**
 * A change committed between the handshake's authentication and the socket's arrival among the connected ones
 * may have been relayed before it could reach this socket: look again now that it can, and end or correct it.
 */
async function recheck(socket: Socket, auth: AuthService, token: string): Promise<void> {
  const session = await auth.authenticate(token);
  if (!session) {
    endSession(socket, Date.now() >= (socket.data.expiresAt as Date).getTime() ? 'expired' : 'revoked');
    return;
  }
  const rooms = [ROOMS.token(session.tokenId), ...viewerRooms(session.viewer)];
  for (const room of socket.rooms) if (room !== socket.id && !rooms.includes(room)) socket.leave(room);
  socket.join(rooms);
}

/** setTimeout holds at most ~24.8 days; a token may live longer (TOKEN_TTL_HOURS), so the wait is taken in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Ends the socket when its token expires, with `session.ended` `{reason: 'expired'}`, as revocation does. A timer
 * per socket, in the API process that holds it (so in every API process, and whether or not a worker is
 * running), rather than a check on each event sent: events come through the Redis adapter from whichever
 * process relays them, and a quiet socket, sent nothing, would otherwise stay open past its token's expiry.
 * Tokens are never extended, so the time read at the handshake holds. Answers what cancels the timer.
 */
function endAtExpiry(socket: Socket, expiresAt: Date): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  // Always from a timer, never at once: the caller registers its disconnect handler first.
  const arm = () => {
    const left = expiresAt.getTime() - Date.now();
    timer = setTimeout(() => (expiresAt.getTime() <= Date.now() ? endSession(socket, 'expired') : arm()), Math.min(Math.max(left, 0), MAX_TIMER_MS));
  };
  arm();
  return () => clearTimeout(timer);
}

/** Tells the socket why, then disconnects it (the notice goes first on the same connection). */
function endSession(socket: Socket, reason: 'expired' | 'revoked'): void {
  socket.emit('session.ended', { reason });
  socket.disconnect();
}

/** This process's sockets, for the presence heartbeat. */
export function localSockets(io: Server): Array<{ agentId: string; socketId: string }> {
  return [...io.of('/').sockets.values()].map((s) => ({ agentId: s.data.agentId as string, socketId: s.id }));
}
