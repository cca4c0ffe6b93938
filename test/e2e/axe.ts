import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';

const AXE = require.resolve('axe-core/axe.min.js');

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[] }>;
}

export interface AxeScope {
  /** A CSS selector: only that part of the page (e.g. `main`, an open dialog). Default: the whole document. */
  within?: string;
  /** Only the WCAG 2 A and AA rules, rather than every rule axe has. */
  wcagOnly?: boolean;
  /** Which findings count: only serious and critical ones (default), or any. */
  impacts?: 'serious' | 'any';
}

/**
 * axe-core's findings in the page, one line each (rule, what it asks, where). The app's CSP (script-src 'self')
 * refuses the inline <script> addScriptTag writes; the DevTools protocol's evaluation is not subject to it, so
 * the same file is evaluated instead: the page keeps its real CSP while it is checked.
 */
export async function axeViolations(page: Page, scope: AxeScope = {}): Promise<string[]> {
  if (!(await page.evaluate('typeof window.axe !== "undefined"'))) {
    await page.addScriptTag({ path: AXE }).catch(() => page.evaluate(readFileSync(AXE, 'utf8')));
  }
  const context = scope.within ? `document.querySelector(${JSON.stringify(scope.within)})` : 'document';
  const options = scope.wcagOnly ? `{ runOnly: ['wcag2a', 'wcag2aa'] }` : '{}';
  const violations = await page.evaluate<Violation[]>(`axe.run(${context}, ${options}).then((r) => r.violations)`);
  return violations
    .filter((v) => scope.impacts === 'any' || v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

/** Fails, listing them, on any serious or critical violation in the whole page. */
export async function expectNoSeriousViolations(page: Page): Promise<void> {
  expect(await axeViolations(page)).toEqual([]);
}
