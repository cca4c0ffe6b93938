import { useState } from 'react';
import type { Contact } from '../api/client';
import { ApiError } from '../conversation/useConversation';
import { useI18n } from '../i18n/i18n';
import { Modal } from '../ui/Modal';
import { useContactSearch, useMergeContact } from './useContacts';

/**
 * Admins: find another contact and merge it into this one (this one survives, so the open conversation keeps
 * its person).
 */
export function MergeDialog({ target, onClose }: { target: { id: string; name: string }; onClose(): void }) {
  const { t } = useI18n();
  const [q, setQ] = useState('');
  const [picked, setPicked] = useState<Contact | null>(null);
  const search = useContactSearch(q);
  const merge = useMergeContact();
  const candidates = (search.data ?? []).filter((c) => c.id !== target.id);

  const nameOf = (c: Contact) => c.name ?? c.identities.find((i) => i.displayName)?.displayName ?? t('contact.unnamed');
  return (
    <Modal title={t('contact.mergeTitle', { name: target.name })} onClose={onClose}>
      {!picked ? (
        <>
          <label className="field">
            {t('contact.search')}
            <input type="search" value={q} onChange={(e) => setQ(e.target.value)} aria-describedby="merge-hint" />
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
          <div className="dialog-actions">
            <button type="button" className="secondary" onClick={() => onClose()}>
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
          <div className="dialog-actions">
            <button type="button" className="secondary" onClick={() => setPicked(null)}>
              {t('contact.back')}
            </button>
            <button
              type="button"
              autoFocus
              disabled={merge.isPending}
              onClick={() => merge.mutate({ sourceId: picked.id, intoId: target.id }, { onSuccess: () => onClose() })}
            >
              {t('contact.confirm')}
            </button>
          </div>
        </>
      )}
    </Modal>
  );
}
