/**
 * The connectors' configuration schemas (GET /channel-types: flat JSON Schema objects generated from their zod
 * schemas) as form fields. Only what those schemas use: strings (URLs, patterns, a union with ''), integers,
 * booleans, enums, lists of strings. Anything else is shown as text and left for the server to judge.
 */
export type FieldKind = 'text' | 'secret' | 'url' | 'number' | 'boolean' | 'enum' | 'list';

export interface Field {
  key: string;
  label: string;
  help?: string;
  kind: FieldKind;
  required: boolean;
  options?: string[];
  defaultValue?: unknown;
  min?: number;
  max?: number;
}

export type FieldValues = Record<string, string | boolean>;

type JsonSchema = {
  type?: string;
  title?: string;
  description?: string;
  format?: string;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  items?: JsonSchema;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  properties?: Record<string, JsonSchema>;
  required?: string[];
};

/** `botToken` → `Bot token`, for a field without a title. */
function humanize(key: string): string {
  const words = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** A union such as `'' | GUID` is the non-constant branch, with the union's own title and description. */
function flatten(schema: JsonSchema): JsonSchema {
  if (!schema.anyOf) return schema;
  const branch = schema.anyOf.find((s) => s.const === undefined) ?? schema.anyOf[0];
  return { ...branch, ...schema, anyOf: undefined };
}

/** Every credential is a secret: typed into password fields, never shown back. */
export function fieldsOf(schema: Record<string, unknown>, secret: boolean): Field[] {
  const s = schema as JsonSchema;
  const required = new Set(s.required ?? []);
  return Object.entries(s.properties ?? {}).map(([key, raw]) => {
    const p = flatten(raw);
    const base = { key, label: p.title ?? humanize(key), help: p.description, required: required.has(key), defaultValue: p.default };
    if (p.enum) return { ...base, kind: 'enum', options: p.enum.map(String) };
    if (p.type === 'boolean') return { ...base, kind: 'boolean' };
    if (p.type === 'integer' || p.type === 'number') return { ...base, kind: 'number', min: p.minimum, max: p.maximum };
    if (p.type === 'array') return { ...base, kind: 'list' };
    if (secret) return { ...base, kind: 'secret' };
    return { ...base, kind: p.format === 'uri' ? 'url' : 'text' };
  });
}

/** The form's starting values: the current ones (editing), else the defaults. Secrets always start empty. */
export function initialValues(fields: Field[], current: Record<string, unknown> = {}): FieldValues {
  const values: FieldValues = {};
  for (const f of fields) {
    const v = f.kind === 'secret' ? undefined : (current[f.key] ?? f.defaultValue);
    if (f.kind === 'boolean') values[f.key] = v === true;
    else if (f.kind === 'list') values[f.key] = Array.isArray(v) ? v.join('\n') : '';
    else values[f.key] = v === undefined || v === null ? '' : String(v);
  }
  return values;
}

/** What the API gets: empty fields are left out (the server applies its default, or keeps the stored secret). */
export function toPayload(fields: Field[], values: FieldValues): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    const v = values[f.key];
    if (f.kind === 'boolean') {
      out[f.key] = v === true;
      continue;
    }
    const text = typeof v === 'string' ? v : '';
    if (text.trim() === '') continue;
    if (f.kind === 'number') out[f.key] = Number(text);
    else if (f.kind === 'list')
      out[f.key] = text
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean);
    else out[f.key] = text;
  }
  return out;
}

/** The keys whose value differs from `current` (editing: unchanged settings are not sent, so not re-checked). */
export function changed(payload: Record<string, unknown>, current: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(payload).filter(([k, v]) => JSON.stringify(v) !== JSON.stringify(current[k])));
}
