import { useMemo, useState, type FormEvent } from 'react';
import { useI18n } from '../i18n/i18n';
import { CopyValue } from '../ui/CopyValue';
import { Modal } from '../ui/Modal';
import { fieldsOf, initialValues, toPayload, type FieldValues } from './schema-fields';
import { SchemaFields } from './SchemaFields';
import { RegisterWebhookButton } from './RegisterWebhookButton';
import { useCreateChannel, type ApiError, type ChannelType, type Created } from './useChannelAdmin';

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
  const credentialFields = useMemo(() => fieldsOf(type.credentialsSchema, true), [type]);
  const settingFields = useMemo(() => fieldsOf(type.settingsSchema, false), [type]);
  const [name, setName] = useState('');
  const [credentials, setCredentials] = useState<FieldValues>(() => initialValues(credentialFields));
  const [settings, setSettings] = useState<FieldValues>(() => initialValues(settingFields));
  const errors = fieldErrors(create.error);

  function submit(e: FormEvent) {
    e.preventDefault();
    create.mutate(
      { type: type.type, name, credentials: toPayload(credentialFields, credentials), settings: toPayload(settingFields, settings) },
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
      {credentialFields.length > 0 && (
        <fieldset>
          <legend>{t('channels.credentials')}</legend>
          <SchemaFields
            fields={credentialFields}
            values={credentials}
            onChange={(k, v) => setCredentials((c) => ({ ...c, [k]: v }))}
            idPrefix="connect-credentials"
            errors={errors.credentials}
            generated={type.generatedCredentials}
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
            idPrefix="connect-settings"
            errors={errors.settings}
          />
        </fieldset>
      )}
      <p className="muted">{t('channels.requiredNote')}</p>
      {create.error && (
        <div role="alert" className="error">
          <p>{create.error.message}</p>
          {errors.general.length > 0 && (
            <ul>
              {errors.general.map((m) => (
                <li key={m}>{m}</li>
              ))}
            </ul>
          )}
        </div>
      )}
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

/** The server's field-level refusals by form and field; what names no field (an unknown key) is general. */
export function fieldErrors(error: ApiError | null) {
  const out = { credentials: {} as Record<string, string>, settings: {} as Record<string, string>, general: [] as string[] };
  for (const { path, message } of error?.fields ?? []) {
    const [form, key] = path.split('.');
    if ((form === 'credentials' || form === 'settings') && key) out[form][key] = message;
    else out.general.push(path ? `${path}: ${message}` : message);
  }
  return out;
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
