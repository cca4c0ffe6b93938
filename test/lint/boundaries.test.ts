import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * The layout rules fail the build: ESLint, run on a small tree with the project's own boundary rules, reports
 * two folders of src/ that import each other (directly or through a third) and a connector importing src/.
 */
const root = resolve(__dirname, '../..');
let dir: string;

beforeEach(() => {
  // Inside the repository, so that the config resolves the project's node_modules.
  dir = mkdtempSync(join(root, '.lint-test-'));
  write(
    'eslint.config.mjs',
    `import tseslint from 'typescript-eslint';
import { boundaries } from ${JSON.stringify(join(root, 'eslint/boundaries.mjs'))};
export default [{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser } }, ...boundaries];`,
  );
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

function write(path: string, text: string) {
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  writeFileSync(join(dir, path), text);
}

function lint(): { ok: boolean; output: string } {
  try {
    return { ok: true, output: execFileSync(join(root, 'node_modules/.bin/eslint'), ['.'], { cwd: dir, encoding: 'utf8', stdio: 'pipe' }) };
  } catch (err) {
    return { ok: false, output: (err as { stdout: string }).stdout };
  }
}

test('a tree whose folders import one way only passes', () => {
  write('src/messages/a.ts', `import { b } from '../database/b';\nexport const a = b;\n`);
  write('src/database/b.ts', `export const b = 1;\n`);
  expect(lint()).toEqual({ ok: true, output: '' });
});

test('two folders importing each other fail, each import named with the way back', () => {
  write('src/messages/a.ts', `import { b } from '../conversations/b';\nexport const a = b;\n`);
  write('src/conversations/b.ts', `import { a } from '../messages/a';\nexport const b = () => a;\n`);
  const { ok, output } = lint();
  expect(ok).toBe(false);
  expect(output).toContain('messages imports conversations, which imports messages back: messages -> conversations -> messages');
  expect(output).toContain('conversations imports messages, which imports conversations back');
});

test('a cycle through a third folder fails too', () => {
  write('src/a/x.ts', `export * from '../b/y';\n`);
  write('src/b/y.ts', `import { z } from '../c/z';\nexport const y = z;\n`);
  write('src/c/z.ts', `import type { y } from '../a/x';\nexport const z = 1 as unknown as typeof y;\n`);
  const { ok, output } = lint();
  expect(ok).toBe(false);
  expect(output).toContain('a -> b -> c -> a');
});

test('a connector importing src/ fails', () => {
  write('connectors/echo/index.ts', `import { x } from '../../src/config/x';\nexport const y = x;\n`);
  write('src/config/x.ts', `export const x = 1;\n`);
  const { ok, output } = lint();
  expect(ok).toBe(false);
  expect(output).toContain('connectors/ must not import src/');
});
