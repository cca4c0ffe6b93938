import { z } from 'zod';
import { assignSchema, changeStatusSchema, listConversationsSchema } from '../../conversations/conversation.service';
import { createReplySchema, listMessagesSchema } from '../../messages/message.service';
import { sessionOf } from '../middleware/auth';
import { defineRoute } from '../openapi/define-route';
import { error, json } from '../openapi/responses';
import { conversationSchema, conversationView, messageSchema, messageView } from '../views';
import { errorSchema } from '../views/wire';
import { conversationListItemSchema, conversationListItemView } from '../views/conversation-list-item.view';
import { loadConversationSummaries } from '../../conversations/conversation-summaries';
import { encodeListCursor } from '../../conversations/list-cursor';
import { encodeThreadCursor } from '../../messages/thread-cursor';

const idParam = z.object({ id: z.uuid() });
export const conversationResult = z.object({ conversation: conversationSchema }).meta({ id: 'ConversationResult' });
const messageResult = z.object({ message: messageSchema }).meta({ id: 'MessageResult' });

export const conversationRoutes = [
  defineRoute(
    {
      method: 'get',
      path: '/conversations',
      operationId: 'listConversations',
      tag: 'Conversations',
      summary: 'List conversations the caller may see, newest activity first',
      description:
        '`assignee`: an agent id, `me` or `none`. Each item carries what an inbox row shows (contact, channel, last message). ' +
        'Page with `cursor`: the `nextCursor` of the previous page (null on the last page); a cursor this API did not return is a 400.',
      access: 'agent',
      query: listConversationsSchema,
      responses: { 200: z.object({ conversations: z.array(conversationListItemSchema), nextCursor: z.string().nullable() }).meta({ id: 'ConversationList' }) },
    },
    async (ctx, { query, req }) => {
      const page = await ctx.conversations.list(sessionOf(req).viewer, query);
      const summaries = await loadConversationSummaries(
        ctx.ds,
        page.map((c) => c.id),
      );
      const last = page.at(-1);
      return {
        status: 200,
        body: {
          conversations: page.map((c) => conversationListItemView(c, summaries.get(c.id))),
          nextCursor: last && page.length === query.limit ? encodeListCursor(last) : null,
        },
      };
    },
  ),
  defineRoute(
    {
      method: 'get',
      path: '/conversations/:id',
      operationId: 'getConversation',
      tag: 'Conversations',
      summary: 'One conversation',
      access: 'agent',
      params: idParam,
      responses: { 200: conversationResult, 404: errorSchema },
    },
    async (ctx, { params, req }) => ({ status: 200, body: { conversation: conversationView(await ctx.conversations.get(sessionOf(req).viewer, params.id)) } }),
  ),
  defineRoute(
    {
      method: 'patch',
      path: '/conversations/:id/status',
      operationId: 'changeConversationStatus',
      tag: 'Conversations',
      summary: 'Change status: open, pending, snoozed (with snoozedUntil), resolved',
      access: 'agent',
      params: idParam,
      body: changeStatusSchema,
      responses: { 200: conversationResult, 404: errorSchema, 409: errorSchema },
    },
    async (ctx, { params, body, req }) => {
      const c = await ctx.conversations.changeStatus(sessionOf(req).viewer, params.id, body);
      return { status: 200, body: { conversation: conversationView(c) } };
    },
  ),
  defineRoute(
    {
      method: 'post',
      path: '/conversations/:id/assign',
      operationId: 'assignConversation',
      tag: 'Conversations',
      summary: 'Assign to an agent (null: unassign) and/or a team',
      access: 'agent',
      params: idParam,
      body: assignSchema,
      responses: {
        200: conversationResult,
        404: errorSchema,
        422: error('No such agent or team, the agent is disabled, or not a member of the conversation’s inbox'),
      },
    },
    async (ctx, { params, body, req }) => {
      const conversation = await ctx.conversations.assign(sessionOf(req).viewer, params.id, body);
      return { status: 200, body: { conversation: conversationView(conversation) } };
    },
  ),

  defineRoute(
    {
      method: 'get',
      path: '/conversations/:id/messages',
      operationId: 'listMessages',
      tag: 'Messages',
      summary: "The latest messages of a conversation, in the customer's order, oldest first",
      description:
        'The thread is ordered by `occurredAt` (the platform’s time of a customer’s message, not when Parley stored it), then by ' +
        'the platform’s counter or the arrival, then the id: `orderKey` sorts the same way. A webhook the platform delivered late ' +
        'is listed where the customer wrote it. Page towards older messages with `cursor`: the `nextCursor` of the previous page ' +
        '(null when there is nothing older; a cursor this API did not return is a 400). `before` (a time) still works but cannot ' +
        'split messages of the same time.',
      access: 'agent',
      params: idParam,
      query: listMessagesSchema,
      responses: {
        200: z.object({ messages: z.array(messageSchema), nextCursor: z.string().nullable() }).meta({ id: 'MessageList' }),
        404: errorSchema,
      },
    },
    async (ctx, { params, query, req }) => {
      const c = await ctx.conversations.get(sessionOf(req).viewer, params.id);
      const page = await ctx.messages.list(c, query);
      const first = page[0];
      return {
        status: 200,
        body: { messages: page.map(messageView), nextCursor: first && page.length === query.limit ? encodeThreadCursor(first) : null },
      };
    },
  ),
  /** A reply (202: queued for sending) or a private note (201: stored, never sent). */
  defineRoute(
    {
      method: 'post',
      path: '/conversations/:id/messages',
      operationId: 'createMessage',
      tag: 'Messages',
      summary: 'Reply (202: queued and sent through the channel) or add a private note (201: never sent)',
      description: 'A reply needs text or an attachment. Attach a file by uploading it first (POST /uploads) and passing its id in `uploadIds`.',
      access: 'agent',
      params: idParam,
      body: createReplySchema,
      responses: {
        201: json(messageResult, 'The private note, stored'),
        202: json(messageResult, 'The reply, stored as `pending` and queued for sending: follow its status on the socket (message.updated)'),
        404: errorSchema,
        409: error('The customer blocked the channel'),
        413: error('The attachment is larger than the channel accepts'),
        422: error('Refused by a rule: text longer than the channel accepts, outside its reply window, an upload that is not yours...'),
      },
    },
    async (ctx, { params, body, req }) => {
      const session = sessionOf(req);
      const c = await ctx.conversations.get(session.viewer, params.id);
      const message = await ctx.messages.create(session.agent.id, c, body);
      return { status: message.isPrivate ? 201 : 202, body: { message: messageView(message) } };
    },
  ),
];
