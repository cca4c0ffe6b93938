import type { DataSource } from 'typeorm';
import { Agent, ApiToken } from '../database/entities';
import { queryReturning } from '../database/sql';
import { HttpError } from '../http/errors';
import type { Viewer } from '../realtime/audience';
import { DUMMY_PASSWORD_HASH, verifyPassword } from '../security/password';
import { hashToken, newToken } from '../security/tokens';
import type { LoginThrottle } from './login-throttle';

export interface Session {
  agent: Agent;
  viewer: Viewer;
}

/** Email + password log-in returning an opaque bearer token; the same token authenticates REST and socket. */
export class AuthService {
  constructor(
    private readonly ds: DataSource,
    private readonly ttlHours: number,
    private readonly throttle: LoginThrottle,
  ) {}

  async login(email: string, password: string, ip: string): Promise<{ token: string; expiresAt: Date; agent: Agent }> {
    await this.throttle.check(email, ip);
    const agent = await this.ds.getRepository(Agent).findOneBy({ email: email.trim().toLowerCase() });
    // Verify against a dummy hash when there is no such agent, so the answer takes as long either way.
    const ok = await verifyPassword(password, agent?.passwordHash ?? DUMMY_PASSWORD_HASH);
    if (!agent || !ok) {
      await this.throttle.failed(email, ip);
      throw new HttpError(401, 'wrong email or password');
    }
    await this.throttle.succeeded(email);
    if (agent.disabledAt) throw new HttpError(403, 'this account is disabled');
    const token = newToken();
    const expiresAt = new Date(Date.now() + this.ttlHours * 3600_000);
    await this.ds.getRepository(ApiToken).insert({ agentId: agent.id, tokenHash: hashToken(token), expiresAt });
    return { token, expiresAt, agent };
  }

  /** The session for a bearer token, or null when it is unknown, expired, or its agent is disabled. */
  async authenticate(token: string): Promise<Session | null> {
    if (!token || token.length > 200) return null;
    const [row] = await queryReturning(
      this.ds,
      `UPDATE api_tokens SET last_used_at = now() WHERE token_hash = $1 AND expires_at > now() RETURNING agent_id`,
      [hashToken(token)],
    );
    if (!row) return null;
    const agent = await this.ds.getRepository(Agent).findOneBy({ id: row.agent_id });
    if (!agent || agent.disabledAt) return null;
    return { agent, viewer: await this.viewer(agent) };
  }

  async logout(token: string): Promise<void> {
    await this.ds.getRepository(ApiToken).delete({ tokenHash: hashToken(token) });
  }

  async viewer(agent: Agent): Promise<Viewer> {
    const teams: Array<{ team_id: string }> = await this.ds.query(`SELECT team_id FROM team_members WHERE agent_id = $1`, [agent.id]);
    return { id: agent.id, role: agent.role, teamIds: teams.map((t) => t.team_id) };
  }
}
