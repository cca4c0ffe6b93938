import type { NextFunction, Request, Response } from 'express';
import { ZodError } from 'zod';
import type { Logger } from '../../logging/logger';
import { HttpError } from '../errors';

/** Every error becomes JSON `{error, details?}` with the right status; unexpected ones are logged, not leaked. */
export function errorHandler(logger: Logger) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction) => {
    if (err instanceof HttpError) {
      res.status(err.status).json({ error: err.message, ...(err.details ? { details: err.details } : {}) });
      return;
    }
    if (err instanceof ZodError) {
      res.status(400).json({ error: 'invalid request', details: err.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) });
      return;
    }
    const e = err as { type?: string; status?: number; message?: string };
    // body-parser's errors carry a status and a type.
    if (e.type === 'entity.too.large') {
      res.status(413).json({ error: 'request body is too large' });
      return;
    }
    if (e.type === 'entity.parse.failed') {
      res.status(400).json({ error: 'request body is not valid JSON' });
      return;
    }
    if (e.status && e.status >= 400 && e.status < 500) {
      res.status(e.status).json({ error: e.message ?? 'bad request' });
      return;
    }
    logger.error({ err, method: req.method, path: req.path }, 'unhandled error');
    res.status(500).json({ error: 'internal error' });
  };
}

export function notFound(req: Request, res: Response): void {
  res.status(404).json({ error: `no route ${req.method} ${req.path}` });
}
