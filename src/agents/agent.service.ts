import type { DataSource } from 'typeorm';
import { z } from 'zod';
import { Agent } from '../database/entities';
import { conflict, notFound } from '../errors/domain-errors';
import { revokeTokens } from '../auth/auth.service';
import { joinInboxes } from '../channels/inbox-members.service';
import type { NewDomainEvent } from '../events/domain-events';
import { recordEvents } from '../events/outbox';
import { hashPassword } from '../security/password';
import { isAvailable } from './availability';

export const createAgentSchema = z.object({
  email: z
    .email()
    .max(320)
    .transform((e) => e.toLowerCase()),
  name: z.string().trim().min(1).max(200),
  password: z.string().min(10, 'must be at least 10 characters').max(200),
  role: z.enum(['admin', 'agent']).default('agent'),
  capacity: z.number().int().min(0).max(1000).default(10),
  /** The inboxes (channel ids) the agent belongs to; omitted: every inbox. */
  inboxIds: z.array(z.uuid()).max(1000).optional(),
});

export const updateAgentSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    role: z.enum(['admin', 'agent']),
    availability: z.enum(['online', 'busy', 'offline']),
    capacity: z.number().int().min(0).max(1000),
    password: z.string().min(10).max(200),
    disabled: z.boolean(),
  })
  .partial();

export class AgentService {
  constructor(private readonly ds: DataSource) {}

  async create(input: z.infer<typeof createAgentSchema>): Promise<Agent> {
    const repo = this.ds.getRepository(Agent);
    if (await repo.existsBy({ email: input.email })) throw conflict('an agent with this email already exists');
    const passwordHash = await hashPassword(input.password);
    return this.ds.transaction(async (m) => {
      const agent = await m
        .getRepository(Agent)
        .save(repo.create({ email: input.email, name: input.name, role: input.role, capacity: input.capacity, passwordHash }));
      await joinInboxes(m, agent.id, input.inboxIds);
      return agent;
    });
  }

  list(): Promise<Agent[]> {
    return this.ds.getRepository(Agent).find({ order: { createdAt: 'ASC' } });
  }

  async get(id: string): Promise<Agent> {
    const agent = await this.ds.getRepository(Agent).findOneBy({ id });
    if (!agent) throw notFound('agent not found');
    return agent;
  }

  /**
   * An admin changes an agent. Disabling ends every session of the agent, as does setting their password (a
   * reset: whoever held a session no longer proves they know it); a new role changes what their open sockets
   * receive. Each of these is recorded as a domain event with the change, so the realtime side reacts in
   * whichever process holds the sockets.
   */
  async update(id: string, input: z.infer<typeof updateAgentSchema>): Promise<Agent> {
    const passwordHash = input.password !== undefined ? await hashPassword(input.password) : undefined;
    return this.ds.transaction(async (m) => {
      const agent = await m.getRepository(Agent).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!agent) throw notFound('agent not found');
      const before = { available: isAvailable(agent), capacity: agent.capacity, availability: agent.availability };
      const events: NewDomainEvent[] = [];
      if (input.name !== undefined) agent.name = input.name;
      if (input.role !== undefined && input.role !== agent.role) {
        agent.role = input.role;
        events.push({ type: 'agent.access_changed', conversationId: null, data: { agentId: id, reason: 'role_changed' } });
      }
      if (input.availability !== undefined) agent.availability = input.availability;
      if (input.capacity !== undefined) agent.capacity = input.capacity;
      if (passwordHash !== undefined) agent.passwordHash = passwordHash;
      if (input.disabled !== undefined && input.disabled !== (agent.disabledAt !== null)) {
        agent.disabledAt = input.disabled ? new Date() : null;
        if (input.disabled) events.push({ type: 'agent.access_changed', conversationId: null, data: { agentId: id, reason: 'disabled' } });
      }
      const saved = await m.getRepository(Agent).save(agent);
      // Routing serves the waiting queue when an agent becomes available or gets more room; the agent's own
      // browsers show any new availability (busy to offline too), so a change of it is always an event.
      if (isAvailable(saved) !== before.available || (isAvailable(saved) && saved.capacity > before.capacity) || saved.availability !== before.availability) {
        events.push({ type: 'agent.availability_changed', conversationId: null, data: { agentId: id, available: isAvailable(saved), reason: 'availability' } });
      }
      await recordEvents(m, events);
      if (agent.disabledAt) await m.query(`DELETE FROM api_tokens WHERE agent_id = $1`, [id]);
      else if (passwordHash !== undefined) await revokeTokens(m, id, 'password_reset');
      return saved;
    });
  }

  /** An agent's own changes (PATCH /me): name and availability; the password goes through AuthService. */
  updateOwn(id: string, input: Pick<z.infer<typeof updateAgentSchema>, 'name' | 'availability'>): Promise<Agent> {
    return this.update(id, { name: input.name, availability: input.availability });
  }

  /** On first start: the admin from ADMIN_EMAIL / ADMIN_PASSWORD, when no agent exists yet. */
  async ensureFirstAdmin(admin: { email: string; password: string } | undefined): Promise<Agent | null> {
    if (!admin) return null;
    return this.ds.transaction(async (m) => {
      await m.query('SELECT pg_advisory_xact_lock(7342002)');
      const [{ n }] = await m.query('SELECT count(*)::int AS n FROM agents');
      if (n > 0) return null;
      const repo = m.getRepository(Agent);
      return repo.save(
        repo.create({ email: admin.email.toLowerCase(), name: 'Administrator', role: 'admin', passwordHash: await hashPassword(admin.password) }),
      );
    });
  }
}
