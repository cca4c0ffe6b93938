import { useState } from 'react';
import type { Agent } from '../api/client';
import { useSession } from '../auth/session';
import { useI18n } from '../i18n/i18n';
import { useChannels } from '../inbox/useConversations';
import { AdminTable } from './AdminTable';
import { AgentDialog, PasswordDialog } from './AgentDialogs';
import { availabilityKey } from './labels';
import { useAgents, useTeams, useUpdateAgent } from './usePeople';

type Open = { kind: 'create' } | { kind: 'edit'; agent: Agent } | { kind: 'password'; agent: Agent } | null;

/** Admins: every agent, with their role, capacity, inboxes and teams; create, change, disable, reset a password. */
export function AgentsPage() {
  const { t } = useI18n();
  const me = useSession()?.agent.id;
  const agents = useAgents();
  const teams = useTeams();
  const channels = useChannels();
  const update = useUpdateAgent();
  const [open, setOpen] = useState<Open>(null);
  // A password is shown once, right after it was set, for the admin to pass on.
  const [handOver, setHandOver] = useState<{ name: string; password: string } | null>(null);
  const channelName = (id: string) => channels.data?.find((c) => c.id === id)?.name;
  const teamsOf = (agentId: string) => (teams.data ?? []).filter((team) => team.agentIds.includes(agentId)).map((team) => team.name);

  return (
    <main className="admin-page">
      <div className="admin-head">
        <h1>{t('people.agents')}</h1>
        <button type="button" onClick={() => setOpen({ kind: 'create' })}>
          {t('people.newAgent')}
        </button>
      </div>
      {handOver && (
        <div className="hand-over" role="status">
          <p>{t('people.passwordOnce', { name: handOver.name })}</p>
          <code data-testid="handed-password">{handOver.password}</code>
          <button type="button" className="secondary" onClick={() => setHandOver(null)}>
            {t('people.done')}
          </button>
        </div>
      )}
      {agents.error && (
        <p role="alert" className="error">
          {agents.error.message}
        </p>
      )}
      {update.error && (
        <p role="alert" className="error">
          {t('people.failed', { reason: update.error.message })}
        </p>
      )}
      <AdminTable
        caption={t('people.agents')}
        columns={[t('people.name'), t('people.role'), t('people.availability'), t('people.capacity'), t('people.inboxes'), t('people.teams')]}
      >
        {agents.data?.map((a) => (
          <tr key={a.id} data-agent-id={a.id} className={a.disabled ? 'disabled' : undefined}>
            <th scope="row">
              <div>{a.name}</div>
              <div className="muted">{a.email}</div>
              {a.disabled && <span className="tag tag-off">{t('people.disabled')}</span>}
            </th>
            <td>{t(a.role === 'admin' ? 'people.roleAdmin' : 'people.roleAgent')}</td>
            <td>
              <span className={`presence presence-${a.availability}`}>{t(availabilityKey(a.availability))}</span>
            </td>
            <td>{a.capacity}</td>
            <td>{a.inboxIds.length === 0 ? <span className="muted">{t('people.none')}</span> : a.inboxIds.map(channelName).filter(Boolean).join(', ')}</td>
            <td>{teamsOf(a.id).join(', ') || <span className="muted">{t('people.none')}</span>}</td>
            <td className="actions">
              <button type="button" className="secondary" onClick={() => setOpen({ kind: 'edit', agent: a })} aria-label={t('people.editOf', { name: a.name })}>
                {t('people.edit')}
              </button>
              {a.id !== me && (
                <>
                  <button
                    type="button"
                    className="secondary"
                    onClick={() => setOpen({ kind: 'password', agent: a })}
                    aria-label={t('people.resetPasswordOf', { name: a.name })}
                  >
                    {t('people.resetPassword')}
                  </button>
                  <button
                    type="button"
                    className="secondary"
                    disabled={update.isPending}
                    onClick={() => update.mutate({ id: a.id, change: { disabled: !a.disabled } })}
                    aria-label={t(a.disabled ? 'people.enableOf' : 'people.disableOf', { name: a.name })}
                  >
                    {t(a.disabled ? 'people.enable' : 'people.disable')}
                  </button>
                </>
              )}
            </td>
          </tr>
        ))}
      </AdminTable>
      {open?.kind === 'create' && (
        <AgentDialog
          onClose={() => setOpen(null)}
          onCreated={(name, password) => {
            setOpen(null);
            setHandOver({ name, password });
          }}
        />
      )}
      {open?.kind === 'edit' && <AgentDialog agent={open.agent} onClose={() => setOpen(null)} />}
      {open?.kind === 'password' && (
        <PasswordDialog
          agent={open.agent}
          onClose={() => setOpen(null)}
          onDone={(password) => {
            setOpen(null);
            setHandOver({ name: open.agent.name, password });
          }}
        />
      )}
    </main>
  );
}
