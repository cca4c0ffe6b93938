import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../app/context';
import { assignSchema, changeStatusSchema, listConversationsSchema } from '../../inbox/conversation.service';
import { createReplySchema, listMessagesSchema } from '../../inbox/message.service';
import { conversationView, messageView } from '../../inbox/serializers';
import { sessionOf } from '../middleware/auth';
import { parse } from '../validate';

const idParam = z.object({ id: z.uuid() });

export function conversationRoutes(ctx: AppContext): Router {
  const r = Router();

  r.get('/conversations', async (req, res) => {
    const list = await ctx.conversations.list(sessionOf(req).viewer, parse(listConversationsSchema, req.query));
    res.json({ conversations: list.map(conversationView) });
  });
  r.get('/conversations/:id', async (req, res) => {
    res.json({ conversation: conversationView(await ctx.conversations.get(sessionOf(req).viewer, parse(idParam, req.params).id)) });
  });
  r.patch('/conversations/:id/status', async (req, res) => {
    const c = await ctx.conversations.changeStatus(sessionOf(req).viewer, parse(idParam, req.params).id, parse(changeStatusSchema, req.body));
    ctx.events.conversationUpdated(c);
    res.json({ conversation: conversationView(c) });
  });
  r.post('/conversations/:id/assign', async (req, res) => {
    const { conversation, previousAssigneeId } = await ctx.conversations.assign(
      sessionOf(req).viewer,
      parse(idParam, req.params).id,
      parse(assignSchema, req.body),
    );
    ctx.events.conversationUpdated(conversation, previousAssigneeId);
    res.json({ conversation: conversationView(conversation) });
  });

  r.get('/conversations/:id/messages', async (req, res) => {
    const c = await ctx.conversations.get(sessionOf(req).viewer, parse(idParam, req.params).id);
    res.json({ messages: (await ctx.messages.list(c, parse(listMessagesSchema, req.query))).map(messageView) });
  });
  /** A reply (202: queued for sending) or a private note (201: stored, never sent). */
  r.post('/conversations/:id/messages', async (req, res) => {
    const session = sessionOf(req);
    const c = await ctx.conversations.get(session.viewer, parse(idParam, req.params).id);
    const message = await ctx.messages.create(session.agent.id, c, parse(createReplySchema, req.body));
    ctx.events.messageCreated(message, c);
    res.status(message.isPrivate ? 201 : 202).json({ message: messageView(message) });
  });
  return r;
}
