import { useState, type FormEvent } from 'react';
import type { Agent } from '../api/client';
import { useI18n } from '../i18n/i18n';
import { useChannels } from '../inbox/useConversations';
import { Modal } from '../ui/Modal';
import { ApiError, generatePassword, useCreateAgent, useUpdateAgent, type Role } from './usePeople';

const MIN_PASSWORD = 10;

/** Creates an agent (no `agent`) or changes one: name, role, capacity and the inboxes they belong to. */
export function AgentDialog({ agent, onClose, onCreated }: { agent?: Agent; onClose: () => void; onCreated?: (name: string, password: string) => void }) {
  const { t } = useI18n();
  const channels = useChannels();
  const create = useCreateAgent();
  const update = useUpdateAgent();
  const [email, setEmail] = useState('');
  const [name, setName] = useState(agent?.name ?? '');
  const [role, setRole] = useState<Role>(agent?.role ?? 'agent');
  const [capacity, setCapacity] = useState(String(agent?.capacity ?? 10));
  const [password, setPassword] = useState('');
  // A new agent starts in every inbox, as the server would do; the admin unticks what they should not see.
  const [inboxIds, setInboxIds] = useState<string[] | null>(agent ? agent.inboxIds : null);
  const chosen = inboxIds ?? channels.data?.map((c) => c.id) ?? [];
  const pending = create.isPending || update.isPending;
  const error = create.error ?? update.error;

  function toggle(id: string, on: boolean) {
    setInboxIds(on ? [...chosen, id] : chosen.filter((c) => c !== id));
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    const cap = Number(capacity);
    if (!agent) {
      create.mutate({ email, name, password, role, capacity: cap, inboxIds: chosen }, { onSuccess: (a) => onCreated?.(a.name, password) });
      return;
    }
    const change = {
      ...(name !== agent.name ? { name } : {}),
      ...(role !== agent.role ? { role } : {}),
      ...(cap !== agent.capacity ? { capacity: cap } : {}),
    };
    const same = chosen.length === agent.inboxIds.length && chosen.every((id) => agent.inboxIds.includes(id));
    update.mutate({ id: agent.id, change, inboxIds: same ? undefined : chosen }, { onSuccess: onClose });
  }

  return (
    <Modal title={agent ? t('people.editOf', { name: agent.name }) : t('people.newAgent')} onClose={onClose}>
      <form className="dialog-form" onSubmit={submit}>
        {!agent && (
          <label>
            {t('login.email')}
            <input type="email" required maxLength={320} autoComplete="off" value={email} onChange={(e) => setEmail(e.target.value)} />
          </label>
        )}
        <label>
          {t('people.name')}
          <input required maxLength={200} autoComplete="off" value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <div className="form-row">
          <label>
            {t('people.role')}
            <select value={role} onChange={(e) => setRole(e.target.value as Role)}>
              <option value="agent">{t('people.roleAgent')}</option>
              <option value="admin">{t('people.roleAdmin')}</option>
            </select>
          </label>
          <label>
            {t('people.capacity')}
            <input type="number" required min={0} max={1000} step={1} value={capacity} onChange={(e) => setCapacity(e.target.value)} />
          </label>
        </div>
        {!agent && <PasswordField label={t('people.initialPassword')} value={password} onChange={setPassword} />}
        <fieldset>
          <legend>{t('people.inboxes')}</legend>
          <p className="hint">{t('people.inboxesHint')}</p>
          {channels.data?.length === 0 && <p className="muted">{t('people.noInboxes')}</p>}
          {channels.data?.map((c) => (
            <label key={c.id} className="check">
              <input type="checkbox" checked={chosen.includes(c.id)} onChange={(e) => toggle(c.id, e.target.checked)} />
              {c.name}
            </label>
          ))}
        </fieldset>
        {error && <ErrorText error={error} />}
        <div className="dialog-actions">
          <button type="button" className="secondary" onClick={onClose}>
            {t('people.cancel')}
          </button>
          <button type="submit" disabled={pending}>
            {agent ? t('people.save') : t('people.create')}
          </button>
        </div>
      </form>
    </Modal>
  );
}

/** An admin sets another agent's password: every session of theirs ends; the new one is shown once. */
export function PasswordDialog({ agent, onClose, onDone }: { agent: Agent; onClose: () => void; onDone: (password: string) => void }) {
  const { t } = useI18n();
  const update = useUpdateAgent();
  const [password, setPassword] = useState('');
  function submit(e: FormEvent) {
    e.preventDefault();
    update.mutate({ id: agent.id, change: { password } }, { onSuccess: () => onDone(password) });
  }
  return (
    <Modal title={t('people.resetPasswordOf', { name: agent.name })} onClose={onClose}>
      <form className="dialog-form" onSubmit={submit}>
        <p className="hint">{t('people.resetHint')}</p>
        <PasswordField label={t('people.newPassword')} value={password} onChange={setPassword} />
        {update.error && <ErrorText error={update.error} />}
        <div className="dialog-actions">
          <button type="button" className="secondary" onClick={onClose}>
            {t('people.cancel')}
          </button>
          <button type="submit" disabled={update.isPending}>
            {t('people.resetPassword')}
          </button>
        </div>
      </form>
    </Modal>
  );
}

/** A password the admin types or generates; shown as text, since it is to be passed on. */
function PasswordField({ label, value, onChange }: { label: string; value: string; onChange: (v: string) => void }) {
  const { t } = useI18n();
  return (
    <div className="form-row">
      <label className="grow">
        {label}
        <input
          type="text"
          required
          minLength={MIN_PASSWORD}
          maxLength={200}
          autoComplete="new-password"
          spellCheck={false}
          value={value}
          onChange={(e) => onChange(e.target.value)}
        />
      </label>
      <button type="button" className="secondary" onClick={() => onChange(generatePassword())}>
        {t('people.generate')}
      </button>
    </div>
  );
}

function ErrorText({ error }: { error: Error }) {
  const { t } = useI18n();
  const text = error instanceof ApiError && error.status === 409 ? t('people.emailTaken') : t('people.failed', { reason: error.message });
  return (
    <p role="alert" className="error">
      {text}
    </p>
  );
}
