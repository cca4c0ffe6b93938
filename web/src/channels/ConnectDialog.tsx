import { useState, type FormEvent } from 'react';
import { useI18n } from '../i18n/i18n';
import { CopyValue } from '../ui/CopyValue';
import { Modal } from '../ui/Modal';
import { ChannelFields, ChannelFormError, useChannelFields } from './ChannelFields';
import { fieldsOf, toPayload } from './schema-fields';
import { RegisterWebhookButton } from './RegisterWebhookButton';
import { useCreateChannel, type ChannelType, type Created } from './useChannelAdmin';

/** Connect a channel: the type, then a form built from that type's schemas; afterwards what to paste where, once. */
export function ConnectDialog({ types, onClose }: { types: ChannelType[]; onClose(): void }) {
  const { t } = useI18n();
  const [typeName, setTypeName] = useState(types[0]?.type ?? '');
  const [created, setCreated] = useState<Created | null>(null);
  const type = types.find((c) => c.type === typeName);
  return (
    <Modal title={created ? t('channels.connectedTitle') : t('channels.connectTitle')} onClose={onClose}>
      {created && type ? (
        <CreatedChannel created={created} type={type} onClose={onClose} />
      ) : (
        <>
          <div className="field">
            <label htmlFor="connect-type">{t('channels.type')}</label>
            <select id="connect-type" value={typeName} onChange={(e) => setTypeName(e.target.value)}>
              {types.map((c) => (
                <option key={c.type} value={c.type}>
                  {c.displayName}
                </option>
              ))}
            </select>
          </div>
          {/* A form of its own per type: switching starts from that type's defaults. */}
          {type && <ConnectForm key={type.type} type={type} onCreated={setCreated} onCancel={onClose} />}
        </>
      )}
    </Modal>
  );
}

function ConnectForm({ type, onCreated, onCancel }: { type: ChannelType; onCreated(c: Created): void; onCancel(): void }) {
  const { t } = useI18n();
  const create = useCreateChannel();
  const form = useChannelFields(type);
  const [name, setName] = useState('');

  function submit(e: FormEvent) {
    e.preventDefault();
    create.mutate(
      {
        type: type.type,
        name,
        credentials: toPayload(form.credentialFields, form.credentials),
        settings: toPayload(form.settingFields, form.settings),
      },
      { onSuccess: onCreated },
    );
  }

  return (
    <form onSubmit={submit} className="channel-form">
      <div className="field">
        <label htmlFor="connect-name">
          {t('channels.name')}
          <span className="required" aria-hidden="true">
            {' '}
            *
          </span>
        </label>
        <input id="connect-name" value={name} onChange={(e) => setName(e.target.value)} required maxLength={200} />
      </div>
      <ChannelFields form={form} mode="connect" error={create.error} generated={type.generatedCredentials} />
      <p className="muted">{t('channels.requiredNote')}</p>
      <ChannelFormError error={create.error} />
      <div className="dialog-actions">
        <button type="button" className="secondary" onClick={onCancel}>
          {t('channels.cancel')}
        </button>
        <button type="submit" disabled={create.isPending}>
          {create.isPending ? t('channels.checking') : t('channels.connect')}
        </button>
      </div>
    </form>
  );
}

function CreatedChannel({ created, type, onClose }: { created: Created; type: ChannelType; onClose(): void }) {
  const { t } = useI18n();
  const { channel, generatedCredentials } = created;
  const labels = Object.fromEntries(fieldsOf(type.credentialsSchema, true).map((f) => [f.key, f.label]));
  const secrets = Object.entries(generatedCredentials).filter((e): e is [string, string] => typeof e[1] === 'string');
  return (
    <div className="created" data-testid="created-channel">
      <p role="status">
        {channel.account
          ? t('channels.connectedAs', { name: channel.name, account: channel.account.displayName })
          : t('channels.connectedNoAccount', { name: channel.name })}
      </p>
      {type.capabilities.webhook && <CopyValue label={t('channels.webhookUrl')} value={channel.webhookUrl} testId="webhook-url" />}
      {secrets.length > 0 && (
        <>
          <p className="once">{t('channels.shownOnce')}</p>
          {secrets.map(([key, value]) => (
            <CopyValue key={key} label={labels[key] ?? key} value={value} testId={`secret-${key}`} />
          ))}
        </>
      )}
      {type.session && <p>{t('channels.pairHint')}</p>}
      <div className="dialog-actions">
        {type.registersWebhook && <RegisterWebhookButton channelId={channel.id} />}
        <button type="button" onClick={onClose}>
          {t('channels.done')}
        </button>
      </div>
    </div>
  );
}
