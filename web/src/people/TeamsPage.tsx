import { useState, type FormEvent } from 'react';
import { useI18n } from '../i18n/i18n';
import { FormDialog } from '../ui/FormDialog';
import { AdminTable } from './AdminTable';
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
      <AdminTable caption={t('people.teams')} columns={[t('people.teamName'), t('people.members')]}>
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
      </AdminTable>
      {editing && <MembersDialog team={editing} onClose={() => setEditing(null)} />}
    </main>
  );
}

function MembersDialog({ team, onClose }: { team: Team; onClose: () => void }) {
  const { t } = useI18n();
  const agents = useAgents();
  const save = useSetTeamMembers();
  const [ids, setIds] = useState(team.agentIds);
  return (
    <FormDialog
      title={t('people.membersOf', { name: team.name })}
      submitLabel={t('people.save')}
      busy={save.isPending}
      error={save.error && t('people.failed', { reason: save.error.message })}
      onSubmit={() => save.mutate({ id: team.id, agentIds: ids }, { onSuccess: onClose })}
      onClose={onClose}
    >
      <fieldset>
        <legend>{t('people.members')}</legend>
        {agents.data?.map((a) => (
          <label key={a.id} className="check">
            <input type="checkbox" checked={ids.includes(a.id)} onChange={(e) => setIds(e.target.checked ? [...ids, a.id] : ids.filter((id) => id !== a.id))} />
            {a.name}
          </label>
        ))}
      </fieldset>
    </FormDialog>
  );
}
