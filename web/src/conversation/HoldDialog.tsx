import { useState } from 'react';
import { useI18n } from '../i18n/i18n';
import { Field, FormDialog } from '../ui/FormDialog';

export function HoldDialog({
  busy,
  error,
  onHold,
  onClose,
}: {
  busy: boolean;
  error: string | null;
  onHold(input: { notifyCustomer: boolean; text?: string }): void;
  onClose(): void;
}) {
  const { t } = useI18n();
  const [notify, setNotify] = useState(true);
  const [text, setText] = useState('');
  return (
    <FormDialog
      title={t('hold.title')}
      submitLabel={t('hold.submit')}
      busy={busy}
      error={error}
      onSubmit={() => onHold({ notifyCustomer: notify, text: notify && text.trim() ? text : undefined })}
      onClose={onClose}
    >
      <label className="toggle">
        <input type="checkbox" checked={notify} onChange={(e) => setNotify(e.target.checked)} />
        {t('hold.notify')}
      </label>
      <Field label={t('hold.text')}>{(id) => <textarea id={id} rows={2} value={text} disabled={!notify} onChange={(e) => setText(e.target.value)} />}</Field>
    </FormDialog>
  );
}
