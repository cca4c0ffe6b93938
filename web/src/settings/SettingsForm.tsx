import type { FormEvent, ReactNode } from 'react';
import { useI18n } from '../i18n/i18n';
import { SaveStatus } from './SaveStatus';

/**
 * A settings tab's form: its fields, disabled for agents (they read the settings), and for admins Save with what
 * became of it. Every tab saves the same way, so the saving and the refusal in words live here once.
 */
export function SettingsForm({
  canEdit,
  save,
  onSubmit,
  intro,
  actions,
  children,
}: {
  canEdit: boolean;
  save: { isPending: boolean; isSuccess: boolean; error: Error | null };
  onSubmit(): void;
  /** Above the fields and never disabled: a state line, or a control agents use too (which language to read). */
  intro?: ReactNode;
  /** More buttons beside Save, for admins. */
  actions?: ReactNode;
  children: ReactNode;
}) {
  const { t } = useI18n();
  function submit(e: FormEvent) {
    e.preventDefault();
    onSubmit();
  }
  return (
    <form className="settings-form" onSubmit={submit}>
      {intro}
      <fieldset disabled={!canEdit}>
        {children}
        {canEdit && (
          <div className="form-actions">
            <button type="submit" disabled={save.isPending}>
              {t('settings.save')}
            </button>
            {actions}
            <SaveStatus mutation={save} />
          </div>
        )}
      </fieldset>
    </form>
  );
}

/** A tab whose settings have not come yet: the reason in words if they will not. */
export function NotLoaded({ error }: { error: Error | null }) {
  return <p className="muted">{error?.message ?? '…'}</p>;
}
