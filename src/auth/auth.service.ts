import type { DataSource, EntityManager } from 'typeorm';
import { Agent, ApiToken } from '../database/entities';
import { queryReturning } from '../database/sql';
import { forbidden, unauthenticated } from '../errors/domain-errors';
import type { TokenRevokedReason } from '../events/domain-events';
import { recordEvents } from '../events/outbox';
import type { Viewer } from './access-policy';
import { DUMMY_PASSWORD_HASH, hashPassword, needsRehash, verifyPassword } from '../security/password';
import { hashToken, newToken } from '../security/tokens';
import type { LoginThrottle } from './login-throttle';

export interface Session {
  agent: Agent;
  viewer: Viewer;
  /** The api_tokens row of the bearer token: its sockets share the room `token:<id>`. */
  tokenId: string;
  /** When the token stops working: its sockets are ended then (src/realtime/socket-server.ts). */
  expiresAt: Date;
}

/** Email + password log-in returning an opaque bearer token; the same token authenticates REST and socket. */
export class AuthService {
  constructor(
    private readonly ds: DataSource,
    private readonly ttlHours: number,
    private readonly throttle: LoginThrottle,
  ) {}

  async login(email: string, password: string, ip: string): Promise<{ token: string; expiresAt: Date; agent: Agent }> {
    const agent = await this.checkPassword(email, password, ip);
    if (!agent) throw unauthenticated('wrong email or password');
    if (agent.disabledAt) throw forbidden('this account is disabled');
    const token = newToken();
    const expiresAt = new Date(Date.now() + this.ttlHours * 3600_000);
    await this.ds.getRepository(ApiToken).insert({ agentId: agent.id, tokenHash: hashToken(token), expiresAt });
    return { token, expiresAt, agent };
  }

  /**
   * The agent when the password is theirs, else null; throttled per account and client address before any
   * hashing. A hash made with weaker parameters than today's is replaced, since the password is at hand.
   */
  private async checkPassword(email: string, password: string, ip: string): Promise<Agent | null> {
    const attempt = await this.throttle.reserve(email, ip);
    const agent = await this.ds.getRepository(Agent).findOneBy({ email: email.trim().toLowerCase() });
    // Verify against a dummy hash when there is no such agent, so the answer takes as long either way.
    const ok = await verifyPassword(password, agent?.passwordHash ?? DUMMY_PASSWORD_HASH);
    if (!agent || !ok) {
      attempt.failed();
      return null;
    }
    await attempt.succeeded();
    if (needsRehash(agent.passwordHash)) {
      const stronger = await hashPassword(password);
      // Only if unchanged meanwhile: a password changed in between wins.
      await this.ds.query(`UPDATE agents SET password_hash = $1 WHERE id = $2 AND password_hash = $3`, [stronger, agent.id, agent.passwordHash]);
      agent.passwordHash = stronger;
    }
    return agent;
  }

  /**
   * An agent changes their own password: the current one is required (a stolen token alone must not take the
   * account over), and is throttled like a log-in. Every other session of the agent ends; the one making the
   * change stays (its holder just proved they know the password).
   */
  async changeOwnPassword(session: Session, currentPassword: string, newPassword: string, ip: string): Promise<void> {
    const agent = await this.checkPassword(session.agent.email, currentPassword, ip);
    if (!agent || agent.id !== session.agent.id) throw forbidden('the current password is wrong');
    const hash = await hashPassword(newPassword);
    await this.ds.transaction(async (m) => {
      await m.query(`UPDATE agents SET password_hash = $1, updated_at = now() WHERE id = $2`, [hash, agent.id]);
      await revokeTokens(m, agent.id, 'password_changed', session.tokenId);
    });
  }

  /** The session for a bearer token, or null when it is unknown, expired, or its agent is disabled. */
  async authenticate(token: string): Promise<Session | null> {
    if (!token || token.length > 200) return null;
    const [row] = await queryReturning(
      this.ds,
      `UPDATE api_tokens SET last_used_at = now() WHERE token_hash = $1 AND expires_at > now() RETURNING id, agent_id, expires_at`,
      [hashToken(token)],
    );
    if (!row) return null;
    const agent = await this.ds.getRepository(Agent).findOneBy({ id: row.agent_id });
    if (!agent || agent.disabledAt) return null;
    return { agent, viewer: await this.viewer(agent), tokenId: row.id, expiresAt: row.expires_at };
  }

  /** Revokes the token; its open sockets are told and disconnected (a `token.revoked` event). */
  async logout(token: string): Promise<void> {
    await this.ds.transaction(async (m) => {
      const rows = await queryReturning<{ id: string; agent_id: string }>(m, `DELETE FROM api_tokens WHERE token_hash = $1 RETURNING id, agent_id`, [
        hashToken(token),
      ]);
      await recordEvents(
        m,
        rows.map((r) => ({ type: 'token.revoked' as const, conversationId: null, data: { tokenId: r.id, agentId: r.agent_id, reason: 'logout' as const } })),
      );
    });
  }

  viewer(agent: Agent): Promise<Viewer> {
    return readViewer(this.ds.manager, agent);
  }
}

/**
 * Deletes an agent's tokens (all, or all but `keepTokenId`) in the caller's transaction, recording a
 * `token.revoked` event for each, so their sockets are disconnected wherever they are connected.
 */
export async function revokeTokens(m: EntityManager, agentId: string, reason: TokenRevokedReason, keepTokenId?: string): Promise<void> {
  const rows = await queryReturning<{ id: string }>(m, `DELETE FROM api_tokens WHERE agent_id = $1 AND ($2::uuid IS NULL OR id <> $2::uuid) RETURNING id`, [
    agentId,
    keepTokenId ?? null,
  ]);
  await recordEvents(
    m,
    rows.map((r) => ({ type: 'token.revoked' as const, conversationId: null, data: { tokenId: r.id, agentId, reason } })),
  );
}

/**
 * Who an agent is for the access policy (their teams and inboxes), in one statement; `m` may be a transaction's
 * manager (the realtime listener reads through the relay's).
 */
export async function readViewer(m: EntityManager, agent: Pick<Agent, 'id' | 'role'>): Promise<Viewer> {
  const [row]: Array<{ team_ids: string[]; inbox_ids: string[] }> = await m.query(
    `SELECT ARRAY(SELECT team_id FROM team_members WHERE agent_id = $1) AS team_ids,
            ARRAY(SELECT channel_id FROM inbox_members WHERE agent_id = $1) AS inbox_ids`,
    [agent.id],
  );
  return { id: agent.id, role: agent.role, teamIds: row.team_ids, inboxIds: row.inbox_ids };
}
