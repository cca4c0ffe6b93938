import { type FormEvent, type ReactNode, useId } from 'react';
import { useI18n } from '../i18n/i18n';
import { Modal } from './Modal';

/** A modal form: its fields, an error in words, Cancel and a submit button (the header's actions use it). */
export function FormDialog({
  title,
  submitLabel,
  busy,
  error,
  onSubmit,
  onClose,
  children,
}: {
  title: string;
  submitLabel: string;
  busy?: boolean;
  error?: string | null;
  onSubmit(): void;
  onClose(): void;
  children: ReactNode;
}) {
  const { t } = useI18n();
  function submit(e: FormEvent) {
    e.preventDefault();
    if (!busy) onSubmit();
  }
  return (
    <Modal title={title} onClose={onClose}>
      <form className="dialog-form" onSubmit={submit}>
        {children}
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" className="secondary" onClick={onClose}>
            {t('dialog.cancel')}
          </button>
          <button type="submit" disabled={busy}>
            {submitLabel}
          </button>
        </div>
      </form>
    </Modal>
  );
}

/** A labelled field: the label names the control by its id, so the control's own text never joins its name. */
export function Field({ label, children }: { label: string; children: (id: string) => ReactNode }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children(id)}
    </div>
  );
}
