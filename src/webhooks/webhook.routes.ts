import express, { Router, type Request, type Response } from 'express';
import type { WebhookReply, WebhookRequest } from '../../connectors/contract';
import type { AppContext } from '../app/context';
import { ingestWebhook } from './ingest';

const MAX_WEBHOOK_BYTES = 5 * 1024 * 1024;

/** `/webhooks/:webhookId`: an opaque id per channel account (never a token in the URL); see ingest.ts. */
export function webhookRoutes(ctx: AppContext): Router {
  const r = Router();
  r.all('/webhooks/:webhookId', express.raw({ type: () => true, limit: MAX_WEBHOOK_BYTES }), async (req: Request, res: Response) => {
    const webhookId = String(req.params.webhookId);
    const channel = /^[\w-]{8,64}$/.test(webhookId) ? await ctx.channels.findByWebhookId(webhookId) : null;
    if (!channel || channel.deletedAt || !ctx.channels.definition(channel.type).capabilities.webhook) {
      res.status(404).json({ error: 'unknown webhook' });
      return;
    }
    const request: WebhookRequest = {
      method: req.method,
      headers: req.headers,
      query: Object.fromEntries(Object.entries(req.query).map(([k, v]) => [k, typeof v === 'string' ? v : undefined])),
      rawBody: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0),
    };
    send(res, await ingestWebhook(ctx, channel, request));
  });
  return r;
}

function send(res: Response, reply: WebhookReply): void {
  res.status(reply.status);
  if (reply.contentType) res.type(reply.contentType);
  if (reply.body === undefined) res.end();
  else if (typeof reply.body === 'string' || Buffer.isBuffer(reply.body)) res.send(reply.body);
  else res.json(reply.body);
}
