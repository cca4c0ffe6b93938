import { createHash } from 'node:crypto';
import type { InboundEvent, InboundSender, InboundThread } from '../../connectors/contract';

/**
 * Makes one inbound event fit PostgreSQL, so that a message Parley acknowledged is stored rather than failing
 * its job over and over:
 * - PostgreSQL refuses U+0000 in text and jsonb, and lone UTF-16 surrogates in jsonb: NULs are removed from every
 *   string (object keys too), and a lone surrogate becomes U+FFFD (what writing it as UTF-8 would do anyway).
 * - a field longer than its column (migrations/1763900000000-initial-schema.ts) is cut to fit, ending in '…'.
 *   An id is cut too, but ends in a hash of the whole, so two long ids never become one (the dedupe key).
 * Everything else, every script and every emoji, is left exactly as it came.
 *
 * The one place for this is the store (InboundService.store), not each connector nor the webhook route: every
 * path goes through it (webhooks, WhatsApp Web sessions, replays, jobs queued before an upgrade), and only there
 * is the stored message known, so its original is kept beside it in the same transaction.
 */
export interface SanitizedEvent {
  event: InboundEvent;
  /** What was changed, one line per field (`sender.displayName: cut from 1000 to 300 characters`). Empty: nothing. */
  changes: string[];
}

/** Column lengths, in characters (PostgreSQL's varchar(n) counts characters: code points). */
export const LIMITS = {
  messageExternalId: 300,
  threadExternalId: 200,
  identityExternalId: 200,
  displayName: 300,
  username: 200,
  title: 300,
  platformKind: 64,
} as const;

/**
 * Deeper than this, a value is not something a customer wrote: the event is refused (kept as a dead letter).
 * Above the webhook body's own limit (json-depth.ts), so that an event accepted at the door is never refused here.
 */
export const MAX_DEPTH = 512;

export class TooDeeplyNestedError extends Error {
  constructor() {
    super(`event nested deeper than ${MAX_DEPTH} levels`);
    this.name = 'TooDeeplyNestedError';
  }
}

export const CUT_MARK = '…';

export function sanitizeEvent(original: InboundEvent): SanitizedEvent {
  const changes: string[] = [];
  const event = cleanValue(original, '', 0, changes) as InboundEvent;
  const cut = (path: string, value: string | undefined, limit: number, asId = false): string | undefined => {
    if (value === undefined) return undefined;
    const fitted = asId ? fitId(value, limit) : fitText(value, limit);
    if (fitted !== value) changes.push(`${path}: cut from ${codePoints(value)} to ${limit} characters`);
    return fitted;
  };
  const sender = (s: InboundSender): InboundSender =>
    defined({
      ...s,
      externalId: cut('sender.externalId', s.externalId, LIMITS.identityExternalId, true)!,
      displayName: cut('sender.displayName', s.displayName, LIMITS.displayName),
      username: cut('sender.username', s.username, LIMITS.username),
    });
  const thread = (t: InboundThread): InboundThread =>
    defined({ ...t, externalId: cut('thread.externalId', t.externalId, LIMITS.threadExternalId, true)!, title: cut('thread.title', t.title, LIMITS.title) });

  switch (event.type) {
    case 'message':
      return {
        event: defined({
          ...event,
          externalId: cut('externalId', event.externalId, LIMITS.messageExternalId, true)!,
          thread: thread(event.thread),
          sender: sender(event.sender),
          replyToExternalId: cut('replyToExternalId', event.replyToExternalId, LIMITS.messageExternalId, true),
          platformKind: cut('platformKind', event.platformKind, LIMITS.platformKind)!,
        }),
        changes,
      };
    case 'edit':
      return {
        event: {
          ...event,
          externalId: cut('externalId', event.externalId, LIMITS.messageExternalId, true)!,
          thread: thread(event.thread),
          sender: sender(event.sender),
          platformKind: cut('platformKind', event.platformKind, LIMITS.platformKind)!,
        },
        changes,
      };
    case 'status':
      return {
        event: defined({
          ...event,
          platformMessageId: cut('platformMessageId', event.platformMessageId, LIMITS.messageExternalId, true)!,
          threadExternalId: cut('threadExternalId', event.threadExternalId, LIMITS.threadExternalId, true),
        }),
        changes,
      };
    case 'subscription':
      return { event: { ...event, sender: sender(event.sender) }, changes };
    case 'ignored':
      return { event, changes };
  }
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** A string PostgreSQL accepts, in text and in jsonb. */
export function cleanString(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/\u0000/g, '').replace(LONE_SURROGATE, '\uFFFD');
}

function cleanValue(value: unknown, path: string, depth: number, changes: string[]): unknown {
  if (depth > MAX_DEPTH) throw new TooDeeplyNestedError();
  if (typeof value === 'string') {
    const cleaned = cleanString(value);
    if (cleaned !== value) changes.push(`${path || '(value)'}: ${describe(value)}`);
    return cleaned;
  }
  if (Array.isArray(value)) return value.map((v, i) => cleanValue(v, `${path}[${i}]`, depth + 1, changes));
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    const k = cleanString(key);
    const at = path ? `${path}.${k}` : k;
    if (k !== key) changes.push(`${at}: ${describe(key)} (in the key)`);
    out[k] = cleanValue(v, at, depth + 1, changes);
  }
  return out;
}

function describe(s: string): string {
  const removed = s.includes('\u0000') ? ['NUL bytes removed'] : [];
  // eslint-disable-next-line no-control-regex
  const replaced = LONE_SURROGATE.test(s.replace(/\u0000/g, '')) ? ['lone surrogates replaced by U+FFFD'] : [];
  LONE_SURROGATE.lastIndex = 0;
  return [...removed, ...replaced].join(', ');
}

function codePoints(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/** At most `limit` characters: the first ones and '…'. Cut between code points, never inside a surrogate pair. */
export function fitText(s: string, limit: number): string {
  if (s.length <= limit) return s;
  const chars = Array.from(s);
  if (chars.length <= limit) return s;
  return chars.slice(0, limit - 1).join('') + CUT_MARK;
}

/** An id of at most `limit` characters, still unique: the first ones, '…', and 16 hex digits of the whole's hash. */
export function fitId(s: string, limit: number): string {
  if (s.length <= limit) return s;
  const chars = Array.from(s);
  if (chars.length <= limit) return s;
  const hash = createHash('sha256').update(s).digest('hex').slice(0, 16);
  return chars.slice(0, limit - 1 - hash.length).join('') + CUT_MARK + hash;
}

/** Drops keys whose value is undefined, so a cleaned event equals one that never had them. */
function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
