import { useState, type FormEvent } from 'react';
import type { Channel } from '../api/client';
import { useI18n } from '../i18n/i18n';
import { Modal } from '../ui/Modal';
import { ChannelFields, ChannelFormError, useChannelFields } from './ChannelFields';
import { changed, toPayload } from './schema-fields';
import { useUpdateChannel, type ChannelType } from './useChannelAdmin';

/**
 * Rename a channel, or give it new credentials or settings. Secrets are never shown back: an empty field keeps
 * the stored one. Only what changed is sent, so a rename alone asks the platform nothing.
 */
export function EditDialog({ channel, type, onClose }: { channel: Channel; type: ChannelType; onClose(): void }) {
  const { t } = useI18n();
  const update = useUpdateChannel();
  const form = useChannelFields(type, channel.settings);
  const [name, setName] = useState(channel.name);

  function submit(e: FormEvent) {
    e.preventDefault();
    const newCredentials = toPayload(
      form.credentialFields.filter((f) => f.kind === 'secret'),
      form.credentials,
    );
    const newSettings = changed(toPayload(form.settingFields, form.settings), channel.settings);
    update.mutate(
      {
        id: channel.id,
        ...(name !== channel.name ? { name } : {}),
        ...(Object.keys(newCredentials).length ? { credentials: newCredentials } : {}),
        ...(Object.keys(newSettings).length ? { settings: newSettings } : {}),
      },
      { onSuccess: onClose },
    );
  }

  return (
    <Modal title={t('channels.editTitle', { name: channel.name })} onClose={onClose}>
      <form onSubmit={submit} className="channel-form">
        <div className="field">
          <label htmlFor="edit-name">{t('channels.name')}</label>
          <input id="edit-name" value={name} onChange={(e) => setName(e.target.value)} required maxLength={200} />
        </div>
        <ChannelFields form={form} mode="edit" error={update.error} />
        <ChannelFormError error={update.error} />
        <div className="dialog-actions">
          <button type="button" className="secondary" onClick={onClose}>
            {t('channels.cancel')}
          </button>
          <button type="submit" disabled={update.isPending}>
            {update.isPending ? t('channels.checking') : t('channels.save')}
          </button>
        </div>
      </form>
    </Modal>
  );
}
