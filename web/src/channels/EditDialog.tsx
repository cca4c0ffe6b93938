import { useMemo, useState, type FormEvent } from 'react';
import type { Channel } from '../api/client';
import { useI18n } from '../i18n/i18n';
import { Modal } from '../ui/Modal';
import { fieldErrors } from './ConnectDialog';
import { changed, fieldsOf, initialValues, toPayload, type FieldValues } from './schema-fields';
import { SchemaFields } from './SchemaFields';
import { useUpdateChannel, type ChannelType } from './useChannelAdmin';

/**
 * Rename a channel, or give it new credentials or settings. Secrets are never shown back: an empty field keeps
 * the stored one. Only what changed is sent, so a rename alone asks the platform nothing.
 */
export function EditDialog({ channel, type, onClose }: { channel: Channel; type: ChannelType; onClose(): void }) {
  const { t } = useI18n();
  const update = useUpdateChannel();
  const credentialFields = useMemo(() => fieldsOf(type.credentialsSchema, true), [type]);
  const settingFields = useMemo(() => fieldsOf(type.settingsSchema, false), [type]);
  const [name, setName] = useState(channel.name);
  const [credentials, setCredentials] = useState<FieldValues>(() => initialValues(credentialFields));
  const [settings, setSettings] = useState<FieldValues>(() => initialValues(settingFields, channel.settings));
  const errors = fieldErrors(update.error);

  function submit(e: FormEvent) {
    e.preventDefault();
    const newCredentials = toPayload(
      credentialFields.filter((f) => f.kind === 'secret'),
      credentials,
    );
    const newSettings = changed(toPayload(settingFields, settings), channel.settings);
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
        {credentialFields.length > 0 && (
          <fieldset>
            <legend>{t('channels.newCredentials')}</legend>
            <SchemaFields
              fields={credentialFields}
              values={credentials}
              onChange={(k, v) => setCredentials((c) => ({ ...c, [k]: v }))}
              idPrefix="edit-credentials"
              errors={errors.credentials}
              keepWhenEmpty
            />
          </fieldset>
        )}
        {settingFields.length > 0 && (
          <fieldset>
            <legend>{t('channels.settings')}</legend>
            <SchemaFields
              fields={settingFields}
              values={settings}
              onChange={(k, v) => setSettings((s) => ({ ...s, [k]: v }))}
              idPrefix="edit-settings"
              errors={errors.settings}
            />
          </fieldset>
        )}
        {update.error && (
          <div role="alert" className="error">
            <p>{update.error.message}</p>
            {errors.general.map((m) => (
              <p key={m}>{m}</p>
            ))}
          </div>
        )}
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
