import { useState } from 'react';
import type { Agent, Team } from '../api/client';
import { useI18n } from '../i18n/i18n';
import { Field, FormDialog } from '../ui/FormDialog';

/** Assign to me, a colleague, a team, or nobody (back to the queue). Values: `agent:<id>`, `team:<id>`, `none`. */
export function AssignDialog({
  me,
  agents,
  teams,
  busy,
  error,
  onAssign,
  onClose,
}: {
  me: string;
  agents: Agent[];
  teams: Team[];
  busy: boolean;
  error: string | null;
  onAssign(input: { agentId?: string | null; teamId?: string | null }): void;
  onClose(): void;
}) {
  const { t } = useI18n();
  const [choice, setChoice] = useState(`agent:${me}`);
  function submit() {
    const [kind, id] = choice.split(':');
    onAssign(kind === 'team' ? { teamId: id } : { agentId: kind === 'agent' ? id : null });
  }
  return (
    <FormDialog title={t('assign.title')} submitLabel={t('assign.submit')} busy={busy} error={error} onSubmit={submit} onClose={onClose}>
      <Field label={t('assign.to')}>
        {(id) => (
          <select id={id} value={choice} onChange={(e) => setChoice(e.target.value)}>
            <option value={`agent:${me}`}>{t('assign.me')}</option>
            <optgroup label={t('assign.agents')}>
              {agents
                .filter((a) => a.id !== me && !a.disabled)
                .map((a) => (
                  <option key={a.id} value={`agent:${a.id}`}>
                    {a.name}
                  </option>
                ))}
            </optgroup>
            {teams.length > 0 && (
              <optgroup label={t('assign.teams')}>
                {teams.map((team) => (
                  <option key={team.id} value={`team:${team.id}`}>
                    {team.name}
                  </option>
                ))}
              </optgroup>
            )}
            <option value="none">{t('assign.nobody')}</option>
          </select>
        )}
      </Field>
    </FormDialog>
  );
}
