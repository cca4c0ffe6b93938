import express, { Router, type Request, type Response } from 'express';
import type { AppContext } from '../app/context';
import { UnparseableWebhookError, type InboundEvent, type WebhookRequest } from '../../connectors/contract';
import { DeadLetter } from '../database/entities';
import { inboundJobId } from '../queues/queues';

/** Platforms retry slow webhooks; an enqueue that cannot finish in this time answers 503 instead. */
const ENQUEUE_TIMEOUT_MS = 5000;
const MAX_WEBHOOK_BYTES = 5 * 1024 * 1024;

/**
 * `/webhooks/:webhookId`: verify the signature on the raw body, parse, enqueue with a deterministic job id,
 * and only then answer 200. Nothing is lost: a bad signature is refused (401) before anything is stored; a
 * payload that can never parse is kept in dead_letters and answered 200; when Redis is unreachable the answer
 * is 503 and the platform redelivers.
 */
export function webhookRoutes(ctx: AppContext): Router {
  const r = Router();
  r.all('/webhooks/:webhookId', express.raw({ type: () => true, limit: MAX_WEBHOOK_BYTES }), async (req: Request, res: Response) => {
    const webhookId = String(req.params.webhookId);
    const channel = /^[\w-]{8,64}$/.test(webhookId) ? await ctx.channels.findByWebhookId(webhookId) : null;
    if (!channel || channel.deletedAt) {
      res.status(404).json({ error: 'unknown webhook' });
      return;
    }
    const connector = ctx.channels.connectorFor(channel);
    const request: WebhookRequest = {
      method: req.method,
      headers: req.headers,
      query: Object.fromEntries(Object.entries(req.query).map(([k, v]) => [k, typeof v === 'string' ? v : undefined])),
      rawBody: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0),
    };
    const log = ctx.logger.child({ channelId: channel.id, channelType: channel.type });

    const handshake = connector.handshake?.(request);
    if (handshake) {
      sendReply(res, handshake);
      return;
    }
    if (req.method !== 'POST') {
      res.status(405).json({ error: 'webhooks are POSTed' });
      return;
    }
    let verified: boolean;
    try {
      verified = await connector.verify(request);
    } catch (err) {
      // Verification itself could not run (e.g. the platform's signing keys are unreachable): retry later.
      log.error({ err: (err as Error).message }, 'webhook verification failed to run: answering 503');
      res.status(503).json({ error: 'cannot verify right now, retry later' });
      return;
    }
    if (!verified) {
      log.warn({ bytes: request.rawBody.length }, 'webhook signature rejected');
      res.status(401).json({ error: 'invalid signature' });
      return;
    }

    let events: InboundEvent[];
    try {
      events = connector.parse(request);
    } catch (err) {
      const reason = err instanceof UnparseableWebhookError ? err.message : `parser error: ${(err as Error).message}`;
      await ctx.ds.getRepository(DeadLetter).insert({
        channelId: channel.id,
        error: reason,
        contentType: req.headers['content-type'] ?? null,
        body: request.rawBody,
      });
      log.warn({ reason }, 'webhook payload stored as dead letter');
      res.status(200).json({ ok: true, stored: 'dead_letter' });
      return;
    }

    const receivedAt = new Date().toISOString();
    const toQueue = events.filter((e) => e.type !== 'ignored');
    try {
      await withTimeout(
        Promise.all(
          toQueue.map((event) =>
            ctx.queues.inbound.add(event.type, { channelId: channel.id, receivedAt, event }, { jobId: inboundJobId(channel.id, event) }),
          ),
        ),
        ENQUEUE_TIMEOUT_MS,
      );
    } catch (err) {
      log.error({ err: (err as Error).message }, 'could not enqueue webhook: answering 503 so the platform retries');
      res.status(503).json({ error: 'temporarily unavailable, retry later' });
      return;
    }
    log.debug({ events: events.map((e) => e.type) }, 'webhook accepted');
    const reply = connector.webhookResponse?.(events);
    if (reply) sendReply(res, reply);
    else res.status(200).json({ ok: true });
  });
  return r;
}

function sendReply(res: Response, reply: { status: number; body?: unknown; contentType?: string }): void {
  res.status(reply.status);
  if (reply.contentType) res.type(reply.contentType);
  if (reply.body === undefined) res.end();
  else if (typeof reply.body === 'string' || Buffer.isBuffer(reply.body)) res.send(reply.body);
  else res.json(reply.body);
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    }),
  ]);
}
