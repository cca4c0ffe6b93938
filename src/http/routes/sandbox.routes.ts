import { z } from 'zod';
import { SANDBOX_SIGNATURE_HEADER } from '../../../connectors/sandbox';
import { tooLarge } from '../../errors/domain-errors';
import { SandboxPlatform } from '../../sandbox/sandbox-platform';
import type { HttpContext } from '../context';
import { requireInbox } from '../middleware/auth';
import { defineRoute } from '../openapi/define-route';
import { error, json } from '../openapi/responses';
import { BodyTooLargeError, readRawBody } from '../raw-body';
import { errorSchema } from '../views/wire';

/** What the sandbox platform takes in one reply: the media the sandbox connector may send, base64, and room. */
const SANDBOX_MAX_BODY_BYTES = 8 * 1024 * 1024;

const platformOf = (ctx: HttpContext) =>
  new SandboxPlatform({ ds: ctx.ds, channels: ctx.channels, queues: ctx.queues, logger: ctx.logger, redis: ctx.redis, redisPrefix: ctx.config.redisPrefix });

const customerId = z
  .string()
  .regex(/^[\w-]{1,64}$/)
  .meta({ description: 'Any id the simulator picks for its customer' });
const channelParam = z.object({ channelId: z.uuid() });

const sandboxEntrySchema = z
  .object({
    id: z.string(),
    from: z.enum(['customer', 'agent']),
    text: z.string().nullable(),
    fileName: z.string().optional(),
    at: z.string().meta({ description: 'ISO 8601' }),
    status: z.enum(['delivered', 'read']).optional().meta({ description: 'Agent replies: `read` once the simulator has shown them.' }),
  })
  .meta({ id: 'SandboxEntry' });

/**
 * The sandbox channel's platform, hosted by Parley (src/sandbox/sandbox-platform.ts): the API its connector
 * sends replies to, and the customer simulator's two calls. Any agent may play a customer.
 */
export const sandboxRoutes = [
  defineRoute(
    {
      method: 'post',
      path: '/sandbox/:webhookId/messages',
      operationId: 'sandboxPlatformReceiveReply',
      tag: 'Webhooks',
      summary: "The sandbox platform's API: where the sandbox connector delivers an agent's reply",
      description: `Signed like the sandbox webhooks: \`${SANDBOX_SIGNATURE_HEADER}: sha256=<hex HMAC-SHA256 of the body with the channel's secret>\`.`,
      access: 'public',
      root: true,
      params: z.object({ webhookId: z.string() }),
      neverInvalid: true,
      rawBody: { contentType: 'application/json', description: '`{clientMessageId, to, text, media}`' },
      responses: {
        200: z.object({ id: z.string() }).meta({ id: 'SandboxReplyAccepted' }),
        400: error('Not a sandbox message'),
        401: error('Invalid signature'),
        404: error('No sandbox channel has this webhook id'),
        413: error('Larger than the sandbox platform takes'),
      },
    },
    async (ctx, { params, req }) => {
      const platform = platformOf(ctx);
      // As for webhooks: the id is checked before a byte of the body is read, so an unknown path costs no memory.
      const channel = await platform.channelFor(params.webhookId);
      const raw = await readRawBody(req, SANDBOX_MAX_BODY_BYTES).catch((err: unknown) => {
        throw err instanceof BodyTooLargeError ? tooLarge(`request body is too large: at most ${err.limit} bytes`) : err;
      });
      const signature = req.headers[SANDBOX_SIGNATURE_HEADER];
      return { status: 200, body: await platform.receiveReply(channel, raw, typeof signature === 'string' ? signature : undefined) };
    },
  ),
  defineRoute(
    {
      method: 'post',
      path: '/sandbox/channels/:channelId/messages',
      operationId: 'sandboxCustomerWrites',
      tag: 'Channels',
      summary: 'Customer simulator: write to a sandbox channel as a customer',
      description: "Delivered to the channel's webhook path, signed, like a platform's webhook.",
      access: 'agent',
      params: channelParam,
      body: z.object({ customerId, name: z.string().trim().min(1).max(200), text: z.string().min(1).max(4096) }),
      responses: {
        201: json(z.object({ id: z.string(), webhookStatus: z.number().int() }).meta({ id: 'SandboxCustomerMessage' }), 'Written and delivered'),
        404: errorSchema,
      },
    },
    async (ctx, { params, body, req }) => {
      // The simulator shows the agents' replies: only to members of the inbox, as the inbox itself.
      requireInbox(req, params.channelId);
      return { status: 201, body: await platformOf(ctx).customerWrites(params.channelId, body) };
    },
  ),
  defineRoute(
    {
      method: 'get',
      path: '/sandbox/channels/:channelId/customers/:customerId',
      operationId: 'sandboxTranscript',
      tag: 'Channels',
      summary: "Customer simulator: the customer's side of the chat",
      description: 'Replies shown here for the first time are reported read to Parley, as a platform would.',
      access: 'agent',
      params: channelParam.extend({ customerId }),
      responses: { 200: z.object({ messages: z.array(sandboxEntrySchema) }).meta({ id: 'SandboxTranscript' }), 404: errorSchema },
    },
    async (ctx, { params, req }) => {
      requireInbox(req, params.channelId);
      return { status: 200, body: { messages: await platformOf(ctx).transcript(params.channelId, params.customerId) } };
    },
  ),
];
