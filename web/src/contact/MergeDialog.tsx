import { useEffect, useRef, useState } from 'react';
import type { Contact } from '../api/client';
import { ApiError } from '../conversation/useConversation';
import { useI18n } from '../i18n/i18n';
import { useContactSearch, useMergeContact } from './useContacts';

/**
 * Admins: find another contact and merge it into this one (this one survives, so the open conversation keeps
 * its person). A modal <dialog>: focus moves in, Escape closes, focus goes back to the button that opened it.
 */
export function MergeDialog({ target, onClose }: { target: { id: string; name: string }; onClose(): void }) {
  const { t } = useI18n();
  const dialog = useRef<HTMLDialogElement>(null);
  const [q, setQ] = useState('');
  const [picked, setPicked] = useState<Contact | null>(null);
  const search = useContactSearch(q);
  const merge = useMergeContact();
  const candidates = (search.data ?? []).filter((c) => c.id !== target.id);

  useEffect(() => {
    const opener = document.activeElement as HTMLElement | null;
    dialog.current?.showModal();
    return () => opener?.focus();
  }, []);

  const nameOf = (c: Contact) => c.name ?? c.identities.find((i) => i.displayName)?.displayName ?? t('contact.unnamed');
  return (
    <dialog ref={dialog} className="dialog" aria-labelledby="merge-title" onClose={onClose}>
      <h2 id="merge-title">{t('contact.mergeTitle', { name: target.name })}</h2>
      {!picked ? (
        <>
          <label className="field">
            {t('contact.search')}
            <input type="search" autoFocus value={q} onChange={(e) => setQ(e.target.value)} aria-describedby="merge-hint" />
          </label>
          <p id="merge-hint" className="muted">
            {t('contact.searchHint')}
          </p>
          <ul className="candidates" aria-live="polite">
            {candidates.map((c) => (
              <li key={c.id}>
                <button type="button" className="secondary candidate" onClick={() => setPicked(c)}>
                  <strong>{nameOf(c)}</strong>
                  <span className="muted">{c.identities.map((i) => i.username ?? i.externalId).join(' · ')}</span>
                </button>
              </li>
            ))}
          </ul>
          {q.trim() && search.isSuccess && candidates.length === 0 && <p className="muted">{t('contact.noMatches')}</p>}
          <div className="dialog-bar">
            <button type="button" className="secondary" onClick={() => dialog.current?.close()}>
              {t('contact.cancel')}
            </button>
          </div>
        </>
      ) : (
        <>
          <p>{t('contact.confirmText', { source: nameOf(picked), target: target.name })}</p>
          {merge.error && (
            <p role="alert" className="error">
              {t('contact.mergeFailed', { reason: merge.error instanceof ApiError ? merge.error.reason : merge.error.message })}
            </p>
          )}
          <div className="dialog-bar">
            <button type="button" className="secondary" onClick={() => setPicked(null)}>
              {t('contact.back')}
            </button>
            <button
              type="button"
              autoFocus
              disabled={merge.isPending}
              onClick={() => merge.mutate({ sourceId: picked.id, intoId: target.id }, { onSuccess: () => dialog.current?.close() })}
            >
              {t('contact.confirm')}
            </button>
          </div>
        </>
      )}
    </dialog>
  );
}
