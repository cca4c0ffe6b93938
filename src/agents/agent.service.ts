import type { DataSource } from 'typeorm';
import { z } from 'zod';
import { Agent } from '../database/entities';
import { HttpError } from '../http/errors';
import { hashPassword } from '../security/password';

export const createAgentSchema = z.object({
  email: z.email().transform((e) => e.toLowerCase()),
  name: z.string().trim().min(1).max(200),
  password: z.string().min(10, 'must be at least 10 characters').max(200),
  role: z.enum(['admin', 'agent']).default('agent'),
  capacity: z.number().int().min(0).max(1000).default(10),
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
    if (await repo.existsBy({ email: input.email })) throw new HttpError(409, 'an agent with this email already exists');
    return repo.save(
      repo.create({ email: input.email, name: input.name, role: input.role, capacity: input.capacity, passwordHash: await hashPassword(input.password) }),
    );
  }

  list(): Promise<Agent[]> {
    return this.ds.getRepository(Agent).find({ order: { createdAt: 'ASC' } });
  }

  async get(id: string): Promise<Agent> {
    const agent = await this.ds.getRepository(Agent).findOneBy({ id });
    if (!agent) throw new HttpError(404, 'agent not found');
    return agent;
  }

  async update(id: string, input: z.infer<typeof updateAgentSchema>): Promise<Agent> {
    const agent = await this.get(id);
    if (input.name !== undefined) agent.name = input.name;
    if (input.role !== undefined) agent.role = input.role;
    if (input.availability !== undefined) agent.availability = input.availability;
    if (input.capacity !== undefined) agent.capacity = input.capacity;
    if (input.password !== undefined) agent.passwordHash = await hashPassword(input.password);
    if (input.disabled !== undefined) agent.disabledAt = input.disabled ? new Date() : null;
    const saved = await this.ds.getRepository(Agent).save(agent);
    if (input.disabled || input.password !== undefined) {
      // A disabled agent or a changed password ends every session of that agent.
      await this.ds.query(`DELETE FROM api_tokens WHERE agent_id = $1`, [id]);
    }
    return saved;
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
