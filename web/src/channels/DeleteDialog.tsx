import type { Channel } from '../api/client';
import { useI18n } from '../i18n/i18n';
import { Modal } from '../ui/Modal';
import { useDeleteChannel, type WebhookRemoval } from './useChannelAdmin';

/** Deleting asks first; the page then says what became of the webhook on the platform's side. */
export function DeleteDialog({ channel, onClose, onDeleted }: { channel: Channel; onClose(): void; onDeleted(w: WebhookRemoval): void }) {
  const { t } = useI18n();
  const remove = useDeleteChannel();
  return (
    <Modal title={t('channels.deleteTitle', { name: channel.name })} onClose={onClose}>
      <p>{t('channels.deleteExplain')}</p>
      {remove.error && (
        <p role="alert" className="error">
          {remove.error.message}
        </p>
      )}
      <div className="dialog-actions">
        <button type="button" className="secondary" onClick={onClose} data-autofocus>
          {t('channels.cancel')}
        </button>
        <button type="button" className="danger" disabled={remove.isPending} onClick={() => remove.mutate(channel.id, { onSuccess: onDeleted })}>
          {t('channels.deleteConfirm')}
        </button>
      </div>
    </Modal>
  );
}
