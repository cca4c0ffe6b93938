import { z } from 'zod';
import { DeadLetterService, listDeadLettersSchema } from '../../ingest/dead-letter.service';
import type { HttpContext } from '../context';
import { sessionOf } from '../middleware/auth';
import { defineRoute } from '../openapi/define-route';
import { error, json, noBody } from '../openapi/responses';
import { deadLetterDetailSchema, deadLetterDetailView, deadLetterSchema, deadLetterView } from '../views/dead-letter.view';
import { errorSchema } from '../views/wire';

const idParam = z.object({ id: z.uuid() });
const service = (ctx: HttpContext) => new DeadLetterService(ctx.ds, ctx.channels, ctx.queues);

/**
 * Dead letters (src/ingest/dead-letter.service.ts): what Parley acknowledged to a platform but could not store as
 * it came. Admins only: bodies are customers' data.
 */
export const deadLetterRoutes = [
  defineRoute(
    {
      method: 'get',
      path: '/dead-letters',
      operationId: 'listDeadLetters',
      tag: 'Webhooks',
      summary: 'Dead letters, newest first',
      description: 'Page with `cursor`: the `nextCursor` of the previous page (null on the last one).',
      access: 'admin',
      query: listDeadLettersSchema,
      responses: { 200: z.object({ deadLetters: z.array(deadLetterSchema), nextCursor: z.string().nullable() }) },
    },
    async (ctx, { query }) => {
      const page = await service(ctx).list(query);
      return { status: 200, body: { deadLetters: page.items.map(deadLetterView), nextCursor: page.nextCursor } };
    },
  ),
  defineRoute(
    {
      method: 'get',
      path: '/dead-letters/:id',
      operationId: 'getDeadLetter',
      tag: 'Webhooks',
      summary: 'One dead letter with its whole body',
      access: 'admin',
      params: idParam,
      responses: { 200: z.object({ deadLetter: deadLetterDetailSchema }), 404: errorSchema },
    },
    async (ctx, { params }) => ({ status: 200, body: { deadLetter: deadLetterDetailView(await service(ctx).get(params.id)) } }),
  ),
  defineRoute(
    {
      method: 'post',
      path: '/dead-letters/:id/replay',
      operationId: 'replayDeadLetter',
      tag: 'Webhooks',
      summary: 'Run a dead letter through its channel again, as if just received',
      description:
        "An `unparseable` body goes through the channel's connector again (its signature was verified when it arrived, so it is not checked again); a `failed` job goes back on the queue. What parses is queued and the dead letter marked replayed.",
      access: 'admin',
      params: idParam,
      responses: {
        200: json(z.object({ deadLetter: deadLetterSchema, queued: z.number().int() }), 'Replayed: `queued` events were queued'),
        404: errorSchema,
        409: error('Already replayed, the original of a stored message, or its channel was deleted'),
        422: error('Still does not parse: the error says why'),
      },
    },
    async (ctx, { params, req }) => {
      const agentId = sessionOf(req).agent.id;
      const { deadLetter, queued } = await service(ctx).replay(params.id, agentId);
      ctx.logger.info({ deadLetterId: params.id, agentId, queued }, 'dead letter replayed');
      return { status: 200, body: { deadLetter: deadLetterView(deadLetter), queued } };
    },
  ),
  defineRoute(
    {
      method: 'delete',
      path: '/dead-letters/:id',
      operationId: 'discardDeadLetter',
      tag: 'Webhooks',
      summary: 'Discard a dead letter',
      access: 'admin',
      params: idParam,
      responses: { 204: noBody('Discarded'), 404: errorSchema },
    },
    async (ctx, { params, req }) => {
      await service(ctx).discard(params.id);
      ctx.logger.info({ deadLetterId: params.id, agentId: sessionOf(req).agent.id }, 'dead letter discarded');
      return { status: 204 };
    },
  ),
];
