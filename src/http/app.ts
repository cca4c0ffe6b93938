import express, { Router, type Express } from 'express';
import type { AppContext } from '../app/context';
import { webhookRoutes } from '../webhooks/webhook.routes';
import { authenticate } from './middleware/auth';
import { errorHandler, notFound } from './middleware/error-handler';
import { openApiDocument } from './openapi';
import { agentRoutes } from './routes/agents.routes';
import { authRoutes } from './routes/auth.routes';
import { channelRoutes } from './routes/channels.routes';
import { contactRoutes } from './routes/contacts.routes';
import { conversationRoutes } from './routes/conversations.routes';
import { mediaRoutes } from './routes/media.routes';
import { publicMediaRoutes } from './routes/public-media.routes';

export function createHttpApp(ctx: AppContext): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');

  // Webhooks read their raw body themselves (signatures are computed over the exact bytes): mounted first.
  app.use(webhookRoutes(ctx));
  app.use(publicMediaRoutes(ctx));

  app.get('/health', async (_req, res) => {
    const db = await ctx.ds.query('SELECT 1').then(() => true, () => false);
    const redis = ctx.redisReady();
    res.status(db && redis ? 200 : 503).json({ status: db && redis ? 'ok' : 'degraded', database: db, redis });
  });

  const api = Router();
  api.get('/openapi.json', (_req, res) => {
    res.json(openApiDocument);
  });
  // JSON bodies everywhere but uploads, whose raw bytes may well be a .json file.
  const json = express.json({ limit: '1mb' });
  api.use((req, res, next) => (req.path === '/uploads' ? next() : json(req, res, next)));
  api.use(authRoutes(ctx));
  // Everything below needs a bearer token.
  const authed = Router();
  authed.use(authenticate(ctx.auth));
  authed.use(agentRoutes(ctx));
  authed.use(channelRoutes(ctx));
  authed.use(conversationRoutes(ctx));
  authed.use(contactRoutes(ctx));
  authed.use(mediaRoutes(ctx));
  api.use(authed);
  app.use('/api/v1', api);

  app.use(notFound);
  app.use(errorHandler(ctx.logger));
  return app;
}
