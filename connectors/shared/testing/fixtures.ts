import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * Reads a connector's fixtures/SOURCES.md: for each fixture file, the "Expected" line a correct parser must
 * match (see the top of SOURCES.md for what each key means). Tests are table-driven from this, so a fixture
 * added with its expectation is tested without writing a new test.
 */
export interface FixtureCase {
  /** Path relative to the fixtures directory, e.g. `message_objects/x.json`. */
  file: string;
  raw: Buffer;
  expected: Record<string, unknown>;
  notes: string;
}

export function loadFixtureCases(fixturesDir: string): FixtureCase[] {
  const sources = readFileSync(join(fixturesDir, 'SOURCES.md'), 'utf8');
  const sections = new Map<string, { expected: Record<string, unknown>; notes: string }>();
  for (const section of sources.split(/^### /m).slice(1)) {
    const file = /^`([^`]+)`/.exec(section)?.[1];
    const line = /^- \*\*Expected:\*\* (.*)$/m.exec(section)?.[1];
    if (!file || !line) continue;
    const notes = /^- \*\*Notes:\*\* (.*)$/m.exec(section)?.[1] ?? '';
    sections.set(file, { expected: parseExpectedLine(line), notes });
  }
  const files = listJson(fixturesDir).map((p) => relative(fixturesDir, p));
  return files.map((file) => {
    const section = sections.get(file);
    if (!section) throw new Error(`fixture ${file} has no Expected line in SOURCES.md`);
    return { file, raw: readFileSync(join(fixturesDir, file)), ...section };
  });
}

function listJson(dir: string): string[] {
  return readdirSync(dir)
    .flatMap((name) => {
      const p = join(dir, name);
      return statSync(p).isDirectory() ? listJson(p) : name.endsWith('.json') ? [p] : [];
    })
    .sort();
}

/** `kind="message"; sender_id=3527065; text=null; timestamp=1493845244 (2017-…Z); entities=["url"]` → object. */
export function parseExpectedLine(line: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const part of splitTopLevel(line)) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim();
    let value = part.slice(eq + 1).trim();
    // A human-readable time follows some timestamps: `1493845244 (2017-05-03T21:00:44Z)`.
    value = value.replace(/ \([^()]*\)$/, '');
    try {
      out[key] = JSON.parse(value);
    } catch {
      out[key] = value;
    }
  }
  return out;
}

function splitTopLevel(line: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let inString = false;
  let current = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (inString) {
      if (c === '\\') {
        current += c + line[++i];
        continue;
      }
      if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '[' || c === '{') depth++;
    else if (c === ']' || c === '}') depth--;
    else if (c === ';' && depth === 0) {
      parts.push(current);
      current = '';
      continue;
    }
    current += c;
  }
  if (current.trim()) parts.push(current);
  return parts;
}
