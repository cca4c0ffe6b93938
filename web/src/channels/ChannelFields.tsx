import { useMemo, useState } from 'react';
import { useI18n } from '../i18n/i18n';
import { fieldsOf, initialValues, type FieldValues } from './schema-fields';
import { SchemaFields } from './SchemaFields';
import type { ApiError, ChannelType } from './useChannelAdmin';

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

/** A channel type's two forms, credentials and settings, as fields and their values: connecting starts empty, editing from the stored settings. */
export function useChannelFields(type: ChannelType, storedSettings?: Record<string, unknown>) {
  const credentialFields = useMemo(() => fieldsOf(type.credentialsSchema, true), [type]);
  const settingFields = useMemo(() => fieldsOf(type.settingsSchema, false), [type]);
  const [credentials, setCredentials] = useState<FieldValues>(() => initialValues(credentialFields));
  const [settings, setSettings] = useState<FieldValues>(() => initialValues(settingFields, storedSettings));
  return {
    credentialFields,
    settingFields,
    credentials,
    settings,
    setCredential: (key: string, value: string | boolean) => setCredentials((c) => ({ ...c, [key]: value })),
    setSetting: (key: string, value: string | boolean) => setSettings((s) => ({ ...s, [key]: value })),
  };
}

/**
 * The credentials and settings fieldsets, each field with the server's refusal beside it. Editing (`edit`) asks for
 * new credentials only: an empty secret keeps the stored one.
 */
export function ChannelFields({
  form,
  mode,
  error,
  generated,
}: {
  form: ReturnType<typeof useChannelFields>;
  mode: 'connect' | 'edit';
  error: ApiError | null;
  generated?: string[];
}) {
  const { t } = useI18n();
  const errors = fieldErrors(error);
  return (
    <>
      {form.credentialFields.length > 0 && (
        <fieldset>
          <legend>{t(mode === 'edit' ? 'channels.newCredentials' : 'channels.credentials')}</legend>
          <SchemaFields
            fields={form.credentialFields}
            values={form.credentials}
            onChange={form.setCredential}
            idPrefix={`${mode}-credentials`}
            errors={errors.credentials}
            generated={generated}
            keepWhenEmpty={mode === 'edit'}
          />
        </fieldset>
      )}
      {form.settingFields.length > 0 && (
        <fieldset>
          <legend>{t('channels.settings')}</legend>
          <SchemaFields fields={form.settingFields} values={form.settings} onChange={form.setSetting} idPrefix={`${mode}-settings`} errors={errors.settings} />
        </fieldset>
      )}
    </>
  );
}

/** Why the platform or the server refused, in its words, with what names no field. */
export function ChannelFormError({ error }: { error: ApiError | null }) {
  if (!error) return null;
  const { general } = fieldErrors(error);
  return (
    <div role="alert" className="error">
      <p>{error.message}</p>
      {general.length > 0 && (
        <ul>
          {general.map((m) => (
            <li key={m}>{m}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
