import type { RequestHandler } from 'express';

const METHODS = 'GET, POST, PUT, PATCH, DELETE';
const HEADERS = 'Authorization, Content-Type';

/**
 * Cross-origin use of the REST API, for the configured origins only (ALLOWED_ORIGINS): a page on any other
 * origin gets no CORS headers, so its browser keeps the answers from it. Same-origin requests (the web app served
 * by Parley) and clients that are not browsers need none of this. Tokens travel in the Authorization header,
 * never in cookies, so no credentials are allowed.
 */
export function cors(allowedOrigins: readonly string[]): RequestHandler {
  const allowed = new Set(allowedOrigins);
  return (req, res, next) => {
    const origin = req.headers.origin;
    res.vary('Origin');
    if (typeof origin !== 'string' || !allowed.has(origin)) return next();
    res.setHeader('access-control-allow-origin', origin);
    res.setHeader('access-control-expose-headers', 'Content-Disposition, Retry-After');
    if (req.method === 'OPTIONS' && req.headers['access-control-request-method']) {
      res.setHeader('access-control-allow-methods', METHODS);
      res.setHeader('access-control-allow-headers', HEADERS);
      res.setHeader('access-control-max-age', '600');
      res.status(204).end();
      return;
    }
    next();
  };
}
