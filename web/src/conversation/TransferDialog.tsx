import { useState } from 'react';
import type { Agent, Team } from '../api/client';
import { useI18n } from '../i18n/i18n';
import { Field, FormDialog } from '../ui/FormDialog';
import type { TransferInput } from './useLifecycle';

/** To an agent or a team, with a note only the receiving side reads and an optional message to the customer. */
export function TransferDialog({
  agents,
  teams,
  busy,
  error,
  onTransfer,
  onClose,
}: {
  agents: Agent[];
  teams: Team[];
  busy: boolean;
  error: string | null;
  onTransfer(input: TransferInput): void;
  onClose(): void;
}) {
  const { t } = useI18n();
  const [kind, setKind] = useState<'agent' | 'team'>('agent');
  const [target, setTarget] = useState('');
  const [note, setNote] = useState('');
  const [message, setMessage] = useState('');
  const options = kind === 'agent' ? agents.filter((a) => !a.disabled) : teams;
  function submit() {
    if (!target) return;
    onTransfer({
      ...(kind === 'agent' ? { agentId: target } : { teamId: target }),
      note: note.trim() ? note : undefined,
      customerMessage: message.trim() ? message : undefined,
    });
  }
  return (
    <FormDialog title={t('transfer.title')} submitLabel={t('transfer.submit')} busy={busy} error={error} onSubmit={submit} onClose={onClose}>
      <fieldset className="choices">
        <legend>{t('transfer.kind')}</legend>
        {(['agent', 'team'] as const).map((k) => (
          <label key={k}>
            <input
              type="radio"
              name="transfer-kind"
              checked={kind === k}
              onChange={() => {
                setKind(k);
                setTarget('');
              }}
            />
            {t(k === 'agent' ? 'transfer.toAgent' : 'transfer.toTeam')}
          </label>
        ))}
      </fieldset>
      <Field label={t(kind === 'agent' ? 'transfer.agent' : 'transfer.team')}>
        {(id) => (
          <select id={id} value={target} required onChange={(e) => setTarget(e.target.value)}>
            <option value="">{t('transfer.pick')}</option>
            {options.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label={t('transfer.note')}>{(id) => <textarea id={id} rows={3} value={note} onChange={(e) => setNote(e.target.value)} />}</Field>
      <Field label={t('transfer.customerMessage')}>{(id) => <textarea id={id} rows={2} value={message} onChange={(e) => setMessage(e.target.value)} />}</Field>
    </FormDialog>
  );
}
