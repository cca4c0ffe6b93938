import { z } from 'zod';
import { sessionOf } from '../middleware/auth';
import { defineRoute } from '../openapi/define-route';
import { error } from '../openapi/responses';
import { errorSchema } from '../views/wire';

const idParam = z.object({ id: z.uuid() });
const membersSchema = z
  .object({ channelId: z.uuid(), agentIds: z.array(z.uuid()).meta({ description: 'The members: they see and are routed the inbox’s conversations.' }) })
  .meta({ id: 'InboxMembers' });

/**
 * Inbox membership, seen from either side: an inbox's members (GET/PUT /channels/:id/members) or an agent's
 * inboxes (PUT /agents/:id/inboxes). Admins only: membership decides who sees what.
 */
export const inboxMemberRoutes = [
  defineRoute(
    {
      method: 'get',
      path: '/channels/:id/members',
      operationId: 'getInboxMembers',
      tag: 'Inboxes',
      summary: 'The agents who belong to an inbox (a channel account)',
      access: 'admin',
      params: idParam,
      responses: { 200: z.object({ members: membersSchema }), 404: errorSchema },
    },
    async (ctx, { params: { id } }) => ({ status: 200, body: { members: { channelId: id, agentIds: await ctx.inboxMembers.members(id) } } }),
  ),
  defineRoute(
    {
      method: 'put',
      path: '/channels/:id/members',
      operationId: 'setInboxMembers',
      tag: 'Inboxes',
      summary: 'Set the agents who belong to an inbox',
      description:
        'Replaces the members. Agents who join or leave see (or stop seeing) its conversations at once, their open sockets included; ' +
        'the open conversations of an agent who leaves go back to the inbox’s queue, and the queue is served again. ' +
        'A new inbox starts with every agent, and a new agent joins every inbox unless created with `inboxIds`.',
      access: 'admin',
      params: idParam,
      body: z.object({ agentIds: z.array(z.uuid()).max(1000) }),
      responses: { 200: z.object({ members: membersSchema }), 404: error('No such channel, or no such agent') },
    },
    async (ctx, { params: { id }, body: { agentIds }, req }) => {
      const members = await ctx.inboxMembers.setMembers(id, agentIds, sessionOf(req).agent.id);
      return { status: 200, body: { members: { channelId: id, agentIds: members } } };
    },
  ),
  defineRoute(
    {
      method: 'put',
      path: '/agents/:id/inboxes',
      operationId: 'setAgentInboxes',
      tag: 'Inboxes',
      summary: 'Set the inboxes an agent belongs to',
      description: 'Replaces the agent’s inboxes, with the same effects as PUT /channels/{id}/members on each inbox that changes.',
      access: 'admin',
      params: idParam,
      body: z.object({ inboxIds: z.array(z.uuid()).max(1000) }),
      responses: { 200: z.object({ agentId: z.uuid(), inboxIds: z.array(z.uuid()) }), 404: error('No such agent, or no such channel') },
    },
    async (ctx, { params: { id }, body: { inboxIds }, req }) => {
      return { status: 200, body: { agentId: id, inboxIds: await ctx.inboxMembers.setInboxes(id, inboxIds, sessionOf(req).agent.id) } };
    },
  ),
];
