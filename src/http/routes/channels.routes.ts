import { z } from 'zod';
import { ConnectorError } from '../../../connectors/contract';
import { canSeeInbox } from '../../auth/access-policy';
import type { HttpContext } from '../context';
import { createChannelSchema, updateChannelSchema } from '../../channels/channel.service';
import { hasSession, sessionCommandChannel, sessionStateKey } from '../../channels/session-runtime';
import type { Channel } from '../../database/entities';
import { HttpError } from '../errors';
import { requireInbox, sessionOf } from '../middleware/auth';
import { defineRoute } from '../openapi/define-route';
import { error, json } from '../openapi/responses';
import { channelSchema, channelTypeDescriptionSchema, channelTypeSchema, channelView, sessionStateSchema } from '../views';
import { errorSchema } from '../views/wire';

const idParam = z.object({ id: z.uuid() });
const view = (ctx: HttpContext, c: Channel) => channelView(c, ctx.config.publicUrl, ctx.channels.definition(c.type).capabilities);
const webhookRemovalSchema = z
  .object({
    status: z.enum(['removed', 'failed', 'manual', 'none']).meta({
      description:
        "removed: the platform stops delivering; failed: it did not (its deliveries now answer 404); manual: no API for it, remove it in the platform's dashboard; none: no webhook (session channels).",
    }),
    message: z.string().meta({ description: 'The same, in words.' }),
  })
  .meta({ id: 'WebhookRemoval' });
const noSession = error('Channels of this type have no session (see `session` in GET /channel-types)');

/**
 * The service's schema validates (an unknown type is refused there, naming the known ones); the document adds
 * the list of types, read from the connector registry.
 */
const createChannelBody = createChannelSchema.extend({ type: channelTypeSchema() });

export const channelRoutes = [
  defineRoute(
    {
      method: 'get',
      path: '/channel-types',
      operationId: 'listChannelTypes',
      tag: 'Channels',
      summary: 'The channel types this Parley knows, with their limits and the JSON Schema of their configuration',
      description:
        'From the connector registry the server was started with: type, displayName, capabilities (message kinds, limits and how text is counted, reply window), whether accounts run a session, and the JSON Schemas of `credentials` and `settings` a form can be built from. Any agent: it holds no secret, and the limits matter when writing.',
      access: 'agent',
      responses: { 200: z.object({ channelTypes: z.array(channelTypeDescriptionSchema) }) },
    },
    async (ctx) => ({ status: 200, body: { channelTypes: ctx.channels.registry.describe() } }),
  ),
  defineRoute(
    {
      method: 'get',
      path: '/channels',
      operationId: 'listChannels',
      tag: 'Channels',
      summary: 'List channel accounts (settings and webhook URL; never credentials)',
      description: 'Admins get every channel; an agent only the inboxes they belong to (their `inboxIds`).',
      access: 'agent',
      responses: { 200: z.object({ channels: z.array(channelSchema) }) },
    },
    async (ctx, { req }) => {
      const { viewer } = sessionOf(req);
      const channels = (await ctx.channels.list()).filter((c) => canSeeInbox(viewer, c.id));
      return { status: 200, body: { channels: channels.map((c) => view(ctx, c)) } };
    },
  ),
  defineRoute(
    {
      method: 'get',
      path: '/channels/:id',
      operationId: 'getChannel',
      tag: 'Channels',
      summary: 'One channel account',
      description: 'An agent who does not belong to the inbox gets 404, as for an id that does not exist.',
      access: 'agent',
      params: idParam,
      responses: { 200: z.object({ channel: channelSchema }), 404: errorSchema },
    },
    async (ctx, { params, req }) => {
      requireInbox(req, params.id);
      return { status: 200, body: { channel: view(ctx, await ctx.channels.get(params.id)) } };
    },
  ),
  defineRoute(
    {
      method: 'post',
      path: '/channels',
      operationId: 'createChannel',
      tag: 'Channels',
      summary: 'Connect a channel account',
      description:
        "`credentials` and `settings` are the connector's own (see its README under connectors/ and GET /channel-types); unknown keys are refused. " +
        'The credentials are checked with the platform first (Telegram getMe, Viber get_account_info, the WhatsApp phone number, a Bot Framework token): ' +
        'nothing is stored when the platform refuses them or cannot be asked, and an account already connected is refused. The answer holds the webhook URL ' +
        "and, this once only, the secrets Parley generated (`generatedCredentials`, e.g. a verify token for the platform's dashboard).",
      access: 'admin',
      body: createChannelBody,
      responses: {
        201: z.object({
          channel: channelSchema,
          generatedCredentials: z.record(z.string(), z.unknown()).meta({ description: 'The secrets Parley generated: shown this once, never again.' }),
        }),
        400: error('Invalid input, an unknown channel type or key, or credentials or settings the connector refuses (never echoed)'),
        409: error('This account (the same bot, number or app) is already connected as another channel'),
        422: error('The platform refused the credentials, said in words (never echoing them)'),
        502: error('The platform could not be asked (unreachable, timed out, failing): nothing was saved'),
      },
    },
    async (ctx, { body }) => {
      const { channel, generated } = await ctx.channels.create(body);
      ctx.logger.info({ channelId: channel.id, type: channel.type }, 'channel created');
      // Shown this once (like an API key): the admin may need them in the platform's dashboard.
      return { status: 201, body: { channel: view(ctx, channel), generatedCredentials: generated } };
    },
  ),
  defineRoute(
    {
      method: 'patch',
      path: '/channels/:id',
      operationId: 'updateChannel',
      tag: 'Channels',
      summary: 'Change a channel account: its name, settings, or a credential',
      description:
        'Keys given in `settings` and `credentials` replace the stored ones; the result is validated against the channel type like a new channel (unknown keys are refused). ' +
        'New credentials or settings are checked with the platform as on create; a name alone is not.',
      access: 'admin',
      params: idParam,
      body: updateChannelSchema,
      responses: {
        200: z.object({ channel: channelSchema }),
        400: error('Invalid input, or credentials or settings the connector refuses (never echoed)'),
        404: errorSchema,
        409: error('The new credentials belong to an account already connected as another channel'),
        422: error('The platform refused the new credentials, said in words'),
        502: error('The platform could not be asked: nothing was changed'),
      },
    },
    async (ctx, { params, body }) => {
      const channel = await ctx.channels.update(params.id, body);
      ctx.logger.info({ channelId: channel.id, type: channel.type }, 'channel updated');
      return { status: 200, body: { channel: view(ctx, channel) } };
    },
  ),
  defineRoute(
    {
      method: 'delete',
      path: '/channels/:id',
      operationId: 'deleteChannel',
      tag: 'Channels',
      summary: 'Delete a channel account; its history is kept and its webhook stops answering',
      description:
        'Where the platform allows it (Telegram deleteWebhook, Viber set_webhook with an empty url), it is first told to stop delivering. That is best effort: the channel is deleted whatever the platform answers, and `webhook` says what happened.',
      access: 'admin',
      params: idParam,
      responses: { 200: z.object({ deleted: z.literal(true), webhook: webhookRemovalSchema }), 404: errorSchema },
    },
    async (ctx, { params }) => {
      const webhook = await ctx.channels.remove(params.id);
      const log = { channelId: params.id, webhook: webhook.status };
      if (webhook.status === 'failed') ctx.logger.warn({ ...log, reason: webhook.message }, 'channel deleted; the platform did not remove its webhook');
      else ctx.logger.info(log, 'channel deleted');
      return { status: 200, body: { deleted: true as const, webhook } };
    },
  ),
  /** An explicit admin action: tell the platform to deliver to this channel's webhook URL. */
  defineRoute(
    {
      method: 'post',
      path: '/channels/:id/register-webhook',
      operationId: 'registerChannelWebhook',
      tag: 'Channels',
      summary: "Set the webhook on the platform's side",
      access: 'admin',
      params: idParam,
      responses: {
        200: z.object({ webhookUrl: z.string(), registered: z.literal(true) }),
        404: errorSchema,
        422: error("This platform's webhooks are configured in its dashboard: see the connector README"),
        502: error('The platform refused'),
      },
    },
    async (ctx, { params }) => {
      const channel = await ctx.channels.get(params.id);
      const connector = ctx.channels.connectorFor(channel);
      if (!connector.registerWebhook) throw new HttpError(422, `${channel.type} webhooks are configured on the platform's side: see the connector README`);
      const url = `${ctx.config.publicUrl}/webhooks/${channel.webhookId}`;
      try {
        await connector.registerWebhook(url);
      } catch (err) {
        if (err instanceof ConnectorError) throw new HttpError(502, `the platform refused: ${err.message}`);
        throw err;
      }
      return { status: 200, body: { webhookUrl: url, registered: true as const } };
    },
  ),
  /** Session-based channels: the state (pairing with the QR code to scan, ready, disconnected with the reason). */
  defineRoute(
    {
      method: 'get',
      path: '/channels/:id/session',
      operationId: 'getChannelSession',
      tag: 'Channels',
      summary: 'Session-based channels such as WhatsApp Web: the session state, with the QR code to scan while pairing',
      access: 'admin',
      params: idParam,
      responses: { 200: z.object({ session: sessionStateSchema }), 404: errorSchema, 422: noSession },
    },
    async (ctx, { params }) => {
      const channel = await ctx.channels.get(params.id);
      if (!hasSession(ctx.channels.definition(channel.type))) throw new HttpError(422, `${channel.type} channels have no session`);
      const raw = await ctx.redis.get(sessionStateKey(ctx.config.redisPrefix, channel.id));
      return { status: 200, body: { session: raw ? JSON.parse(raw) : { status: 'starting' } } };
    },
  ),
  /** Session-based channels: start the session again, e.g. to show a new QR code after the phone unlinked it. */
  defineRoute(
    {
      method: 'post',
      path: '/channels/:id/session/restart',
      operationId: 'restartChannelSession',
      tag: 'Channels',
      summary: 'Session-based channels: restart the session, e.g. to pair again',
      access: 'admin',
      params: idParam,
      responses: {
        202: json(z.object({ restarting: z.literal(true) }), 'Restarting: follow GET /channels/{id}/session'),
        404: errorSchema,
        422: noSession,
      },
    },
    async (ctx, { params }) => {
      const channel = await ctx.channels.get(params.id);
      if (!hasSession(ctx.channels.definition(channel.type))) throw new HttpError(422, `${channel.type} channels have no session`);
      await ctx.redis.publish(sessionCommandChannel(ctx.config.redisPrefix), JSON.stringify({ action: 'restart', channelId: channel.id }));
      return { status: 202, body: { restarting: true as const } };
    },
  ),
];
