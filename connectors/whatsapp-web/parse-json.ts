/** Small readers for loosely shaped JSON (whatsapp-web.js and WAHA payloads vary by version and engine). */
export type Json = Record<string, unknown>;

export function asObject(v: unknown): Json | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : undefined;
}

/** A non-empty string, else undefined. */
export function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v : undefined;
}

/** A finite number (also from a numeric string: WAHA and older versions vary). */
export function num(v: unknown): number | undefined {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
}

/** A WhatsApp id (`<user>@<server>`), given as a string or as a wid object `{server, user, _serialized}`. */
export function jid(v: unknown): string | undefined {
  if (typeof v === 'string') return v.includes('@') ? v : undefined;
  const obj = asObject(v);
  if (!obj) return undefined;
  return str(obj._serialized) ?? (str(obj.user) && str(obj.server) ? `${obj.user}@${obj.server}` : undefined);
}

export interface MessageId {
  /** `<fromMe>_<chat>_<id>[_<participant>]`: unique per account, the dedupe key. */
  serialized: string;
  fromMe?: boolean;
  remote?: string;
  participant?: string;
}

/** A message id as whatsapp-web.js gives it (an object) or as WAHA gives it (the serialised string). */
export function messageId(v: unknown): MessageId | undefined {
  if (typeof v === 'string') return v ? { serialized: v, ...fromSerialized(v) } : undefined;
  const obj = asObject(v);
  const serialized = str(obj?._serialized);
  if (!obj || !serialized) return undefined;
  const parsed = fromSerialized(serialized);
  return {
    serialized,
    fromMe: typeof obj.fromMe === 'boolean' ? obj.fromMe : parsed.fromMe,
    // `remote` is a string in most versions, a wid object in some (and in wechaty's fixtures).
    remote: jid(obj.remote) ?? parsed.remote,
    participant: jid(obj.participant) ?? parsed.participant,
  };
}

function fromSerialized(s: string): Omit<MessageId, 'serialized'> {
  const m = /^(true|false)_([^_\s]+@[^_\s]+)_([^_\s]+)(?:_([^_\s]+@[^_\s]+))?$/.exec(s);
  return m ? { fromMe: m[1] === 'true', remote: m[2], ...(m[4] ? { participant: m[4] } : {}) } : {};
}
