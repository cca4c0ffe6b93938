import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../app/context';
import { agentView } from '../../inbox/serializers';
import { authenticate, sessionOf } from '../middleware/auth';
import { parse } from '../validate';
import { updateAgentSchema } from '../../agents/agent.service';

const loginSchema = z.object({ email: z.string().min(1).max(320), password: z.string().min(1).max(200) });

export function authRoutes(ctx: AppContext): Router {
  const r = Router();
  r.post('/auth/login', async (req, res) => {
    const { email, password } = parse(loginSchema, req.body);
    const { token, expiresAt, agent } = await ctx.auth.login(email, password, req.ip ?? 'unknown');
    ctx.logger.info({ agentId: agent.id }, 'agent logged in');
    res.json({ token, expiresAt, agent: agentView(agent) });
  });
  r.post('/auth/logout', authenticate(ctx.auth), async (req, res) => {
    await ctx.auth.logout(req.token!);
    res.status(204).end();
  });
  r.get('/me', authenticate(ctx.auth), (req, res) => {
    res.json({ agent: agentView(sessionOf(req).agent), teamIds: sessionOf(req).viewer.teamIds });
  });
  /** Agents set their own availability and name; role, capacity and disabling are for admins (/agents/:id). */
  r.patch('/me', authenticate(ctx.auth), async (req, res) => {
    const input = parse(updateAgentSchema.pick({ name: true, availability: true, password: true }).strict(), req.body);
    const agent = await ctx.agents.update(sessionOf(req).agent.id, input);
    res.json({ agent: agentView(agent) });
  });
  return r;
}
