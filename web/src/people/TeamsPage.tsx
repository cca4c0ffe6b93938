import { useState, type FormEvent } from 'react';
import { useI18n } from '../i18n/i18n';
import { Modal } from '../ui/Modal';
import { ApiError, useAgents, useCreateTeam, useSetTeamMembers, useTeams, type Team } from './usePeople';

/** Admins: teams and who is in them. */
export function TeamsPage() {
  const { t } = useI18n();
  const teams = useTeams();
  const agents = useAgents();
  const create = useCreateTeam();
  const [name, setName] = useState('');
  const [editing, setEditing] = useState<Team | null>(null);
  const agentName = (id: string) => agents.data?.find((a) => a.id === id)?.name;

  function submit(e: FormEvent) {
    e.preventDefault();
    create.mutate(name.trim(), { onSuccess: () => setName('') });
  }

  return (
    <main className="admin-page">
      <div className="admin-head">
        <h1>{t('people.teams')}</h1>
      </div>
      <form className="inline-form" onSubmit={submit}>
        <label>
          {t('people.teamName')}
          <input required maxLength={200} value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <button type="submit" disabled={create.isPending || !name.trim()}>
          {t('people.createTeam')}
        </button>
      </form>
      {create.error && (
        <p role="alert" className="error">
          {create.error instanceof ApiError && create.error.status === 409 ? t('people.teamTaken') : t('people.failed', { reason: create.error.message })}
        </p>
      )}
      {teams.data?.length === 0 && <p className="muted">{t('people.noTeams')}</p>}
      <table className="admin-table">
        <caption className="visually-hidden">{t('people.teams')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('people.teamName')}</th>
            <th scope="col">{t('people.members')}</th>
            <th scope="col">
              <span className="visually-hidden">{t('people.actions')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {teams.data?.map((team) => (
            <tr key={team.id}>
              <th scope="row">{team.name}</th>
              <td>{team.agentIds.map(agentName).filter(Boolean).join(', ') || <span className="muted">{t('people.none')}</span>}</td>
              <td className="actions">
                <button type="button" className="secondary" onClick={() => setEditing(team)} aria-label={t('people.membersOf', { name: team.name })}>
                  {t('people.editMembers')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {editing && <MembersDialog team={editing} onClose={() => setEditing(null)} />}
    </main>
  );
}

function MembersDialog({ team, onClose }: { team: Team; onClose: () => void }) {
  const { t } = useI18n();
  const agents = useAgents();
  const save = useSetTeamMembers();
  const [ids, setIds] = useState(team.agentIds);
  function submit(e: FormEvent) {
    e.preventDefault();
    save.mutate({ id: team.id, agentIds: ids }, { onSuccess: onClose });
  }
  return (
    <Modal title={t('people.membersOf', { name: team.name })} onClose={onClose}>
      <form className="dialog-form" onSubmit={submit}>
        <fieldset>
          <legend>{t('people.members')}</legend>
          {agents.data?.map((a) => (
            <label key={a.id} className="check">
              <input
                type="checkbox"
                checked={ids.includes(a.id)}
                onChange={(e) => setIds(e.target.checked ? [...ids, a.id] : ids.filter((id) => id !== a.id))}
              />
              {a.name}
            </label>
          ))}
        </fieldset>
        {save.error && (
          <p role="alert" className="error">
            {t('people.failed', { reason: save.error.message })}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" className="secondary" onClick={onClose}>
            {t('people.cancel')}
          </button>
          <button type="submit" disabled={save.isPending}>
            {t('people.save')}
          </button>
        </div>
      </form>
    </Modal>
  );
}
