import type { ApiRoute } from './openapi/define-route';
import { documentFromRoutes, type OpenApiDocument } from './openapi/build-document';
import { withChannelTypes } from './openapi/channel-types';
import { SHIPPED_CHANNEL_TYPES } from './views';
import { agentRoutes } from './routes/agents.routes';
import { authRoutes } from './routes/auth.routes';
import { channelRoutes } from './routes/channels.routes';
import { contactRoutes } from './routes/contacts.routes';
import { conversationRoutes } from './routes/conversations.routes';
import { deadLetterRoutes } from './routes/dead-letters.routes';
import { inboxMemberRoutes } from './routes/inbox-members.routes';
import { lifecycleRoutes } from './routes/lifecycle.routes';
import { inboxSettingsRoutes } from './routes/inbox-settings.routes';
import { mediaRoutes } from './routes/media.routes';
import { messageRoutes } from './routes/messages.routes';
import { publicMediaRoutes } from './routes/public-media.routes';
import { routingRoutes } from './routes/routing.routes';
import { sandboxRoutes } from './routes/sandbox.routes';
import { serviceRoutes } from './routes/service.routes';
import { webhookRoutes } from './routes/webhooks.routes';

/** Every route the HTTP layer serves (app.ts mounts them by `root` and `access`) and documents. */
export const apiRoutes: readonly ApiRoute[] = [
  ...serviceRoutes((ctx) => openApiDocument(ctx.channels.registry.types())),
  ...webhookRoutes,
  ...publicMediaRoutes,
  ...authRoutes,
  ...agentRoutes,
  ...channelRoutes,
  ...routingRoutes,
  ...inboxMemberRoutes,
  ...inboxSettingsRoutes,
  ...conversationRoutes,
  ...messageRoutes,
  ...lifecycleRoutes,
  ...contactRoutes,
  ...mediaRoutes,
  ...deadLetterRoutes,
  ...sandboxRoutes,
];

/**
 * The OpenAPI 3.1 document of these routes (or of `routes`), served at /api/v1/openapi.json and written to
 * web/src/api/openapi.json by `npm run api:types` (scripts/write-openapi-document.ts): no server needed.
 * `channelTypes`: those of the connector registry the server runs with (default: the shipped ones).
 */
export function buildOpenApiDocument(routes: readonly ApiRoute[] = apiRoutes, channelTypes: readonly string[] = SHIPPED_CHANNEL_TYPES): OpenApiDocument {
  return withChannelTypes(documentFromRoutes(routes), channelTypes);
}

let cached: { key: string; document: OpenApiDocument } | undefined;
/** Built once per process: the routes and the registry do not change while it runs. */
function openApiDocument(channelTypes: readonly string[]): OpenApiDocument {
  const key = channelTypes.join('\n');
  if (cached?.key !== key) cached = { key, document: buildOpenApiDocument(apiRoutes, channelTypes) };
  return cached.document;
}
