import { z } from 'zod';
import { Message } from '../../database/entities';
import { HttpError } from '../errors';
import { sessionOf } from '../middleware/auth';
import { defineRoute } from '../openapi/define-route';
import { error, json } from '../openapi/responses';
import { messageSchema, messageView } from '../views';

const idParam = z.object({ id: z.uuid() });

/** Routes on one message by its id (its conversation's access applies). */
export const messageRoutes = [
  defineRoute(
    {
      method: 'post',
      path: '/messages/:id/retry',
      operationId: 'retryMessage',
      tag: 'Messages',
      summary: 'Send a failed reply again',
      description:
        'The reply goes back to `pending` (its failure reason cleared) and is queued for sending like a new one; follow its status on the ' +
        'socket (message.updated). Only an outgoing reply whose status is `failed` can be retried.',
      access: 'agent',
      params: idParam,
      responses: {
        202: json(z.object({ message: messageSchema }).meta({ id: 'RetriedMessage' }), 'The reply, `pending` again and queued for sending'),
        404: error('No such message, or not yours to see'),
        409: error('Not a failed reply (pending, sent, a note, a customer message), or the customer blocked the channel'),
        413: error('The attachment is larger than the channel accepts'),
        422: error('Refused by a rule: outside the reply window, text longer than the channel accepts...'),
      },
    },
    async (ctx, { params, req }) => {
      const session = sessionOf(req);
      const message = await ctx.ds.getRepository(Message).findOneBy({ id: params.id });
      if (!message) throw new HttpError(404, 'message not found');
      const conversation = await ctx.conversations.get(session.viewer, message.conversationId);
      const retried = await ctx.messages.retry(session.agent.id, conversation, message.id);
      return { status: 202, body: { message: messageView(retried) } };
    },
  ),
];
