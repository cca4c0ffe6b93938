import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';

/** axe-core's browser build, read once. */
let axeSource: string | undefined;

interface Finding {
  id: string;
  impact: string;
  help: string;
  nodes: string[];
}

/**
 * Runs axe-core on what the page shows now and fails on any serious or critical violation, naming the rule and
 * the elements. Injected through page.addScriptTag; the app's CSP (script-src 'self') refuses an inline script,
 * so where it does, the same source is evaluated over the DevTools protocol, which the CSP does not govern.
 */
export async function expectNoSeriousViolations(page: Page): Promise<void> {
  axeSource ??= readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  await page.addScriptTag({ content: axeSource }).catch(() => undefined);
  if (!(await page.evaluate('typeof window.axe !== "undefined"'))) await page.evaluate(axeSource);
  const findings = await page.evaluate<Finding[]>(`
    window.axe.run(document, { resultTypes: ['violations'] }).then((r) =>
      r.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')) })),
    )`);
  expect(findings).toEqual([]);
}
