import { join } from 'node:path';
import { ADMIN, ApiClient, createIdleChannel, eventually, type TestParley } from '../support/parley';
import { postTelegramUpdate, telegramTextUpdate } from '../support/telegram-webhook';
import { startWebApp, useBrowser } from './app-fixture';
import { axeViolations } from './axe';
import { logInThroughPage, openBrowser } from './browser';

/**
 * Issue 7 and 8 in the browser: admins manage agents, their inboxes and teams; every agent has a profile menu
 * (availability, password, language); an agent sees only the conversations of their inboxes.
 */
const SCREENSHOTS = join(__dirname, '../../docs/screenshots');
const UI_TIMEOUT = 15_000;
const SECRET = 'people-test-webhook-secret';

let app: TestParley;
let admin: ApiClient;
const inboxes: Record<'wsparcie' | 'sprzedaz', { id: string; webhookPath: string }> = {} as never;
let updateId = 1;
const ui = useBrowser({ timeoutMs: UI_TIMEOUT });

const zofia = { email: 'zofia@parley.test', name: 'Zofia Łęcka-Öztürk', password: 'Początkowe-hasło-123' };

beforeAll(async () => {
  ({ app, admin } = await startWebApp());
  for (const [key, name] of [
    ['wsparcie', 'Wsparcie'],
    ['sprzedaz', 'Sprzedaż'],
  ] as const) {
    // Telegram accounts whose Bot API nobody answers once created: customers write through the webhook, nobody is answered.
    const channel = await createIdleChannel(admin, { webhookSecret: SECRET }, name);
    inboxes[key] = channel;
    // Manual pickup: an agent going online must not take the customers these tests look for in "Unassigned".
    expect((await admin.patch(`/api/v1/channels/${channel.id}/routing`, { strategy: 'manual' })).status).toBe(200);
  }
  await customerWrites('wsparcie', 7001, 'Halina', 'Dzień dobry, paczka nie dotarła 📦');
  await customerWrites('sprzedaz', 7002, 'Oleksandr', 'Скільки коштує доставка до Львова?');
}, 120_000);

afterAll(async () => {
  await app?.stop();
});

async function customerWrites(inbox: keyof typeof inboxes, chatId: number, firstName: string, text: string) {
  await postTelegramUpdate(`${app.url}${inboxes[inbox].webhookPath}`, SECRET, telegramTextUpdate(updateId++, { chatId, firstName, text }));
  await eventually(async () => (await admin.get(`/api/v1/conversations?channelId=${inboxes[inbox].id}`)).body.conversations.length > 0);
}

async function agentByEmail(email: string): Promise<any> {
  return (await admin.get('/api/v1/agents')).body.agents.find((a: any) => a.email === email);
}

const row = (name: string) => ui.page.locator('[data-conversation-id]', { hasText: name });
const agentRow = (name: string) => ui.page.locator('tr[data-agent-id]', { hasText: name });

async function openProfileMenu() {
  const button = ui.page.getByRole('button', { name: /Profile menu of/ });
  if ((await button.getAttribute('aria-expanded')) !== 'true') await button.click();
  await ui.page.getByRole('group', { name: 'My profile' }).waitFor();
}

test('an admin creates an agent who belongs to one inbox; the password is shown once', async () => {
  await logInThroughPage(ui.page, app.url, ADMIN, '/agents');
  await ui.page.getByRole('heading', { name: 'Agents' }).waitFor();
  await ui.page.getByRole('button', { name: 'New agent' }).click();
  const dialog = ui.page.getByRole('dialog', { name: 'New agent' });
  await dialog.getByLabel('Email').fill(zofia.email);
  await dialog.getByLabel('Name').fill(zofia.name);
  await dialog.getByLabel('Capacity').fill('4');
  await dialog.getByLabel('Initial password').fill(zofia.password);
  // Every inbox is ticked to begin with, as the server would do: Sprzedaż is not hers.
  expect(await dialog.getByRole('checkbox', { name: 'Wsparcie' }).isChecked()).toBe(true);
  await dialog.getByRole('checkbox', { name: 'Sprzedaż' }).uncheck();
  await dialog.getByRole('button', { name: 'Create' }).click();

  await ui.page
    .getByRole('status')
    .filter({ hasText: `The password of ${zofia.name}, shown this once` })
    .waitFor();
  expect(await ui.page.getByTestId('handed-password').textContent()).toBe(zofia.password);
  await agentRow(zofia.name).getByText('Wsparcie').waitFor();
  const created = await agentByEmail(zofia.email);
  expect(created).toMatchObject({ name: zofia.name, role: 'agent', capacity: 4, inboxIds: [inboxes.wsparcie.id], disabled: false });
  // Focus came back to the page, not lost in a closed dialog.
  expect(await ui.page.getByRole('dialog').count()).toBe(0);
  await ui.page.screenshot({ path: join(SCREENSHOTS, 'agents.png') });
  // The page's own content (the top bar is shared with the other screens).
  expect(await axeViolations(ui.page, { within: 'main.admin-page', wcagOnly: true, impacts: 'any' })).toEqual([]);
});

test('the agent sees only the conversations of her inbox, and sets herself away', async () => {
  await eventually(() => agentByEmail(zofia.email));
  await logInThroughPage(ui.page, app.url, zofia, '/?view=unassigned');
  await row('Halina').waitFor();
  expect(await row('Oleksandr').count()).toBe(0);
  // No admin pages for agents.
  expect(await ui.page.getByRole('link', { name: 'Agents' }).count()).toBe(0);

  await openProfileMenu();
  await ui.page.getByRole('radio', { name: 'Online' }).check();
  await eventually(async () => (await agentByEmail(zofia.email)).availability === 'online');
  await ui.page.getByRole('radio', { name: 'Away' }).check();
  await eventually(async () => (await agentByEmail(zofia.email)).availability === 'busy');
  expect(await ui.page.getByRole('radio', { name: 'Away' }).isChecked()).toBe(true);
  // Escape closes the menu and gives focus back to its button.
  await ui.page.keyboard.press('Escape');
  expect(await ui.page.getByRole('group', { name: 'My profile' }).count()).toBe(0);
  expect(await ui.page.evaluate('document.activeElement?.getAttribute("aria-expanded")')).toBe('false');
});

test('an admin moves the agent to the other inbox: her open inbox follows without a reload', async () => {
  // Her browser, open on her inbox.
  const hers = await openBrowser();
  try {
    hers.page.setDefaultTimeout(UI_TIMEOUT);
    const herRow = (name: string) => hers.page.locator('[data-conversation-id]', { hasText: name });
    await logInThroughPage(hers.page, app.url, zofia, '/?view=unassigned');
    await herRow('Halina').waitFor();
    await hers.page.locator('.conn-live').waitFor();

    await logInThroughPage(ui.page, app.url, ADMIN, '/agents');
    await agentRow(zofia.name)
      .getByRole('button', { name: `Edit ${zofia.name}` })
      .click();
    const dialog = ui.page.getByRole('dialog', { name: `Edit ${zofia.name}` });
    await dialog.getByRole('checkbox', { name: 'Sprzedaż' }).check();
    await dialog.getByRole('checkbox', { name: 'Wsparcie' }).uncheck();
    await dialog.getByRole('button', { name: 'Save' }).click();
    await agentRow(zofia.name).getByText('Sprzedaż').waitFor();
    expect((await agentByEmail(zofia.email)).inboxIds).toEqual([inboxes.sprzedaz.id]);

    // Her socket was re-roomed and told; the list is read again: the other inbox's customers, not Halina.
    await herRow('Oleksandr').waitFor();
    await herRow('Halina').waitFor({ state: 'detached' });
    await customerWrites('sprzedaz', 7003, 'Gergő', 'Jó napot, van raktáron?');
    await herRow('Gergő').waitFor();
    expect(hers.pageErrors).toEqual([]);
  } finally {
    await hers.close();
  }
});

test('an admin puts the agent in a team and resets her password', async () => {
  await logInThroughPage(ui.page, app.url, ADMIN, '/teams');
  await ui.page.getByLabel('Team name').fill('Obsługa klienta — Süd');
  await ui.page.getByRole('button', { name: 'Create team' }).click();
  await ui.page.getByRole('button', { name: 'Members of Obsługa klienta — Süd' }).click();
  const dialog = ui.page.getByRole('dialog', { name: 'Members of Obsługa klienta — Süd' });
  await dialog.getByRole('checkbox', { name: zofia.name }).check();
  await dialog.getByRole('button', { name: 'Save' }).click();
  await ui.page
    .getByRole('row', { name: /Obsługa klienta — Süd/ })
    .getByText(zofia.name)
    .waitFor();

  await ui.page.getByRole('link', { name: 'Agents' }).click();
  await agentRow(zofia.name).getByText('Obsługa klienta — Süd').waitFor();
  await agentRow(zofia.name)
    .getByRole('button', { name: `Reset the password of ${zofia.name}` })
    .click();
  const reset = ui.page.getByRole('dialog', { name: `Reset the password of ${zofia.name}` });
  await reset.getByRole('button', { name: 'Generate' }).click();
  const generated = await reset.getByLabel('New password').inputValue();
  expect(generated).toHaveLength(16);
  await reset.getByRole('button', { name: 'Reset password' }).click();
  expect(await ui.page.getByTestId('handed-password').textContent()).toBe(generated);
  expect((await new ApiClient(app.url).post('/api/v1/auth/login', { email: zofia.email, password: zofia.password })).status).toBe(401);
  expect((await new ApiClient(app.url).post('/api/v1/auth/login', { email: zofia.email, password: generated })).status).toBe(200);
  zofia.password = generated;
});

test('an agent changes her password (the current one required) and logs in with the new one', async () => {
  const next = 'Nowe hasło — żółw 🐢 2026';
  await logInThroughPage(ui.page, app.url, zofia);
  await ui.page.getByRole('button', { name: 'Log out' }).waitFor();
  await openProfileMenu();
  await ui.page.getByRole('button', { name: 'Change password' }).click();
  const dialog = ui.page.getByRole('dialog', { name: 'Change password' });
  // The dialog takes focus: its first field.
  expect(await ui.page.evaluate('document.activeElement?.getAttribute("autocomplete")')).toBe('current-password');

  await dialog.getByLabel('Current password').fill('not my password at all');
  await dialog.getByLabel('New password', { exact: true }).fill(next);
  await dialog.getByLabel('New password again').fill(next);
  await dialog.getByRole('button', { name: 'Change password' }).click();
  await dialog.getByRole('alert').filter({ hasText: 'The current password is wrong.' }).waitFor();

  await dialog.getByLabel('Current password').fill(zofia.password);
  await dialog.getByRole('button', { name: 'Change password' }).click();
  await dialog.getByRole('status').filter({ hasText: 'Your password is changed.' }).waitFor();
  await dialog.getByRole('button', { name: 'Done' }).click();

  await ui.page.getByRole('button', { name: 'Log out' }).click();
  await ui.page.getByRole('button', { name: 'Log in' }).waitFor();
  await logInThroughPage(ui.page, app.url, { email: zofia.email, password: zofia.password });
  await ui.page.getByRole('alert').filter({ hasText: 'Wrong email or password.' }).waitFor();
  await logInThroughPage(ui.page, app.url, { email: zofia.email, password: next });
  await ui.page.getByRole('button', { name: 'Log out' }).waitFor();
});

test('the profile menu switches the language', async () => {
  await logInThroughPage(ui.page, app.url, ADMIN);
  await openProfileMenu();
  await ui.page.getByLabel('Language').selectOption('pl');
  await ui.page.getByRole('link', { name: 'Agenci' }).waitFor();
  await ui.page.getByRole('group', { name: 'Mój profil' }).getByRole('radio', { name: 'Zaraz wracam' }).waitFor();
});
