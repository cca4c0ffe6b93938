/**
 * The API's OpenAPI description, served at GET /api/v1/openapi.json. A test checks that every route the app
 * registers is described here, so this cannot silently fall behind.
 */
const json = { 'application/json': { schema: { type: 'object' } } };
const ok = (description: string) => ({ description, content: json });
const err = { description: 'error: `{ "error": "...", "details"?: [...] }`', content: json };
const idParam = (name = 'id') => ({ name, in: 'path', required: true, schema: { type: 'string', format: 'uuid' } });
const body = (properties: Record<string, unknown>, required: string[] = []) => ({
  required: true,
  content: { 'application/json': { schema: { type: 'object', properties, required } } },
});
const errors = { 400: err, 401: err, 403: err, 404: err };

export const openApiDocument = {
  openapi: '3.1.0',
  info: {
    title: 'Parley API',
    version: '1',
    description:
      'Self-hosted omnichannel inbox. Authenticate with `POST /api/v1/auth/login`, then send `Authorization: Bearer <token>`. ' +
      'The same token authenticates the socket.io connection (`auth: { token }`), which emits message.created, message.updated, ' +
      'conversation.created and conversation.updated.',
  },
  servers: [{ url: '/api/v1' }],
  components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
  security: [{ bearer: [] }],
  paths: {
    '/auth/login': {
      post: {
        summary: 'Log in with email and password; returns a bearer token',
        security: [],
        requestBody: body({ email: { type: 'string' }, password: { type: 'string' } }, ['email', 'password']),
        responses: { 200: ok('token, expiresAt, agent'), 400: err, 401: err, 403: err, 429: err },
      },
    },
    '/auth/logout': { post: { summary: 'Revoke the token used for this request', responses: { 204: { description: 'logged out' }, 401: err } } },
    '/me': {
      get: { summary: 'The logged-in agent', responses: { 200: ok('agent, teamIds'), 401: err } },
      patch: {
        summary: 'Change own name, availability (online/busy/offline) or password',
        requestBody: body({ name: { type: 'string' }, availability: { enum: ['online', 'busy', 'offline'] }, password: { type: 'string' } }),
        responses: { 200: ok('agent'), ...errors },
      },
    },
    '/agents': {
      get: { summary: 'List agents', responses: { 200: ok('agents'), 401: err } },
      post: {
        summary: 'Create an agent (admins)',
        requestBody: body(
          { email: { type: 'string' }, name: { type: 'string' }, password: { type: 'string', minLength: 10 }, role: { enum: ['admin', 'agent'] }, capacity: { type: 'integer' } },
          ['email', 'name', 'password'],
        ),
        responses: { 201: ok('agent'), 409: err, ...errors },
      },
    },
    '/agents/{id}': {
      patch: {
        summary: 'Change an agent (admins): name, role, availability, capacity, password, disabled',
        parameters: [idParam()],
        requestBody: body({ name: { type: 'string' }, role: { type: 'string' }, availability: { type: 'string' }, capacity: { type: 'integer' }, password: { type: 'string' }, disabled: { type: 'boolean' } }),
        responses: { 200: ok('agent'), ...errors },
      },
    },
    '/teams': {
      get: { summary: 'List teams with their members', responses: { 200: ok('teams'), 401: err } },
      post: { summary: 'Create a team (admins)', requestBody: body({ name: { type: 'string' } }, ['name']), responses: { 201: ok('team'), 409: err, ...errors } },
    },
    '/teams/{id}/members': {
      put: {
        summary: 'Set the members of a team (admins)',
        parameters: [idParam()],
        requestBody: body({ agentIds: { type: 'array', items: { type: 'string', format: 'uuid' } } }, ['agentIds']),
        responses: { 200: ok('team'), ...errors },
      },
    },
    '/channels': {
      get: { summary: 'List channel accounts (settings and webhook URL; never credentials)', responses: { 200: ok('channels'), 401: err } },
      post: {
        summary: 'Connect a channel account (admins); the answer holds the webhook URL and, this once only, the secrets Parley generated (generatedCredentials, e.g. a verify token for the platform dashboard)',
        requestBody: body(
          { type: { enum: ['telegram', 'viber', 'whatsapp_cloud', 'whatsapp_web', 'botframework'] }, name: { type: 'string' }, credentials: { type: 'object' }, settings: { type: 'object' } },
          ['type', 'name'],
        ),
        responses: { 201: ok('channel'), ...errors },
      },
    },
    '/channels/{id}': {
      get: { summary: 'One channel account', parameters: [idParam()], responses: { 200: ok('channel'), ...errors } },
      delete: { summary: 'Delete a channel account (admins); its history is kept', parameters: [idParam()], responses: { 204: { description: 'deleted' }, ...errors } },
    },
    '/channels/{id}/register-webhook': {
      post: { summary: "Set the webhook on the platform's side (admins)", parameters: [idParam()], responses: { 200: ok('webhookUrl'), 422: err, 502: err, ...errors } },
    },
    '/channels/{id}/session': {
      get: {
        summary: 'WhatsApp Web (admins): the session state: starting, pairing (with `qr`, the code to scan), ready, disconnected (with `reason`), auth_failure, stopped',
        parameters: [idParam()],
        responses: { 200: ok('session'), 422: err, ...errors },
      },
    },
    '/channels/{id}/session/restart': {
      post: { summary: 'WhatsApp Web (admins): restart the session, e.g. to pair again', parameters: [idParam()], responses: { 202: ok('restarting'), 422: err, ...errors } },
    },
    '/conversations': {
      get: {
        summary: 'List conversations the caller may see, newest activity first',
        parameters: [
          { name: 'status', in: 'query', schema: { enum: ['open', 'pending', 'snoozed', 'resolved'] } },
          { name: 'assignee', in: 'query', schema: { type: 'string' }, description: 'agent id, `me` or `none`' },
          { name: 'channelId', in: 'query', schema: { type: 'string', format: 'uuid' } },
          { name: 'teamId', in: 'query', schema: { type: 'string', format: 'uuid' } },
          { name: 'contactId', in: 'query', schema: { type: 'string', format: 'uuid' } },
          { name: 'limit', in: 'query', schema: { type: 'integer', maximum: 200 } },
          { name: 'before', in: 'query', schema: { type: 'string', format: 'date-time' }, description: 'cursor: lastActivityAt of the last item' },
        ],
        responses: { 200: ok('conversations'), 400: err, 401: err },
      },
    },
    '/conversations/{id}': { get: { summary: 'One conversation', parameters: [idParam()], responses: { 200: ok('conversation'), ...errors } } },
    '/conversations/{id}/status': {
      patch: {
        summary: 'Change status: open, pending, snoozed (with snoozedUntil), resolved',
        parameters: [idParam()],
        requestBody: body({ status: { type: 'string' }, snoozedUntil: { type: 'string', format: 'date-time' } }, ['status']),
        responses: { 200: ok('conversation'), 409: err, ...errors },
      },
    },
    '/conversations/{id}/assign': {
      post: {
        summary: 'Assign to an agent (null: unassign) and/or a team',
        parameters: [idParam()],
        requestBody: body({ agentId: { type: ['string', 'null'] }, teamId: { type: ['string', 'null'] } }),
        responses: { 200: ok('conversation'), 422: err, ...errors },
      },
    },
    '/conversations/{id}/messages': {
      get: {
        summary: 'Messages of a conversation, oldest first',
        parameters: [idParam(), { name: 'limit', in: 'query', schema: { type: 'integer' } }, { name: 'before', in: 'query', schema: { type: 'string', format: 'date-time' } }],
        responses: { 200: ok('messages'), ...errors },
      },
      post: {
        summary: 'Reply (202, queued and sent through the channel) or add a private note (201, never sent)',
        parameters: [idParam()],
        requestBody: body({ text: { type: 'string' }, uploadIds: { type: 'array', items: { type: 'string' } }, private: { type: 'boolean' } }),
        responses: { 201: ok('note'), 202: ok('message (status pending)'), 409: err, 413: err, 422: err, ...errors },
      },
    },
    '/contacts/{id}': {
      get: { summary: 'A contact with its channel identities and the conversations the caller may see', parameters: [idParam()], responses: { 200: ok('contact'), ...errors } },
    },
    '/contacts/{id}/merge': {
      post: {
        summary: 'Merge this contact into another (admins): identities and conversations move to the survivor',
        parameters: [idParam()],
        requestBody: body({ intoContactId: { type: 'string', format: 'uuid' } }, ['intoContactId']),
        responses: { 200: ok('the surviving contact'), 409: err, 422: err, ...errors },
      },
    },
    '/uploads': {
      post: {
        summary: 'Upload a file to attach to a reply: the raw bytes as the body, its type as Content-Type',
        parameters: [{ name: 'filename', in: 'query', required: true, schema: { type: 'string' } }],
        requestBody: { required: true, content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } },
        responses: { 201: ok('upload'), 413: err, ...errors },
      },
    },
    '/messages/{id}/attachments/{index}': {
      get: {
        summary: "Download a message's attachment (fetched from the platform on first use)",
        parameters: [idParam(), { name: 'index', in: 'path', required: true, schema: { type: 'integer' } }],
        responses: { 200: { description: 'the file' }, 502: err, 503: err, ...errors },
      },
    },
    '/openapi.json': { get: { summary: 'This document', security: [], responses: { 200: ok('OpenAPI 3.1') } } },
  },
} as const;
