import type { ParleyOptions } from '../../src/app/parley';
import { ApiClient, startTestParley, type TestParley } from '../support/parley';
import { ensureWebAppBuilt, openBrowser, type Browser } from './browser';

/**
 * What every browser test file sets up, written once: the server with the built app and an admin, and a fresh
 * Chromium per test that fails the test on anything the page should never do.
 */

/** The web app built (once per run), the real server started for this file, and the admin logged in. */
export async function startWebApp(env: Record<string, string> = {}, options?: ParleyOptions): Promise<{ app: TestParley; admin: ApiClient }> {
  ensureWebAppBuilt();
  const app = await startTestParley(env, options);
  return { app, admin: await ApiClient.login(app.url) };
}

export interface BrowserFixture {
  /** The current test's Chromium (context, dialogs, page errors). */
  readonly browser: Browser;
  /** The current test's page. */
  readonly page: Browser['page'];
}

/**
 * Registers, in the calling file, a fresh Chromium before each test (a fresh profile: no session leaks from one
 * test to the next) and its close after, where the test fails on an error thrown in the page or a dialog it
 * opened (the app opens none: one would be an injected alert). Read `page` inside tests and hooks, not at load.
 */
export function useBrowser(options: { timeoutMs?: number; locale?: string } = {}): BrowserFixture {
  let current: Browser | undefined;
  beforeEach(async () => {
    current = await openBrowser(options.locale);
    if (options.timeoutMs) current.page.setDefaultTimeout(options.timeoutMs);
  });
  afterEach(async () => {
    const closing = current;
    current = undefined;
    if (!closing) return;
    await closing.close();
    expect(closing.pageErrors).toEqual([]);
    expect(closing.dialogs).toEqual([]);
  });
  const open = (): Browser => {
    if (!current) throw new Error('no browser: use it inside a test or a hook after useBrowser()');
    return current;
  };
  return {
    get browser() {
      return open();
    },
    get page() {
      return open().page;
    },
  };
}
