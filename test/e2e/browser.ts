import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { findWebAppDir } from '../../src/http/web-app';

/** Debian's Chromium (scripts/test.sh installs it when missing): no browser download. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
];

/** The app the server serves must be built: scripts/test.sh builds it; a lone `npx jest` run builds it once. */
export function ensureWebAppBuilt(): void {
  if (findWebAppDir()) return;
  const root = resolve(__dirname, '../..');
  const built = spawnSync('npx', ['vite', 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
  if (built.status !== 0 || !findWebAppDir()) throw new Error('could not build the web app: run `npm run build:web`');
}

export interface Browser {
  context: BrowserContext;
  page: Page;
  /** Dialogs (alert, confirm) the page opened: an XSS would show here. */
  dialogs: string[];
  /** Errors thrown in the page. */
  pageErrors: string[];
  close(): Promise<void>;
}

/** A fresh Chromium with a fresh profile, 1280x800, in the language given. */
export async function openBrowser(locale = 'en-GB'): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'parley-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    args: ARGS,
    headless: true,
    viewport: { width: 1280, height: 800 },
    locale,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const dialogs: string[] = [];
  const pageErrors: string[] = [];
  context.on('dialog', (d) => {
    dialogs.push(`${d.type()}: ${d.message()}`);
    void d.dismiss();
  });
  page.on('pageerror', (e) => pageErrors.push(`${e.message}\n${e.stack ?? ''}`));
  return {
    context,
    page,
    dialogs,
    pageErrors,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Logs in through the login page (the app returns to `path` afterwards). Shared by every browser test file. */
export async function logInThroughPage(page: Page, baseUrl: string, who: { email: string; password: string }, path = '/'): Promise<void> {
  await page.goto(`${baseUrl}${path}`);
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Log in' }).click();
}
