import { useState, type FormEvent } from 'react';
import { useMutation } from '@tanstack/react-query';
import { api } from '../api/client';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/en';
import { Modal } from '../ui/Modal';
import { ApiError } from '../people/usePeople';

/**
 * An agent changes their own password: the current one is required (the server checks it, throttled like a
 * log-in). Their other sessions end; this one stays.
 */
export function ChangePasswordDialog({ onClose }: { onClose: () => void }) {
  const { t } = useI18n();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [mismatch, setMismatch] = useState(false);
  const change = useMutation({
    mutationFn: async () => {
      const { data, error, response } = await api.PATCH('/me', { body: { currentPassword: current, password: next } });
      if (!data) throw new ApiError(response.status, error);
    },
  });

  function submit(e: FormEvent) {
    e.preventDefault();
    setMismatch(next !== repeat);
    if (next === repeat) change.mutate();
  }

  const failure: MessageKey | null = change.error
    ? change.error instanceof ApiError && change.error.status === 403
      ? 'profile.wrongCurrent'
      : change.error instanceof ApiError && change.error.status === 429
        ? 'login.locked'
        : 'people.failed'
    : null;

  return (
    <Modal title={t('profile.changePassword')} onClose={onClose}>
      {change.isSuccess ? (
        <div className="dialog-form">
          <p role="status">{t('profile.passwordChanged')}</p>
          <div className="dialog-actions">
            <button type="button" onClick={onClose}>
              {t('people.done')}
            </button>
          </div>
        </div>
      ) : (
        <form className="dialog-form" onSubmit={submit}>
          <label>
            {t('profile.currentPassword')}
            <input type="password" required maxLength={200} autoComplete="current-password" value={current} onChange={(e) => setCurrent(e.target.value)} />
          </label>
          <label>
            {t('people.newPassword')}
            <input type="password" required minLength={10} maxLength={200} autoComplete="new-password" value={next} onChange={(e) => setNext(e.target.value)} />
          </label>
          <label>
            {t('profile.repeatPassword')}
            <input
              type="password"
              required
              minLength={10}
              maxLength={200}
              autoComplete="new-password"
              value={repeat}
              onChange={(e) => setRepeat(e.target.value)}
            />
          </label>
          <p className="hint">{t('profile.passwordHint')}</p>
          {mismatch && (
            <p role="alert" className="error">
              {t('profile.mismatch')}
            </p>
          )}
          {failure && (
            <p role="alert" className="error">
              {t(failure, { reason: change.error?.message ?? '' })}
            </p>
          )}
          <div className="dialog-actions">
            <button type="button" className="secondary" onClick={onClose}>
              {t('people.cancel')}
            </button>
            <button type="submit" disabled={change.isPending}>
              {t('profile.changePassword')}
            </button>
          </div>
        </form>
      )}
    </Modal>
  );
}
