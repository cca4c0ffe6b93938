import { z } from 'zod';
import { updateAgentSchema } from '../../agents/agent.service';
import { sessionOf } from '../middleware/auth';
import { defineRoute } from '../openapi/define-route';
import { error, noBody } from '../openapi/responses';
import { agentResultSchema, agentSchema } from '../views';
import { oneAgentView } from '../views/agent-inboxes';
import { dateTime, errorSchema } from '../views/wire';

const loginSchema = z.object({ email: z.string().min(1).max(320), password: z.string().min(1).max(200) });

const updateMeSchema = updateAgentSchema
  .pick({ name: true, availability: true, password: true })
  .extend({ currentPassword: z.string().min(1).max(200).optional() })
  .strict()
  .refine((b) => b.password === undefined || b.currentPassword !== undefined, {
    path: ['currentPassword'],
    message: 'the current password is required to change the password',
  });

export const authRoutes = [
  defineRoute(
    {
      method: 'post',
      path: '/auth/login',
      operationId: 'login',
      tag: 'Auth',
      summary: 'Log in with email and password; returns a bearer token',
      access: 'public',
      body: loginSchema,
      responses: {
        200: z.object({ token: z.string(), expiresAt: dateTime, agent: agentSchema }).meta({ id: 'LoginResult' }),
        401: error('Wrong email or password (the same answer for both)'),
        403: error('The agent is disabled'),
        429: error('Too many failed log-ins for this account from this address (or for this account from anywhere): try again later'),
      },
    },
    async (ctx, { body: { email, password }, req }) => {
      const { token, expiresAt, agent } = await ctx.auth.login(email, password, req.ip ?? 'unknown');
      ctx.logger.info({ agentId: agent.id }, 'agent logged in');
      return { status: 200, body: { token, expiresAt, agent: await oneAgentView(ctx, agent) } };
    },
  ),
  defineRoute(
    {
      method: 'post',
      path: '/auth/logout',
      operationId: 'logout',
      tag: 'Auth',
      summary: 'Revoke the token used for this request',
      access: 'agent',
      responses: { 204: noBody('Logged out: the token no longer works') },
    },
    async (ctx, { req }) => {
      await ctx.auth.logout(req.token!);
      return { status: 204 };
    },
  ),
  defineRoute(
    {
      method: 'get',
      path: '/me',
      operationId: 'getMe',
      tag: 'Auth',
      summary: 'The logged-in agent, with their inboxes, and their teams',
      access: 'agent',
      responses: { 200: z.object({ agent: agentSchema, teamIds: z.array(z.uuid()) }).meta({ id: 'Me' }) },
    },
    async (ctx, { req }) => ({ status: 200, body: { agent: await oneAgentView(ctx, sessionOf(req).agent), teamIds: sessionOf(req).viewer.teamIds } }),
  ),
  /** Agents set their own availability and name; role, capacity and disabling are for admins (/agents/:id). */
  defineRoute(
    {
      method: 'patch',
      path: '/me',
      operationId: 'updateMe',
      tag: 'Auth',
      summary: 'Change own name, availability (online/busy/offline) or password',
      description:
        'Changing the password needs `currentPassword` (throttled like a log-in) and ends every other session of the agent; the token used for the request keeps working.',
      access: 'agent',
      body: updateMeSchema,
      responses: {
        200: agentResultSchema,
        403: error('The current password is wrong'),
        404: errorSchema,
        429: error('Too many wrong passwords: try again later'),
      },
    },
    async (ctx, { body, req }) => {
      const session = sessionOf(req);
      if (body.password !== undefined) await ctx.auth.changeOwnPassword(session, body.currentPassword!, body.password, req.ip ?? 'unknown');
      return { status: 200, body: { agent: await oneAgentView(ctx, await ctx.agents.updateOwn(session.agent.id, body)) } };
    },
  ),
];
