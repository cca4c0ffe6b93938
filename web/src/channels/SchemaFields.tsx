import { useI18n } from '../i18n/i18n';
import type { Field, FieldValues } from './schema-fields';

interface Props {
  fields: Field[];
  values: FieldValues;
  onChange(key: string, value: string | boolean): void;
  /** Unique per form: ids of inputs and their help texts. */
  idPrefix: string;
  /** The server's words for each field (`credentials.botToken` → message), under the field. */
  errors?: Record<string, string>;
  /** Editing secrets: nothing is required, and an empty field keeps the stored value. */
  keepWhenEmpty?: boolean;
  /** Credentials Parley generates when they are left empty. */
  generated?: string[];
}

/** One labelled control per field, its description as help text, the server's refusal beside it. */
export function SchemaFields({ fields, values, onChange, idPrefix, errors = {}, keepWhenEmpty = false, generated = [] }: Props) {
  const { t } = useI18n();
  return (
    <>
      {fields.map((f) => {
        const id = `${idPrefix}-${f.key}`;
        const required = f.required && !keepWhenEmpty;
        const help = [f.help, keepWhenEmpty && f.kind === 'secret' ? t('channels.keepSecret') : undefined].filter(Boolean).join(' ');
        const error = errors[f.key];
        const describedBy = [help ? `${id}-help` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
        const common = { id, name: f.key, 'aria-describedby': describedBy, 'aria-invalid': error ? true : undefined };
        const value = values[f.key];
        let control;
        if (f.kind === 'boolean') {
          control = <input {...common} type="checkbox" checked={value === true} onChange={(e) => onChange(f.key, e.target.checked)} />;
        } else if (f.kind === 'enum') {
          control = (
            <select {...common} required={required} value={String(value ?? '')} onChange={(e) => onChange(f.key, e.target.value)}>
              {!required && <option value="">—</option>}
              {f.options!.map((o) => (
                <option key={o} value={o}>
                  {o}
                </option>
              ))}
            </select>
          );
        } else if (f.kind === 'list') {
          control = <textarea {...common} rows={3} value={String(value ?? '')} onChange={(e) => onChange(f.key, e.target.value)} />;
        } else {
          const type = f.kind === 'secret' ? 'password' : f.kind === 'number' ? 'number' : f.kind === 'url' ? 'url' : 'text';
          control = (
            <input
              {...common}
              type={type}
              required={required}
              min={f.min}
              max={f.max}
              autoComplete={f.kind === 'secret' ? 'new-password' : 'off'}
              spellCheck={false}
              placeholder={generated.includes(f.key) ? t('channels.generatedPlaceholder') : undefined}
              value={String(value ?? '')}
              onChange={(e) => onChange(f.key, e.target.value)}
            />
          );
        }
        return (
          <div key={f.key} className={`field field-${f.kind}`}>
            <label htmlFor={id}>
              {f.label}
              {required && (
                <span className="required" aria-hidden="true">
                  {' '}
                  *
                </span>
              )}
            </label>
            {control}
            {help && (
              <p id={`${id}-help`} className="help">
                {help}
              </p>
            )}
            {error && (
              <p id={`${id}-error`} className="error">
                {error}
              </p>
            )}
          </div>
        );
      })}
    </>
  );
}
