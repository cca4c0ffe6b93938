import express, { Router, type Express } from 'express';
import type { HttpContext } from './context';
import { apiRoutes } from './api-routes';
import { authenticate } from './middleware/auth';
import { cors } from './middleware/cors';
import { errorHandler, notFound } from './middleware/error-handler';
import { rejectNul } from './middleware/reject-nul';
import { securityHeaders } from './middleware/security-headers';
import { mountRoutes } from './openapi/define-route';
import { referencePageAssets } from './openapi/reference-page';
import { mountOtherWebhookMethods } from './routes/webhooks.routes';
import { webApp } from './web-app';

export function createHttpApp(ctx: HttpContext): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  // Every response, errors and webhooks included: nosniff, CSP, no framing, HSTS behind HTTPS.
  app.use(securityHeaders(ctx.config));

  // Webhooks read their raw body themselves (signatures are computed over the exact bytes), as do public media
  // and the health check: at the root, before any body parser.
  const atRoot = apiRoutes.filter((r) => r.spec.root);
  // Only /api/v1 has the bearer-token check: a route at the root that needs a token would be open to anyone.
  for (const { spec } of atRoot) if (spec.access !== 'public') throw new Error(`${spec.operationId}: routes at the root must be public`);
  mountRoutes(app.router, atRoot, ctx);
  mountOtherWebhookMethods(app.router, ctx);

  const api = Router();
  // Cross-origin browsers: only the configured origins get CORS headers.
  api.use(cors(ctx.config.allowedOrigins));
  api.use('/docs/assets', referencePageAssets());
  // JSON bodies everywhere but uploads, whose raw bytes may well be a .json file.
  const json = express.json({ limit: '1mb' });
  api.use((req, res, next) => (req.path === '/uploads' ? next() : json(req, res, next)));
  // PostgreSQL cannot store U+0000: refused here, in the URL or any string of a JSON body, for every route.
  api.use(rejectNul);
  const underApi = apiRoutes.filter((r) => !r.spec.root);
  const withoutToken = underApi.filter((r) => r.spec.access === 'public');
  const withToken = underApi.filter((r) => r.spec.access !== 'public');
  mountRoutes(api, withoutToken, ctx);
  // Everything below needs a bearer token (unknown paths too: 401 before 404).
  const authed = Router();
  authed.use(authenticate(ctx.auth));
  mountRoutes(authed, withToken, ctx);
  api.use(authed);
  app.use('/api/v1', api);
  app.use(webApp());

  app.use(notFound);
  app.use(errorHandler(ctx.logger));
  return app;
}
