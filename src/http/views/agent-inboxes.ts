import type { Agent } from '../../database/entities';
import type { HttpContext } from '../context';
import { agentView, type AgentJson } from './agent.view';

/** Agents as the API shows them, with their inboxes (one query for the lot). */
export async function agentViews(ctx: HttpContext, agents: Agent[]): Promise<AgentJson[]> {
  const inboxes = await ctx.inboxMembers.inboxesByAgent(agents.map((a) => a.id));
  return agents.map((a) => agentView(a, inboxes.get(a.id) ?? []));
}

export async function oneAgentView(ctx: HttpContext, agent: Agent): Promise<AgentJson> {
  return (await agentViews(ctx, [agent]))[0];
}
