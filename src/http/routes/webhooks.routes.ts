import type { Request, Response, Router } from 'express';
import { z } from 'zod';
import { DEFAULT_MAX_WEBHOOK_BYTES, type WebhookReply, type WebhookRequest } from '../../../connectors/contract';
import type { HttpContext } from '../context';
import type { Channel } from '../../database/entities';
import { ingestWebhook } from '../../ingest/ingest-webhook';
import { defineRoute, SENT, type RouteSpec } from '../openapi/define-route';
import { error, rawBody } from '../openapi/responses';
import { BodyTooLargeError, readRawBody } from '../raw-body';
import { ThrottledLog } from '../throttled-log';

// Any string: an id that cannot be one answers 404 like an unknown one (below), never 400.
const params = z.object({ webhookId: z.string().meta({ description: "The channel's opaque webhook id (from its webhookUrl)" }) });
const common = {
  path: '/webhooks/:webhookId',
  tag: 'Webhooks',
  access: 'public',
  root: true,
  params,
  neverInvalid: true,
  // No body parser here: the body is read only once the id names a channel, up to its connector's limit (below).
} as const satisfies Partial<RouteSpec<unknown, unknown, unknown, never>>;
const unknownWebhook = error('No channel has this webhook id, it was deleted, or it takes no webhooks');

/** `/webhooks/:webhookId`: an opaque id per channel account (never a token in the URL); see ingest-webhook.ts. */
export const webhookRoutes = [
  defineRoute(
    {
      ...common,
      method: 'post',
      operationId: 'receiveWebhook',
      summary: 'Where a platform delivers updates for one channel account',
      description: "Verified by the platform's signature over the raw body, queued, then answered: platforms retry until they get a 2xx.",
      rawBody: { contentType: '*/*', description: "The platform's payload, as it sends it" },
      responses: {
        200: rawBody(
          'Accepted (usually `{ "ok": true }`; the answer some platforms expect otherwise). A payload that can never parse is kept for inspection and accepted too.',
          '*/*',
        ),
        401: error('Invalid signature'),
        404: unknownWebhook,
        503: error('Cannot verify or queue right now: the platform retries'),
      },
    },
    async (ctx, { req, res }) => receive(ctx, req, res),
  ),
  defineRoute(
    {
      ...common,
      method: 'get',
      operationId: 'verifyWebhook',
      summary: "A platform's verification of the webhook URL (WhatsApp Cloud's hub.challenge)",
      responses: {
        200: rawBody('The challenge, echoed', 'text/plain'),
        403: rawBody('The verify token does not match', 'text/plain'),
        404: unknownWebhook,
        405: error('Not a verification request: webhooks are POSTed'),
      },
    },
    async (ctx, { req, res }) => receive(ctx, req, res),
  ),
];

/** Other methods answer as they always have (405, or 404 for an unknown id): not documented, since no platform uses them. */
export function mountOtherWebhookMethods(router: Router, ctx: HttpContext): void {
  router.all(common.path, async (req: Request, res: Response) => {
    await receive(ctx, req, res);
  });
}

// While PostgreSQL or Redis is down every webhook fails alike: one log line per burst, not one per request
// (per server: several may run in one process, as in the tests).
const outageLogs = new WeakMap<HttpContext, ThrottledLog>();

/**
 * The id first, the body after: an unknown id is answered 404 without reading a byte of the body (and the
 * connection closed, so its sender cannot make Parley drain it), and a known one reads at most its connector's
 * limit. Anything failing underneath (PostgreSQL or Redis down) is a 503: platforms redeliver.
 */
async function receive(ctx: HttpContext, req: Request, res: Response): Promise<typeof SENT> {
  const webhookId = String(req.params.webhookId);
  let channel: Channel | null;
  try {
    channel = await ctx.channels.findByWebhookId(webhookId);
  } catch (err) {
    return unavailable(ctx, req, res, err);
  }
  const definition = channel && !channel.deletedAt ? ctx.channels.registry.get(channel.type) : undefined;
  if (!channel || !definition?.capabilities.webhook) {
    res.setHeader('connection', 'close');
    res.status(404).json({ error: 'unknown webhook' });
    return SENT;
  }
  let body: Buffer;
  try {
    body = await readRawBody(req, definition.maxWebhookBytes ?? DEFAULT_MAX_WEBHOOK_BYTES);
  } catch (err) {
    if (!(err instanceof BodyTooLargeError)) throw err;
    res.setHeader('connection', 'close');
    res.status(413).json({ error: `webhook body larger than the ${err.limit} bytes this channel type accepts` });
    return SENT;
  }
  const request: WebhookRequest = {
    method: req.method,
    headers: req.headers,
    query: Object.fromEntries(Object.entries(req.query).map(([k, v]) => [k, typeof v === 'string' ? v : undefined])),
    rawBody: body,
  };
  let reply: WebhookReply;
  try {
    reply = await ingestWebhook(ctx, channel, request);
  } catch (err) {
    return unavailable(ctx, req, res, err);
  }
  send(res, reply);
  return SENT;
}

function unavailable(ctx: HttpContext, req: Request, res: Response, err: unknown): typeof SENT {
  let outageLog = outageLogs.get(ctx);
  if (!outageLog) outageLogs.set(ctx, (outageLog = new ThrottledLog()));
  outageLog.run('webhook', (suppressed) =>
    ctx.logger.error(
      { err: (err as Error).message, method: req.method, suppressed },
      'webhook could not be handled (PostgreSQL or Redis unavailable?): answering 503',
    ),
  );
  res.setHeader('retry-after', '5');
  res.status(503).json({ error: 'temporarily unavailable, retry later' });
  return SENT;
}

function send(res: Response, reply: WebhookReply): void {
  res.status(reply.status);
  if (reply.contentType) res.type(reply.contentType);
  if (reply.body === undefined) res.end();
  else if (typeof reply.body === 'string' || Buffer.isBuffer(reply.body)) res.send(reply.body);
  else res.json(reply.body);
}
