import { useEffect, useId, useRef, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type Agent } from '../api/client';
import { setSession, type Session } from '../auth/session';
import { LanguageSwitch, useI18n } from '../i18n/i18n';
import { AVAILABILITIES, availabilityKey } from '../people/labels';
import { ApiError } from '../people/usePeople';
import { ChangePasswordDialog } from './ChangePasswordDialog';
import '../people/people.css';

/** The logged-in agent as the server has them now (an admin may have changed them). */
function useMe(session: Session) {
  return useQuery({
    queryKey: ['me'],
    queryFn: async () => {
      const { data, error, response } = await api.GET('/me');
      if (!data) throw new ApiError(response.status, error);
      return data.agent;
    },
    placeholderData: session.agent,
  });
}

/** Setting one's own availability applies at once: routing reads it on its next pick. */
function useSetAvailability(session: Session) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (availability: Agent['availability']) => {
      const { data, error, response } = await api.PATCH('/me', { body: { availability } });
      if (!data) throw new ApiError(response.status, error);
      return data.agent;
    },
    onSuccess: (agent) => {
      queryClient.setQueryData(['me'], agent);
      setSession({ ...session, agent });
      void queryClient.invalidateQueries({ queryKey: ['agents'] });
    },
  });
}

/**
 * Every agent's own menu: availability (online, away, offline), their password, the app's language. A
 * disclosure, not an ARIA menu: it holds form controls. Escape or a click elsewhere closes it.
 */
export function ProfileMenu({ session }: { session: Session }) {
  const { t } = useI18n();
  const me = useMe(session).data ?? session.agent;
  const setAvailability = useSetAvailability(session);
  // The choice shows at once; the server's answer then confirms it (or the old one comes back).
  const [choosing, setChoosing] = useState<Agent['availability'] | null>(null);
  const shown = choosing ?? me.availability;
  const [open, setOpen] = useState(false);
  const [changingPassword, setChangingPassword] = useState(false);
  const panelId = useId();
  const root = useRef<HTMLDivElement>(null);
  const trigger = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || changingPassword) return;
      setOpen(false);
      trigger.current?.focus();
    };
    const onClick = (e: MouseEvent) => {
      if (!changingPassword && root.current && !root.current.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('mousedown', onClick);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('mousedown', onClick);
    };
  }, [open, changingPassword]);

  return (
    <div className="profile" ref={root}>
      <button
        ref={trigger}
        type="button"
        className="profile-button"
        aria-expanded={open}
        aria-controls={panelId}
        // axe wants the visible text inside the accessible name, and counts hidden text and an avatar's initials
        // as visible: so the button shows only the name, and its availability is in the name, not hidden text.
        aria-label={`${t('profile.menuOf', { name: me.name })} (${t(availabilityKey(me.availability))})`}
        onClick={() => setOpen(!open)}
      >
        <span>{me.name}</span>
        <span className={`presence-dot presence-${me.availability}`} aria-hidden="true" />
      </button>
      {open && (
        <div className="profile-panel" id={panelId} role="group" aria-label={t('profile.title')}>
          <fieldset>
            <legend>{t('profile.availability')}</legend>
            {AVAILABILITIES.map((a) => (
              <label key={a} className="check">
                <input
                  type="radio"
                  name="availability"
                  value={a}
                  checked={shown === a}
                  onChange={() => {
                    setChoosing(a);
                    setAvailability.mutate(a, { onSettled: () => setChoosing(null) });
                  }}
                />
                <span className={`presence-dot presence-${a}`} aria-hidden="true" />
                {t(availabilityKey(a))}
              </label>
            ))}
          </fieldset>
          {setAvailability.error && (
            <p role="alert" className="error">
              {t('people.failed', { reason: setAvailability.error.message })}
            </p>
          )}
          <button type="button" className="secondary" onClick={() => setChangingPassword(true)}>
            {t('profile.changePassword')}
          </button>
          <LanguageSwitch />
        </div>
      )}
      {changingPassword && <ChangePasswordDialog onClose={() => setChangingPassword(false)} />}
    </div>
  );
}
