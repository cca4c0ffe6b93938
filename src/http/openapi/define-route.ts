import type { Request, RequestHandler, Response, Router } from 'express';
import type { z } from 'zod';
import type { HttpContext } from '../context';
import { requireAdmin } from '../middleware/auth';
import { parse } from '../validate';

/**
 * One route = one object: the Express handler and its OpenAPI operation are built from the same spec, and the
 * same zod schemas that parse params, query and body are the ones the document shows. So validation and
 * documentation cannot diverge, and a handler's reply is type-checked against the documented response.
 * Specs are plain data (no HttpContext needed), so the document can be built without a server.
 */

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** Groups operations in the document (and in the reference page's sidebar). */
export type Tag =
  'Auth' | 'Agents' | 'Teams' | 'Channels' | 'Inboxes' | 'Routing' | 'Conversations' | 'Messages' | 'Contacts' | 'Media' | 'Webhooks' | 'Service';

/**
 * Who may call. `agent` and `admin` routes are mounted behind the bearer-token check (admin adds the role
 * check); `public` ones take no token (login, webhooks verified by the platform's signature, signed media links).
 */
export type Access = 'public' | 'agent' | 'admin';

/** A response without a JSON body: none at all (204), or raw bytes (a file, a page) of the given type. */
export interface NonJsonResponse {
  description: string;
  /** Absent: no body. */
  contentType?: string;
}
/** A JSON response: its schema, and a description when the status's usual one does not say enough. */
export interface JsonResponse<S extends z.ZodType = z.ZodType> {
  description: string;
  schema: S;
}
export type ResponseSpec = z.ZodType | JsonResponse | NonJsonResponse;
export type Responses = { [status: number]: ResponseSpec };

export interface RouteSpec<P, Q, B, R extends Responses> {
  method: HttpMethod;
  /** Express syntax (`/conversations/:id`), relative to where the route is mounted (see `root`). */
  path: string;
  operationId: string;
  tag: Tag;
  summary: string;
  description?: string;
  access: Access;
  /** Mounted at the server's root instead of under /api/v1 (webhooks, public media, health). */
  root?: true;
  params?: P;
  query?: Q;
  body?: B;
  /** A body that is not JSON, read by `before` middleware (uploads, webhooks): documented, not parsed here. */
  rawBody?: { contentType: string; description: string };
  /** Parsing cannot fail (a webhook accepts any id, answering 404 for an unknown one): no 400 is documented. */
  neverInvalid?: true;
  /** Middleware that runs after the access check and before the handler (e.g. a raw body parser). */
  before?: (ctx: HttpContext) => RequestHandler[];
  /** Every status the route answers with. 400/401/403/413 are added where parsing and access imply them. */
  responses: R;
}

type Parsed<S> = S extends z.ZodType ? z.output<S> : undefined;

/**
 * What a handler answers: a status the spec declares, with the body its schema types, or no body for a
 * response declared without one. Raw bodies (files, pages) are written by the handler, which returns SENT.
 */
export type Reply<R extends Responses> = {
  [K in keyof R & number]: R[K] extends z.ZodType
    ? { status: K; body: z.output<R[K]> }
    : R[K] extends JsonResponse<infer S>
      ? { status: K; body: z.output<S> }
      : R[K] extends { contentType: string }
        ? never
        : { status: K; body?: never };
}[keyof R & number];

/** Returned by handlers that wrote the response themselves (files, pages, webhook answers). */
export const SENT = Symbol('response sent');

export interface RouteInput<P, Q, B> {
  params: Parsed<P>;
  query: Parsed<Q>;
  body: Parsed<B>;
  req: Request;
  res: Response;
}

export type RouteHandler<P, Q, B, R extends Responses> = (ctx: HttpContext, input: RouteInput<P, Q, B>) => Promise<Reply<R> | typeof SENT>;

export interface ApiRoute {
  spec: RouteSpec<z.ZodType | undefined, z.ZodType | undefined, z.ZodType | undefined, Responses>;
  handler: RouteHandler<any, any, any, any>;
}

export function defineRoute<
  const R extends Responses,
  P extends z.ZodType | undefined = undefined,
  Q extends z.ZodType | undefined = undefined,
  B extends z.ZodType | undefined = undefined,
>(spec: RouteSpec<P, Q, B, R>, handler: RouteHandler<NoInfer<P>, NoInfer<Q>, NoInfer<B>, NoInfer<R>>): ApiRoute {
  return { spec, handler } as ApiRoute;
}

/**
 * Registers the routes on a router: the admin check, `before` middleware, parsing, then the handler's reply.
 * The bearer-token check is the router's (app.ts mounts `agent` and `admin` routes behind it).
 */
export function mountRoutes(router: Router, routes: readonly ApiRoute[], ctx: HttpContext): void {
  for (const { spec, handler } of routes) {
    const run: RequestHandler = async (req, res) => {
      const input = {
        params: spec.params ? parse(spec.params, req.params) : undefined,
        query: spec.query ? parse(spec.query, req.query) : undefined,
        body: spec.body ? parse(spec.body, req.body) : undefined,
        req,
        res,
      };
      const reply = await handler(ctx, input);
      if (reply === SENT) return;
      if ('body' in reply) res.status(reply.status).json(reply.body);
      else res.status(reply.status).end();
    };
    const chain = [...(spec.access === 'admin' ? [requireAdmin] : []), ...(spec.before?.(ctx) ?? []), run];
    router[spec.method](spec.path, ...chain);
  }
}
