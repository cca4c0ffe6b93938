import { z } from 'zod';
import { listActivitySchema } from '../../activity/activity.service';
import { holdSchema, transferSchema } from '../../lifecycle/hold-transfer.service';
import { lifecycleSettingsSchema } from '../../lifecycle/lifecycle-settings';
import { updateLifecycleSchema } from '../../lifecycle/lifecycle-settings.service';
import { requireInbox, sessionOf } from '../middleware/auth';
import { defineRoute } from '../openapi/define-route';
import { error } from '../openapi/responses';
import { activitySchema, activityView, conversationView } from '../views';
import { conversationResult } from './conversations.routes';
import { errorSchema } from '../views/wire';

const idParam = z.object({ id: z.uuid() });
const lifecycleSchema = lifecycleSettingsSchema.meta({ id: 'LifecycleSettings' });

/** Hold, transfer, the thread's activity entries, and each inbox's reopen window and idle resolving. */
export const lifecycleRoutes = [
  defineRoute(
    {
      method: 'post',
      path: '/conversations/:id/hold',
      operationId: 'holdConversation',
      tag: 'Conversations',
      summary: 'Put the customer on hold, telling them so ("one moment, I’m checking") unless `notifyCustomer` is false',
      description:
        'Without `text`, the customer gets the inbox’s hold message in their language, sent like a reply and marked `automatic: "hold"`; ' +
        'with `text`, the agent’s own words, sent as their reply. A `held` activity entry records it.',
      access: 'agent',
      params: idParam,
      body: holdSchema,
      responses: {
        200: conversationResult,
        404: errorSchema,
        409: error('The conversation is resolved, or the customer blocked the channel'),
        422: error('The message would be refused (the channel’s reply window has closed...)'),
      },
    },
    async (ctx, { params, body, req }) => {
      const { viewer } = sessionOf(req);
      const c = await ctx.holdTransfer.hold(viewer, await ctx.conversations.get(viewer, params.id), body);
      return { status: 200, body: { conversation: conversationView(c) } };
    },
  ),
  defineRoute(
    {
      method: 'post',
      path: '/conversations/:id/transfer',
      operationId: 'transferConversation',
      tag: 'Conversations',
      summary: 'Transfer to an agent or a team, with a note for the receiving side and optionally a message to the customer',
      description:
        'To an agent: theirs now. To a team alone: unassigned and routed to one of the team’s members. The `note` is kept in the `transferred` ' +
        'activity entry and shown only to the receiving agent (or the team’s members), its author and admins; it is never sent to the customer. ' +
        '`customerMessage` is sent as the agent’s reply.',
      access: 'agent',
      params: idParam,
      body: transferSchema,
      responses: {
        200: conversationResult,
        404: errorSchema,
        409: error('The conversation is resolved or already there, or the customer blocked the channel'),
        422: error('No such active agent or team, or the customer message would be refused'),
      },
    },
    async (ctx, { params, body, req }) => {
      const { viewer } = sessionOf(req);
      const c = await ctx.holdTransfer.transfer(viewer, await ctx.conversations.get(viewer, params.id), body);
      return { status: 200, body: { conversation: conversationView(c) } };
    },
  ),
  defineRoute(
    {
      method: 'get',
      path: '/conversations/:id/activity',
      operationId: 'listActivity',
      tag: 'Conversations',
      summary: 'The activity entries of a conversation (assignments, transfers, holds, status changes), oldest first',
      description: 'Interleave them with the messages by `createdAt`. New entries arrive on the socket as `activity.created`. Page with `before`.',
      access: 'agent',
      params: idParam,
      query: listActivitySchema,
      responses: { 200: z.object({ activities: z.array(activitySchema) }).meta({ id: 'ActivityList' }), 404: errorSchema },
    },
    async (ctx, { params, query, req }) => {
      const { viewer } = sessionOf(req);
      const c = await ctx.conversations.get(viewer, params.id);
      return { status: 200, body: { activities: (await ctx.activity.list(viewer, c, query)).map(activityView) } };
    },
  ),
  defineRoute(
    {
      method: 'get',
      path: '/channels/:id/lifecycle',
      operationId: 'getInboxLifecycle',
      tag: 'Channels',
      summary: "An inbox's reopen window and idle resolving",
      access: 'agent',
      params: idParam,
      responses: { 200: z.object({ lifecycle: lifecycleSchema }), 404: errorSchema },
    },
    async (ctx, { params, req }) => {
      requireInbox(req, params.id);
      return { status: 200, body: { lifecycle: await ctx.lifecycleSettings.get(params.id) } };
    },
  ),
  defineRoute(
    {
      method: 'patch',
      path: '/channels/:id/lifecycle',
      operationId: 'updateInboxLifecycle',
      tag: 'Channels',
      summary: "Change an inbox's reopen window and idle resolving (admins)",
      description: 'The keys given replace the stored ones; the others stay as they are. The next lifecycle sweep applies them.',
      access: 'admin',
      params: idParam,
      body: updateLifecycleSchema,
      responses: { 200: z.object({ lifecycle: lifecycleSchema }), 404: errorSchema },
    },
    async (ctx, { params, body }) => ({ status: 200, body: { lifecycle: await ctx.lifecycleSettings.update(params.id, body) } }),
  ),
];
