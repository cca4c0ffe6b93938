import express from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import type { HttpContext } from '../context';
import { createLogger } from '../../logging/logger';
import { errorHandler } from '../middleware/error-handler';
import { errorSchema } from '../views/wire';
import { documentFromRoutes } from './build-document';
import { defineRoute, mountRoutes, SENT } from './define-route';
import { noBody } from './responses';

/** The route helper: one spec parses the request, types the reply and describes both. */
const thing = z.object({ id: z.uuid(), name: z.string(), copies: z.number() });
const echo = defineRoute(
  {
    method: 'post',
    path: '/things/:id',
    operationId: 'echoThing',
    tag: 'Service',
    summary: 'Echo a thing',
    access: 'agent',
    params: z.object({ id: z.uuid() }),
    query: z.object({ copies: z.coerce.number().int().min(1).default(1) }),
    body: z.object({ name: z.string().min(1) }),
    responses: { 200: thing, 404: errorSchema },
  },
  async (_ctx, { params, query, body }) => ({ status: 200, body: { id: params.id, name: body.name, copies: query.copies } }),
);
const remove = defineRoute(
  {
    method: 'delete',
    path: '/things/:id',
    operationId: 'deleteThing',
    tag: 'Service',
    summary: 'Delete a thing',
    access: 'admin',
    params: z.object({ id: z.uuid() }),
    responses: { 204: noBody('Gone') },
  },
  async () => ({ status: 204 }),
);

/** Checked by the type check (`npm run typecheck`): each line below must fail to compile. */
describe('replies are checked against the documented responses at compile time', () => {
  const spec = {
    method: 'get',
    path: '/x',
    operationId: 'x',
    tag: 'Service',
    summary: 'x',
    access: 'public',
    responses: { 200: z.object({ a: z.string() }), 204: noBody('none') },
  } as const;
  test('an undeclared status, a wrong body, or a body on a 204 does not compile', () => {
    // @ts-expect-error 201 is not declared
    defineRoute(spec, async () => ({ status: 201, body: { a: 'x' } }));
    // @ts-expect-error `a` is documented as a string
    defineRoute(spec, async () => ({ status: 200, body: { a: 1 } }));
    // @ts-expect-error the 204 is declared without a body
    defineRoute(spec, async () => ({ status: 204, body: { a: 'x' } }));
    // A handler that wrote the response itself says so.
    defineRoute(spec, async () => SENT);
  });
});

describe('mounted routes parse with the documented schemas', () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    const app = express();
    app.use(express.json());
    app.use((req, _res, next) => {
      // What `authenticate` sets: the test decides the role with a header.
      if (req.headers['x-role']) req.session = { agent: { role: req.headers['x-role'] } } as never;
      next();
    });
    mountRoutes(app.router, [echo, remove], {} as HttpContext);
    app.use(errorHandler(createLogger('silent')));
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  const call = async (method: string, path: string, body?: unknown, role?: string) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(role ? { 'x-role': role } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: res.status === 204 ? undefined : ((await res.json()) as any) };
  };
  const id = '3f1c2a4e-5b6d-4e7f-8a9b-0c1d2e3f4a5b';

  test('params, query and body reach the handler parsed (coerced, defaulted)', async () => {
    expect(await call('POST', `/things/${id}?copies=3`, { name: 'a' })).toEqual({ status: 200, body: { id, name: 'a', copies: 3 } });
    expect((await call('POST', `/things/${id}`, { name: 'a' })).body.copies).toBe(1);
  });

  test('invalid input is 400 naming the field, before the handler runs', async () => {
    const bad = await call('POST', '/things/not-a-uuid', { name: '' });
    expect(bad.status).toBe(400);
    expect(bad.body.details.map((d: { path: string }) => d.path)).toEqual(['id']);
    expect((await call('POST', `/things/${id}?copies=0`, { name: 'a' })).body.details[0].path).toBe('copies');
    expect((await call('POST', `/things/${id}`, {})).body.details[0].path).toBe('name');
  });

  test('admin routes check the role first; a reply without a body is empty', async () => {
    expect((await call('DELETE', `/things/${id}`, undefined, 'agent')).status).toBe(403);
    expect(await call('DELETE', `/things/${id}`, undefined, 'admin')).toEqual({ status: 204, body: undefined });
  });
});

describe('the document of these routes', () => {
  const doc = documentFromRoutes([echo, remove]);
  const ops = doc.paths['/things/{id}'] as Record<string, any>;

  test('parameters, body and responses come from the schemas; parsing and access add their errors', () => {
    expect(ops.post.parameters).toEqual([
      { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } },
      { name: 'copies', in: 'query', required: false, schema: { type: 'integer', minimum: 1, default: 1, maximum: expect.any(Number) } },
    ]);
    expect(ops.post.requestBody.required).toBe(true);
    expect(Object.keys(ops.post.responses)).toEqual(['200', '400', '401', '404', '413']);
    expect(Object.keys(ops.delete.responses)).toEqual(['204', '400', '401', '403']);
    expect(ops.delete.responses['204']).toEqual({ description: 'Gone' });
    expect(ops.delete.description).toMatch(/Admins only/);
    expect((doc.components as any).schemas.Error).toBeDefined();
  });

  test('a path parameter without its schema (or the reverse) is refused', () => {
    const mismatched = defineRoute(
      {
        method: 'get',
        path: '/a/:id/:other',
        operationId: 'a',
        tag: 'Service',
        summary: 'a',
        access: 'public',
        params: z.object({ id: z.uuid() }),
        responses: { 204: noBody('x') },
      },
      async () => ({ status: 204 }),
    );
    expect(() => documentFromRoutes([mismatched])).toThrow(/params declares \[id\], the path has \[id,other\]/);
  });
});
