import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../app/context';
import { createAgentSchema, updateAgentSchema } from '../../agents/agent.service';
import { Team, TeamMember } from '../../database/entities';
import { agentView } from '../../inbox/serializers';
import { HttpError } from '../errors';
import { requireAdmin } from '../middleware/auth';
import { parse } from '../validate';

const idParam = z.object({ id: z.uuid() });

/** Agents and teams. Everyone may list them (to assign a colleague); only admins change them. */
export function agentRoutes(ctx: AppContext): Router {
  const r = Router();
  r.get('/agents', async (_req, res) => {
    res.json({ agents: (await ctx.agents.list()).map(agentView) });
  });
  r.post('/agents', requireAdmin, async (req, res) => {
    const agent = await ctx.agents.create(parse(createAgentSchema, req.body));
    res.status(201).json({ agent: agentView(agent) });
  });
  r.patch('/agents/:id', requireAdmin, async (req, res) => {
    const { id } = parse(idParam, req.params);
    res.json({ agent: agentView(await ctx.agents.update(id, parse(updateAgentSchema.strict(), req.body))) });
  });

  r.get('/teams', async (_req, res) => {
    const teams = await ctx.ds.getRepository(Team).find({ order: { name: 'ASC' } });
    const members = await ctx.ds.getRepository(TeamMember).find();
    res.json({ teams: teams.map((t) => ({ id: t.id, name: t.name, agentIds: members.filter((m) => m.teamId === t.id).map((m) => m.agentId) })) });
  });
  r.post('/teams', requireAdmin, async (req, res) => {
    const { name } = parse(z.object({ name: z.string().trim().min(1).max(200) }), req.body);
    const repo = ctx.ds.getRepository(Team);
    if (await repo.existsBy({ name })) throw new HttpError(409, 'a team with this name exists');
    const team = await repo.save(repo.create({ name }));
    res.status(201).json({ team: { id: team.id, name: team.name, agentIds: [] } });
  });
  r.put('/teams/:id/members', requireAdmin, async (req, res) => {
    const { id } = parse(idParam, req.params);
    const { agentIds } = parse(z.object({ agentIds: z.array(z.uuid()).max(1000) }), req.body);
    if (!(await ctx.ds.getRepository(Team).existsBy({ id }))) throw new HttpError(404, 'team not found');
    await ctx.ds.transaction(async (m) => {
      await m.delete(TeamMember, { teamId: id });
      for (const agentId of new Set(agentIds)) {
        await ctx.agents.get(agentId);
        await m.insert(TeamMember, { teamId: id, agentId });
      }
    });
    res.json({ team: { id, agentIds: [...new Set(agentIds)] } });
  });
  return r;
}
