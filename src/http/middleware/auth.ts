import type { NextFunction, Request, Response } from 'express';
import type { AuthService, Session } from '../../auth/auth.service';
import { canSeeInbox } from '../../auth/access-policy';
import { notFound } from '../../errors/domain-errors';
import { HttpError } from '../errors';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      session?: Session;
      token?: string;
    }
  }
}

/** Bearer-token authentication (the header only: tokens never travel in URLs). */
export function authenticate(auth: AuthService) {
  return async (req: Request, _res: Response, next: NextFunction) => {
    const header = req.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw new HttpError(401, 'missing bearer token: log in at POST /api/v1/auth/login');
    const session = await auth.authenticate(match[1]);
    if (!session) throw new HttpError(401, 'invalid or expired token');
    req.session = session;
    req.token = match[1];
    next();
  };
}

export function requireAdmin(req: Request, _res: Response, next: NextFunction): void {
  if (req.session?.agent.role !== 'admin') throw new HttpError(403, 'only admins may do this');
  next();
}

/** The session of an authenticated request (routes behind `authenticate` only). */
export function sessionOf(req: Request): Session {
  if (!req.session) throw new HttpError(401, 'not authenticated');
  return req.session;
}

/** An inbox the request's agent may not see is answered 404, like one that does not exist (the access policy). */
export function requireInbox(req: Request, channelId: string): void {
  if (!canSeeInbox(sessionOf(req).viewer, channelId)) throw notFound('channel not found');
}
