import { useState } from 'react';
import { useI18n } from '../i18n/i18n';
import { NotLoaded, SettingsForm } from './SettingsForm';
import { useTeams } from '../people/usePeople';
import { useRouting, useSaveRouting, type RoutingSettings } from './useInboxSettings';

const STRATEGIES = ['round_robin', 'least_busy', 'manual'] as const;

/** Strategy, team, maximum queue length and whether waiting customers hear their place. */
export function RoutingForm({ channelId, canEdit }: { channelId: string; canEdit: boolean }) {
  const routing = useRouting(channelId);
  if (!routing.data) return <NotLoaded error={routing.error} />;
  return <Form channelId={channelId} canEdit={canEdit} initial={routing.data} />;
}

function Form({ channelId, canEdit, initial }: { channelId: string; canEdit: boolean; initial: RoutingSettings }) {
  const { t } = useI18n();
  const teams = useTeams();
  const save = useSaveRouting(channelId);
  const [strategy, setStrategy] = useState(initial.strategy);
  const [teamId, setTeamId] = useState(initial.teamId ?? '');
  const [maxQueue, setMaxQueue] = useState(initial.maxQueueLength === null ? '' : String(initial.maxQueueLength));
  const [announce, setAnnounce] = useState(initial.announceQueuePosition);

  function submit() {
    save.mutate({
      strategy,
      teamId: teamId || null,
      maxQueueLength: maxQueue.trim() === '' ? null : Number(maxQueue),
      announceQueuePosition: announce,
    });
  }

  return (
    <SettingsForm canEdit={canEdit} save={save} onSubmit={submit}>
      <label className="field">
        <span>{t('routing.strategy')}</span>
        <select value={strategy} onChange={(e) => setStrategy(e.target.value as RoutingSettings['strategy'])}>
          {STRATEGIES.map((s) => (
            <option key={s} value={s}>
              {t(`routing.${s}`)}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>{t('routing.team')}</span>
        <select value={teamId} onChange={(e) => setTeamId(e.target.value)}>
          <option value="">{t('routing.anyTeam')}</option>
          {teams.data?.map((team) => (
            <option key={team.id} value={team.id}>
              {team.name}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>{t('routing.maxQueue')}</span>
        <input type="number" min={0} max={100000} step={1} value={maxQueue} onChange={(e) => setMaxQueue(e.target.value)} aria-describedby="max-queue-hint" />
        <small id="max-queue-hint" className="muted">
          {t('routing.maxQueueHint')}
        </small>
      </label>
      <label className="check">
        <input type="checkbox" checked={announce} onChange={(e) => setAnnounce(e.target.checked)} />
        <span>{t('routing.announce')}</span>
      </label>
    </SettingsForm>
  );
}
