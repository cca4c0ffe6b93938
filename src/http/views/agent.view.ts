import { z } from 'zod';
import type { Agent } from '../../database/entities';
import { dateTime } from './wire';

export const agentSchema = z
  .object({
    id: z.uuid(),
    email: z.string(),
    name: z.string(),
    role: z.enum(['admin', 'agent']),
    availability: z.enum(['online', 'busy', 'offline']),
    capacity: z.number().int().meta({ description: 'How many open conversations automatic assignment may give this agent.' }),
    disabled: z.boolean(),
    inboxIds: z.array(z.uuid()).meta({
      description: 'The inboxes (channel ids) the agent belongs to: an agent sees and is routed only their conversations (admins see every inbox).',
    }),
    createdAt: dateTime,
  })
  .meta({ id: 'Agent' });

export type AgentJson = z.output<typeof agentSchema>;

/** `inboxIds`: the agent's inboxes (InboxMembersService.inboxesByAgent). */
export function agentView(a: Agent, inboxIds: string[]): AgentJson {
  return {
    id: a.id,
    email: a.email,
    name: a.name,
    role: a.role,
    availability: a.availability,
    capacity: a.capacity,
    disabled: a.disabledAt !== null,
    inboxIds,
    createdAt: a.createdAt,
  };
}

export const teamSchema = z.object({ id: z.uuid(), name: z.string(), agentIds: z.array(z.uuid()) }).meta({ id: 'Team' });

/** `{ agent }`: what creating or changing an agent answers. */
export const agentResultSchema = z.object({ agent: agentSchema }).meta({ id: 'AgentResult' });
