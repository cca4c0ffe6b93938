import type { z } from 'zod';
import { errorSchema } from '../views/wire';
import type { ApiRoute, JsonResponse, NonJsonResponse, ResponseSpec, Tag } from './define-route';
import { SchemaCollector, type JsonSchema } from './json-schema';

/** The one description per status, so that the same status means the same thing on every operation. */
const STATUS_DESCRIPTIONS: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  202: 'Accepted',
  204: 'Done; no body',
  400: 'Invalid input: `details` names each field (`[{ path, message }]`), or a body that is not JSON',
  401: 'No bearer token, or an invalid or expired one',
  403: 'Not allowed: admins only',
  404: 'Not found, or not yours to see',
  409: 'Conflicts with the current state',
  413: 'Too large',
  422: 'Well-formed but refused by a rule',
  429: 'Too many attempts: try again later',
  502: 'The messaging platform refused',
  503: 'Temporarily unavailable: try again later',
};

const TAGS: Array<{ name: Tag; description: string }> = [
  { name: 'Auth', description: 'Logging in and out; the logged-in agent.' },
  { name: 'Agents', description: 'Everyone may list agents (to assign a colleague); only admins change them.' },
  { name: 'Teams', description: 'Teams share conversations; only admins change them.' },
  { name: 'Channels', description: 'Channel accounts (a bot, a number) on a platform. Credentials are never returned.' },
  { name: 'Inboxes', description: 'Each channel account is an inbox: agents see and are routed only the conversations of the inboxes they belong to.' },
  { name: 'Routing', description: 'Each channel account is an inbox: how it hands out conversations, and who waits for an agent.' },
  {
    name: 'Conversations',
    description: "Agents see, in the inboxes they belong to, conversations assigned to them, unassigned ones and their teams'; admins see all.",
  },
  { name: 'Messages', description: 'Customer messages, agent replies (sent through the channel) and private notes.' },
  { name: 'Contacts', description: 'The people who write, with one identity per channel.' },
  { name: 'Media', description: 'Uploads for replies, downloads of attachments, signed links for platforms.' },
  { name: 'Webhooks', description: "Where platforms deliver. Verified by the platform's signature, never a token in the URL." },
  { name: 'Service', description: 'Health and this documentation.' },
];

export type OpenApiDocument = JsonSchema & { openapi: '3.1.0'; paths: Record<string, Record<string, unknown>> };

/** The OpenAPI 3.1 document of these routes: deterministic (no host, no time), so it can be generated and compared. */
export function documentFromRoutes(routes: readonly ApiRoute[]): OpenApiDocument {
  const schemas = new SchemaCollector();
  const paths: Record<string, Record<string, unknown>> = {};
  for (const { spec } of routes) {
    const path = spec.path.replace(/:(\w+)/g, '{$1}');
    const item = (paths[path] ??= spec.root ? { servers: [{ url: '/', description: 'the server root, outside /api/v1' }] } : {});
    if (item[spec.method]) throw new Error(`${spec.method.toUpperCase()} ${path} is defined twice`);
    const declared = Object.keys((spec.params as z.ZodObject | undefined)?.shape ?? {})
      .sort()
      .join(',');
    const inPath = [...spec.path.matchAll(/:(\w+)/g)]
      .map((m) => m[1])
      .sort()
      .join(',');
    if (declared !== inPath) throw new Error(`${spec.method.toUpperCase()} ${path}: params declares [${declared}], the path has [${inPath}]`);
    const parameters = [
      ...parametersOf(schemas, spec.params, 'path', `${spec.method.toUpperCase()} ${path}`),
      ...parametersOf(schemas, spec.query, 'query', `${spec.method.toUpperCase()} ${path}`),
    ];
    const responses: Record<number, ResponseSpec> = { ...spec.responses };
    const parsesInput = (spec.params || spec.query || spec.body) && !spec.neverInvalid;
    if (parsesInput && !responses[400]) responses[400] = errorSchema;
    if ((spec.body || spec.rawBody) && !responses[413]) responses[413] = errorSchema;
    if (spec.access !== 'public' && !responses[401]) responses[401] = errorSchema;
    if (spec.access === 'admin' && !responses[403]) responses[403] = errorSchema;
    item[spec.method] = {
      operationId: spec.operationId,
      tags: [spec.tag],
      summary: spec.summary,
      ...(spec.description || spec.access === 'admin'
        ? { description: [spec.description, spec.access === 'admin' ? 'Admins only.' : undefined].filter(Boolean).join('\n\n') }
        : {}),
      ...(spec.access === 'public' ? { security: [] } : {}),
      ...(parameters.length ? { parameters } : {}),
      ...(spec.body
        ? { requestBody: { required: !spec.body.safeParse({}).success, content: { 'application/json': { schema: schemas.convert(spec.body) } } } }
        : {}),
      ...(spec.rawBody
        ? {
            requestBody: {
              required: true,
              description: spec.rawBody.description,
              content: { [spec.rawBody.contentType]: { schema: { type: 'string', format: 'binary' } } },
            },
          }
        : {}),
      responses: Object.fromEntries(Object.entries(responses).map(([status, r]) => [status, responseObject(schemas, Number(status), r)])),
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Parley API',
      version: '1',
      description:
        'Self-hosted omnichannel inbox. Authenticate with `POST /api/v1/auth/login`, then send `Authorization: Bearer <token>`. ' +
        'The same token authenticates the socket.io connection (`auth: { token }`), which emits message.created, message.updated, ' +
        'conversation.created and conversation.updated, with the same Message and Conversation objects as here.\n\n' +
        'Every error answers `{ "error": "...", "details"?: [...] }` with its status. ' +
        'This document is generated from the zod schemas that validate the requests and type the responses (src/http).',
    },
    servers: [{ url: '/api/v1' }],
    tags: TAGS,
    security: [{ bearer: [] }],
    paths,
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } }, schemas: sorted(schemas.components) },
  };
}

function parametersOf(schemas: SchemaCollector, schema: z.ZodType | undefined, where: 'path' | 'query', route: string): JsonSchema[] {
  if (!schema) return [];
  const json = schemas.convert(schema);
  if (json.type !== 'object' || !json.properties) throw new Error(`${route}: ${where} parameters must be a z.object`);
  const required = new Set((json.required as string[] | undefined) ?? []);
  return Object.entries(json.properties as Record<string, JsonSchema>).map(([name, { description, ...property }]) => ({
    name,
    in: where,
    required: where === 'path' || required.has(name),
    ...(description ? { description } : {}),
    schema: property,
  }));
}

function responseObject(schemas: SchemaCollector, status: number, r: ResponseSpec): JsonSchema {
  const fallback = STATUS_DESCRIPTIONS[status] ?? `HTTP ${status}`;
  if (isZod(r)) return { description: fallback, content: { 'application/json': { schema: schemas.convert(r) } } };
  if ('schema' in r) {
    const json = r as JsonResponse;
    return { description: json.description, content: { 'application/json': { schema: schemas.convert(json.schema) } } };
  }
  const raw = r as NonJsonResponse;
  if (!raw.contentType) return { description: raw.description };
  // Bytes the client stores as they come (a file), or text (a page, a platform's handshake answer).
  const schema = raw.contentType.startsWith('text/') ? { type: 'string' } : { type: 'string', format: 'binary' };
  return { description: raw.description, content: { [raw.contentType]: { schema } } };
}

function isZod(value: unknown): value is z.ZodType {
  return typeof value === 'object' && value !== null && '_zod' in value;
}

function sorted<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}
