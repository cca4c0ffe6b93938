import { z } from 'zod';
import { updateRoutingSchema } from '../../assignment/inbox-routing.service';
import { routingSettingsSchema } from '../../assignment/routing-settings';
import { requireInbox, sessionOf } from '../middleware/auth';
import { defineRoute } from '../openapi/define-route';
import { dateTime } from '../views';
import { errorSchema } from '../views/wire';

const idParam = z.object({ id: z.uuid() });
const routingSchema = routingSettingsSchema.meta({ id: 'RoutingSettings' });
const waitingSchema = z
  .object({ conversationId: z.uuid(), channelId: z.uuid(), position: z.number().int(), waitingSince: dateTime, contactName: z.string().nullable() })
  .meta({ id: 'WaitingConversation' });

/** Each channel account is an inbox with its own routing; the waiting queue is shown to everyone. */
export const routingRoutes = [
  defineRoute(
    {
      method: 'get',
      path: '/channels/:id/routing',
      operationId: 'getInboxRouting',
      tag: 'Routing',
      summary: "An inbox's routing: strategy, team, maximum queue length, whether waiting customers hear their place",
      access: 'agent',
      params: idParam,
      responses: { 200: z.object({ routing: routingSchema }), 404: errorSchema },
    },
    async (ctx, { params, req }) => {
      requireInbox(req, params.id);
      return { status: 200, body: { routing: await ctx.inboxRouting.get(params.id) } };
    },
  ),
  defineRoute(
    {
      method: 'patch',
      path: '/channels/:id/routing',
      operationId: 'updateInboxRouting',
      tag: 'Routing',
      summary: "Change an inbox's routing (admins); waiting conversations are served again",
      access: 'admin',
      params: idParam,
      body: updateRoutingSchema,
      responses: { 200: z.object({ routing: routingSchema }), 404: errorSchema },
    },
    async (ctx, { params, body }) => ({ status: 200, body: { routing: await ctx.inboxRouting.update(params.id, body) } }),
  ),
  defineRoute(
    {
      method: 'get',
      path: '/queue',
      operationId: 'listWaitingConversations',
      tag: 'Routing',
      summary: 'Who waits for an agent, oldest first, numbered per inbox as the customers were told',
      description: "An agent sees the queues of their own inboxes only; admins see every inbox's.",
      access: 'agent',
      query: z.object({ channelId: z.uuid().optional() }),
      responses: { 200: z.object({ waiting: z.array(waitingSchema) }) },
    },
    async (ctx, { query, req }) => {
      const viewer = sessionOf(req).viewer;
      return { status: 200, body: { waiting: await ctx.inboxRouting.waiting(query.channelId, viewer.role === 'admin' ? null : viewer.inboxIds) } };
    },
  ),
];
