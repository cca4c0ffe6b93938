/**
 * A small, deterministic fuzzer for connector parsers: real fixtures, mutated the ways hostile or broken senders
 * mutate them (wrong types, missing fields, huge and deeply nested values, NUL bytes, lone surrogates, RTL
 * overrides, very long strings, broken bytes). Same seed, same cases: a failure found in CI is found again.
 */

/** mulberry32: a tiny 32-bit PRNG, plenty for choosing mutations. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class Rng {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Path = Array<string | number>;

/** Replaced in the serialised text by a value JSON.stringify could not write (or would take long to build). */
const RAW = '\u0001__RAW__\u0001';

/** Strings hostile senders send. */
const NASTY_STRINGS = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udfffy',
  '\u202eevil\u202c',
  '\u200f\u200e\u2066\u2069',
  '👨‍👩‍👧‍👦🏳️‍🌈',
  'Zażółć gęślą jaźń Ґанок їжак Árvíztűrő Čšž',
  '<script>alert(1)</script>',
  '${jndi:ldap://x}',
  '__proto__',
  'constructor',
  '1e309',
  '-1',
  'NaN',
  '9007199254740993',
  '2026-13-45T99:99:99Z',
  '\n\r\t\b\f',
  '\\',
  '"',
];

const NASTY_NUMBERS = [0, -1, 1.5, -0, 1e308, -1e308, 2 ** 53 + 2, 2 ** 62, 1e-300, 2147483648];

function nastyValue(rng: Rng): Json | typeof RAW {
  switch (rng.int(9)) {
    case 0:
      return rng.pick(NASTY_STRINGS);
    case 1:
      return rng.pick(NASTY_NUMBERS);
    case 2:
      return rng.pick([true, false, null]);
    case 3:
      return [];
    case 4:
      return {};
    case 5:
      return rng.pick(['x', 'Ł', '😀', '\u0000', '\ud800']).repeat(rng.pick([300, 1001, 5000, 100_000]));
    case 6:
      return [rng.pick(NASTY_STRINGS), rng.pick(NASTY_NUMBERS), null, {}];
    case 7:
      // Own keys named like Object.prototype's (JSON.parse makes them own properties, as a hostile body would).
      return JSON.parse('{"__proto__":{"polluted":true},"constructor":"x","toString":1,"hasOwnProperty":null}');
    default:
      return RAW;
  }
}

/** Every path in the value (objects' keys, arrays' indexes), breadth-first, at most `max`. */
function paths(root: Json, max = 2000): Path[] {
  const out: Path[] = [];
  const queue: Array<{ value: Json; path: Path }> = [{ value: root, path: [] }];
  while (queue.length && out.length < max) {
    const { value, path } = queue.shift()!;
    out.push(path);
    if (Array.isArray(value)) value.forEach((v, i) => queue.push({ value: v, path: [...path, i] }));
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) queue.push({ value: v, path: [...path, k] });
  }
  return out;
}

function getAt(root: Json, path: Path): Json {
  return path.reduce<Json>((v, k) => (v as any)[k], root);
}

function setAt(root: Json, path: Path, value: Json | undefined): Json {
  if (path.length === 0) return value === undefined ? null : value;
  const parent = getAt(root, path.slice(0, -1)) as any;
  const key = path[path.length - 1];
  if (value === undefined) {
    if (Array.isArray(parent)) parent.splice(key as number, 1);
    else delete parent[key];
  } else parent[key] = value;
  return root;
}

/** One mutated copy of a fixture: bytes to hand the parser, and what was done (for a failure's message). */
export function mutate(fixture: Buffer, rng: Rng): { body: Buffer; description: string[] } {
  const description: string[] = [];
  let value: Json;
  try {
    value = JSON.parse(fixture.toString('utf8'));
  } catch {
    return { body: fixture, description: ['fixture is not JSON'] };
  }
  let raw: string | undefined;
  const mutations = 1 + rng.int(3);
  for (let i = 0; i < mutations; i++) {
    const all = paths(value);
    const path = rng.pick(all);
    const at = path.join('.') || '(root)';
    const op = rng.int(10);
    if (op <= 1 && path.length) {
      value = setAt(value, path, undefined);
      description.push(`delete ${at}`);
    } else if (op <= 6) {
      const v = nastyValue(rng);
      if (v === RAW) {
        const depth = rng.pick([300, 5_000, 50_000]);
        raw = `${'['.repeat(depth)}${']'.repeat(depth)}`;
        value = setAt(value, path, RAW);
        description.push(`${at} = ${depth}-deep array`);
      } else {
        value = setAt(value, path, v);
        description.push(`${at} = ${JSON.stringify(v).slice(0, 40)}`);
      }
    } else if (op === 7) {
      const current = getAt(value, path);
      if (typeof current === 'string') {
        const insert = rng.pick(['\u0000', '\ud83d', '\u202e', '\udc00', '\uffff', '\u2028']);
        const pos = rng.int(current.length + 1);
        value = setAt(value, path, current.slice(0, pos) + insert + current.slice(pos));
        description.push(`${at}: inserted U+${insert.charCodeAt(0).toString(16)}`);
      } else if (typeof current === 'number') {
        value = setAt(value, path, String(current));
        description.push(`${at}: number as string`);
      } else {
        value = setAt(value, path, [current]);
        description.push(`${at}: wrapped in an array`);
      }
    } else if (op === 8) {
      const current = getAt(value, path);
      if (current && typeof current === 'object' && !Array.isArray(current)) {
        const key = rng.pick(['__proto__', 'constructor', 'hasOwnProperty', 'toJSON', '']);
        Object.defineProperty(current, key, { value: rng.pick(NASTY_STRINGS), enumerable: true, writable: true, configurable: true });
        description.push(`${at}: added a prototype-named key`);
      } else {
        value = setAt(value, path, { value: current });
        description.push(`${at}: wrapped in an object`);
      }
    } else {
      description.push('raw bytes mangled');
      const text = serialise(value, raw);
      return { body: mangle(Buffer.from(text, 'utf8'), rng), description };
    }
  }
  return { body: Buffer.from(serialise(value, raw), 'utf8'), description };
}

function serialise(value: Json, raw: string | undefined): string {
  const text = JSON.stringify(value);
  return raw === undefined ? text : text.split(JSON.stringify(RAW)).join(raw);
}

/** Byte-level damage: truncation, a flipped byte, invalid UTF-8, a BOM. */
function mangle(body: Buffer, rng: Rng): Buffer {
  switch (rng.int(4)) {
    case 0:
      return body.subarray(0, rng.int(body.length));
    case 1: {
      const copy = Buffer.from(body);
      if (copy.length) copy[rng.int(copy.length)] ^= 1 << rng.int(8);
      return copy;
    }
    case 2: {
      const pos = rng.int(body.length + 1);
      return Buffer.concat([body.subarray(0, pos), Buffer.from([0xc3, 0x28, 0xff, 0xfe, 0xed, 0xa0, 0x80]), body.subarray(pos)]);
    }
    default:
      return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), body]);
  }
}
