import { z } from 'zod';
import { createAgentSchema, updateAgentSchema } from '../../agents/agent.service';
import { Team, TeamMember } from '../../database/entities';
import { HttpError } from '../errors';
import { sessionOf } from '../middleware/auth';
import { defineRoute } from '../openapi/define-route';
import { error } from '../openapi/responses';
import { agentResultSchema, agentSchema, teamSchema } from '../views';
import { agentViews, oneAgentView } from '../views/agent-inboxes';
import { errorSchema } from '../views/wire';

const idParam = z.object({ id: z.uuid() });

/** Agents and teams. Everyone may list them (to assign a colleague); only admins change them. */
export const agentRoutes = [
  defineRoute(
    {
      method: 'get',
      path: '/agents',
      operationId: 'listAgents',
      tag: 'Agents',
      summary: 'List agents',
      access: 'agent',
      responses: { 200: z.object({ agents: z.array(agentSchema) }) },
    },
    async (ctx) => ({ status: 200, body: { agents: await agentViews(ctx, await ctx.agents.list()) } }),
  ),
  defineRoute(
    {
      method: 'post',
      path: '/agents',
      operationId: 'createAgent',
      tag: 'Agents',
      summary: 'Create an agent',
      description:
        '`inboxIds`: the inboxes (channel ids) the agent belongs to; omitted, every inbox (as a new inbox starts with every agent). Change them later at PUT /agents/{id}/inboxes.',
      access: 'admin',
      body: createAgentSchema,
      responses: { 201: agentResultSchema, 404: error('No such channel in `inboxIds`'), 409: error('An agent with this email exists') },
    },
    async (ctx, { body }) => ({ status: 201, body: { agent: await oneAgentView(ctx, await ctx.agents.create(body)) } }),
  ),
  defineRoute(
    {
      method: 'patch',
      path: '/agents/:id',
      operationId: 'updateAgent',
      tag: 'Agents',
      summary: 'Change an agent: name, role, availability, capacity, password, disabled',
      description:
        'Disabling an agent, or setting their password, ends all of their sessions (their sockets are disconnected); a new role changes what their open sockets receive. Admins change their own password at PATCH /me, with the current one.',
      access: 'admin',
      params: idParam,
      body: updateAgentSchema.strict(),
      responses: { 200: agentResultSchema, 403: error('Your own password: change it at PATCH /me'), 404: errorSchema },
    },
    async (ctx, { params, body, req }) => {
      // Else a stolen admin token could set its own account's password without knowing the current one.
      if (body.password !== undefined && params.id === sessionOf(req).agent.id)
        throw new HttpError(403, 'change your own password at PATCH /me, with the current one');
      return { status: 200, body: { agent: await oneAgentView(ctx, await ctx.agents.update(params.id, body)) } };
    },
  ),

  defineRoute(
    {
      method: 'get',
      path: '/teams',
      operationId: 'listTeams',
      tag: 'Teams',
      summary: 'List teams with their members',
      access: 'agent',
      responses: { 200: z.object({ teams: z.array(teamSchema) }) },
    },
    async (ctx) => {
      const teams = await ctx.ds.getRepository(Team).find({ order: { name: 'ASC' } });
      const members = await ctx.ds.getRepository(TeamMember).find();
      return {
        status: 200,
        body: { teams: teams.map((t) => ({ id: t.id, name: t.name, agentIds: members.filter((m) => m.teamId === t.id).map((m) => m.agentId) })) },
      };
    },
  ),
  defineRoute(
    {
      method: 'post',
      path: '/teams',
      operationId: 'createTeam',
      tag: 'Teams',
      summary: 'Create a team',
      access: 'admin',
      body: z.object({ name: z.string().trim().min(1).max(200) }),
      responses: { 201: z.object({ team: teamSchema }), 409: error('A team with this name exists') },
    },
    async (ctx, { body: { name } }) => {
      const repo = ctx.ds.getRepository(Team);
      if (await repo.existsBy({ name })) throw new HttpError(409, 'a team with this name exists');
      const team = await repo.save(repo.create({ name }));
      return { status: 201, body: { team: { id: team.id, name: team.name, agentIds: [] } } };
    },
  ),
  defineRoute(
    {
      method: 'put',
      path: '/teams/:id/members',
      operationId: 'setTeamMembers',
      tag: 'Teams',
      summary: 'Set the members of a team',
      access: 'admin',
      params: idParam,
      body: z.object({ agentIds: z.array(z.uuid()).max(1000) }),
      responses: {
        // The team's name is not part of this answer (as it always was): only its id and members.
        200: z.object({ team: teamSchema.pick({ id: true, agentIds: true }) }),
        404: error('No such team, or no such agent'),
      },
    },
    async (ctx, { params: { id }, body: { agentIds } }) => {
      return { status: 200, body: { team: { id, agentIds: await ctx.teams.setMembers(id, agentIds) } } };
    },
  ),
];
