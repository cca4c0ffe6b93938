import { z } from 'zod';
import type { HttpContext } from '../context';
import { defineRoute, SENT } from '../openapi/define-route';
import { json, rawBody } from '../openapi/responses';
import { referencePageHtml } from '../openapi/reference-page';

const healthSchema = z.object({ status: z.enum(['ok', 'degraded']), database: z.boolean(), redis: z.boolean() }).meta({ id: 'Health' });

/** A health check answers quickly, even while PostgreSQL hangs rather than refuses (a load balancer is waiting). */
const HEALTH_TIMEOUT_MS = 2000;

function answersWithin(query: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  return Promise.race([
    query.then(
      () => true,
      () => false,
    ),
    timeout,
  ]).finally(() => clearTimeout(timer));
}

/** Health and the API's own documentation. The document is handed in: it is built from every route, these too. */
export function serviceRoutes(document: (ctx: HttpContext) => object) {
  return [
    defineRoute(
      {
        method: 'get',
        path: '/health',
        operationId: 'getHealth',
        tag: 'Service',
        summary: 'Whether this process reaches PostgreSQL and Redis',
        access: 'public',
        root: true,
        responses: { 200: json(healthSchema, 'Both answer'), 503: json(healthSchema, 'One of them does not') },
      },
      async (ctx) => {
        const database = await answersWithin(ctx.ds.query('SELECT 1'), HEALTH_TIMEOUT_MS);
        const redis = ctx.redisReady();
        const ok = database && redis;
        return ok ? { status: 200, body: { status: 'ok' as const, database, redis } } : { status: 503, body: { status: 'degraded' as const, database, redis } };
      },
    ),
    defineRoute(
      {
        method: 'get',
        path: '/openapi.json',
        operationId: 'getOpenApiDocument',
        tag: 'Service',
        summary: 'This document (OpenAPI 3.1)',
        access: 'public',
        responses: { 200: json(z.record(z.string(), z.unknown()), 'The OpenAPI 3.1 document') },
      },
      async (ctx) => ({ status: 200, body: document(ctx) as Record<string, unknown> }),
    ),
    defineRoute(
      {
        method: 'get',
        path: '/docs',
        operationId: 'getApiReference',
        tag: 'Service',
        summary: 'This document as a browsable reference page',
        access: 'public',
        responses: { 200: rawBody('An HTML page (Swagger UI, served from this server)', 'text/html') },
      },
      async (_ctx, { req, res }) => {
        res.type('html').send(referencePageHtml(req.baseUrl));
        return SENT;
      },
    ),
  ];
}
