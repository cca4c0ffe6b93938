import type { NextFunction, Request, Response } from 'express';
import { ZodError } from 'zod';
import type { Logger } from '../../logging/logger';
import { DomainError, type DomainErrorKind } from '../../errors/domain-errors';
import { HttpError } from '../errors';
import { storageErrorKind } from '../storage-errors';
import { ThrottledLog } from '../throttled-log';

/** The one place a domain error becomes a status code. */
const STATUS: Record<DomainErrorKind, number> = {
  malformed: 400,
  invalid: 422,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  unauthenticated: 401,
  forbidden: 403,
  rate_limited: 429,
  upstream: 502,
};

/** Every error becomes JSON `{error, details?}` with the right status; unexpected ones are logged, not leaked. */
export function errorHandler(logger: Logger) {
  const outageLog = new ThrottledLog();
  return (err: unknown, req: Request, res: Response, _next: NextFunction) => {
    if (err instanceof HttpError) {
      res.status(err.status).json({ error: err.message, ...(err.details ? { details: err.details } : {}) });
      return;
    }
    if (err instanceof DomainError) {
      res.status(STATUS[err.kind]).json({ error: err.message, ...(err.details ? { details: err.details } : {}) });
      return;
    }
    if (err instanceof ZodError) {
      res.status(400).json({ error: 'invalid request', details: err.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) });
      return;
    }
    const e = err as { type?: string; status?: number; message?: string; limit?: number };
    // body-parser's errors carry a status and a type; naming the limit lets the sender say it in words.
    if (e.type === 'entity.too.large') {
      res.status(413).json({ error: typeof e.limit === 'number' ? `request body is too large: at most ${e.limit} bytes` : 'request body is too large' });
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
    switch (storageErrorKind(err)) {
      case 'conflict':
        // A service's own check lost a race to a parallel request: the unique index decided.
        res.status(409).json({ error: 'this already exists (a parallel request created it first)' });
        return;
      case 'invalid':
        // An input schema let through what PostgreSQL refuses: still the client's value, but worth fixing at the edge.
        logger.warn({ code: (err as { code?: string }).code, method: req.method, path: req.path }, 'PostgreSQL refused a value from a request');
        res.status(400).json({ error: 'a value in the request cannot be stored (too long, out of range, or holding a NUL character)' });
        return;
      case 'unavailable':
        outageLog.run('storage', (suppressed) =>
          logger.error({ err: (err as Error).message, method: req.method, path: req.path, suppressed }, 'PostgreSQL or Redis unavailable: answering 503'),
        );
        res.status(503).setHeader('retry-after', '5').json({ error: 'temporarily unavailable, retry later' });
        return;
    }
    logger.error({ err, method: req.method, path: req.path }, 'unhandled error');
    res.status(500).json({ error: 'internal error' });
  };
}

export function notFound(req: Request, res: Response): void {
  res.status(404).json({ error: `no route ${req.method} ${req.path}` });
}
