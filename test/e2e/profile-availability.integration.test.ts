import { join } from 'node:path';
import type { ApiClient, TestParley } from '../support/parley';
import { createAgent } from '../support/test-app';
import { startWebApp, useBrowser } from './app-fixture';
import { logInThroughPage } from './browser';

/**
 * An admin sets an agent's availability: the agent's open app shows it in the profile menu at once, without
 * reloading (the socket's `agent.updated` replaces the cached /me).
 */
const SCREENSHOTS = join(__dirname, '../../docs/screenshots');
const UI_TIMEOUT = 15_000;
const jadwiga = { email: 'jadwiga@parley.test', name: 'Jadwiga Łęcka-Ňovák', password: 'dostępność-Ґ-2025' };

let app: TestParley;
let admin: ApiClient;
const ui = useBrowser({ timeoutMs: UI_TIMEOUT });

beforeAll(async () => {
  ({ app, admin } = await startWebApp());
}, 120_000);

afterAll(async () => {
  await app?.stop();
});

test("an admin's change of an agent's availability shows in the agent's profile menu without reloading", async () => {
  const { id } = await createAgent(app, admin, jadwiga);
  const page = ui.page;
  await logInThroughPage(page, app.url, jadwiga);
  const menu = (availability: string) => page.getByRole('button', { name: `Profile menu of ${jadwiga.name} (${availability})` });
  await menu('Offline').waitFor();
  let reloads = 0;
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame()) reloads++;
  });

  expect((await admin.patch(`/api/v1/agents/${id}`, { availability: 'busy' })).status).toBe(200);
  await menu('Away').waitFor();
  await menu('Away').click();
  const away = page.getByRole('group', { name: 'My profile' }).getByRole('radio', { name: 'Away' });
  await away.waitFor();
  expect(await away.isChecked()).toBe(true);
  await page.screenshot({ path: join(SCREENSHOTS, 'profile-availability.png') });

  // Back to offline (unavailable either way, still shown), with the menu open.
  expect((await admin.patch(`/api/v1/agents/${id}`, { availability: 'offline' })).status).toBe(200);
  await menu('Offline').waitFor();
  expect(await page.getByRole('group', { name: 'My profile' }).getByRole('radio', { name: 'Offline' }).isChecked()).toBe(true);
  expect(reloads).toBe(0);
  expect(ui.browser.pageErrors).toEqual([]);
}, 90_000);
