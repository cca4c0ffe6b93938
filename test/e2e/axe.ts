import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';

const AXE = require.resolve('axe-core/axe.min.js');

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[] }>;
}

/**
 * Runs axe-core in the page and fails, listing them, on any serious or critical violation. The app's CSP
 * (script-src 'self') refuses the inline <script> addScriptTag writes; the DevTools protocol's evaluation is
 * not subject to it, so the same file is evaluated instead: the page keeps its real CSP while it is checked.
 */
export async function expectNoSeriousViolations(page: Page): Promise<void> {
  if (!(await page.evaluate('typeof window.axe !== "undefined"'))) {
    await page.addScriptTag({ path: AXE }).catch(() => page.evaluate(readFileSync(AXE, 'utf8')));
  }
  const violations = await page.evaluate<Violation[]>(`axe.run(document).then((r) => r.violations)`);
  const serious = violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  expect(serious).toEqual([]);
}
