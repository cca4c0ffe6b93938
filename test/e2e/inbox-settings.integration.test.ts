import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ADMIN, ApiClient, eventually, type TestParley } from '../support/parley';
import { TelegramInbox } from '../support/telegram-inbox';
import { startWebApp, useBrowser } from './app-fixture';
import { logInThroughPage } from './browser';

/**
 * The inbox settings (routing, working hours, messages) and the queue screen in a real browser, against the
 * real server, PostgreSQL and Redis, with Telegram faked on 127.0.0.1.
 */
const SCREENSHOTS = join(__dirname, '../../docs/screenshots');
const UI_TIMEOUT = 15_000;

let app: TestParley;
let admin: ApiClient;
let inbox: TelegramInbox;
const ui = useBrowser({ timeoutMs: UI_TIMEOUT });

beforeAll(async () => {
  ({ app, admin } = await startWebApp());
  inbox = await new TelegramInbox(app, admin).start('Sklep Żółw');
}, 120_000);

afterAll(async () => {
  await app?.stop();
  await inbox?.stop();
});

/**
 * axe-core's serious and critical findings in the page's main content (evaluated through the debugger, so the CSP
 * allows it). The shared top bar is left to the app's own browser test.
 */
async function accessibilityViolations(): Promise<string[]> {
  await ui.page.evaluate(readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8'));
  const violations: Array<{ id: string; impact: string; nodes: Array<{ target: string[] }> }> = await ui.page.evaluate(
    async () => (await (globalThis as unknown as { axe: { run(context: string): Promise<{ violations: any[] }> } }).axe.run('main')).violations,
  );
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

test('routing settings changed on the page are kept, after a reload and in the API', async () => {
  await logInThroughPage(ui.page, app.url, ADMIN, `/settings/inboxes/${inbox.id}`);
  await ui.page.getByRole('tab', { name: 'Routing' }).waitFor();
  await ui.page.getByLabel('How conversations are handed out').selectOption('least_busy');
  await ui.page.getByLabel('Maximum queue length').fill('5');
  await ui.page.getByLabel('Tell waiting customers their place in the queue').check();
  await ui.page.getByRole('button', { name: 'Save' }).click();
  await ui.page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();

  expect((await admin.get(`/api/v1/channels/${inbox.id}/routing`)).body.routing).toEqual({
    strategy: 'least_busy',
    teamId: null,
    maxQueueLength: 5,
    announceQueuePosition: true,
  });
  await ui.page.reload();
  await eventually(async () => (await ui.page.getByLabel('How conversations are handed out').inputValue()) === 'least_busy', UI_TIMEOUT);
  expect(await ui.page.getByLabel('Maximum queue length').inputValue()).toBe('5');
  expect(await ui.page.getByLabel('Tell waiting customers their place in the queue').isChecked()).toBe(true);
  expect(await accessibilityViolations()).toEqual([]);
});

test('working hours: a refused schedule says why; a holiday added on the page reaches the API', async () => {
  await logInThroughPage(ui.page, app.url, ADMIN, `/settings/inboxes/${inbox.id}?tab=hours`);
  await ui.page.getByRole('button', { name: 'Set working hours' }).click();
  await ui.page.getByLabel('Name', { exact: true }).fill('Biuro obsługi');
  await ui.page.getByLabel('Time zone').fill('Europe/Warsaw');
  // Monday closing before it opens: the server's 400 is shown with the field it names.
  await ui.page.getByLabel('Monday To').fill('08:00');
  await ui.page.getByRole('button', { name: 'Save' }).click();
  await ui.page.getByRole('alert').filter({ hasText: 'an interval closes after it opens' }).waitFor();
  await ui.page.getByLabel('Monday To').fill('17:00');
  // A lunch break on Friday, and no Saturday hours to remove yet: Sunday gets a short range.
  await ui.page.getByRole('button', { name: 'Add hours on Sunday' }).click();
  await ui.page.getByLabel('Sunday From').fill('10:00');
  await ui.page.getByLabel('Sunday To').fill('14:00');
  await ui.page.getByRole('button', { name: 'Add a holiday' }).click();
  await ui.page.getByLabel('Date').fill('2026-12-24');
  await ui.page.getByLabel('Holiday name').fill('Wigilia Bożego Narodzenia');
  await ui.page.getByRole('button', { name: 'Save' }).click();
  await ui.page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();

  const saved = (await admin.get(`/api/v1/channels/${inbox.id}/working-hours`)).body.workingHours;
  expect(saved).toMatchObject({
    name: 'Biuro obsługi',
    timeZone: 'Europe/Warsaw',
    holidays: [{ date: '2026-12-24', name: 'Wigilia Bożego Narodzenia' }],
  });
  expect(saved.weekly).toEqual({
    '1': [{ open: '09:00', close: '17:00' }],
    '2': [{ open: '09:00', close: '17:00' }],
    '3': [{ open: '09:00', close: '17:00' }],
    '4': [{ open: '09:00', close: '17:00' }],
    '5': [{ open: '09:00', close: '17:00' }],
    '7': [{ open: '10:00', close: '14:00' }],
  });
  await ui.page.reload();
  await eventually(async () => (await ui.page.getByLabel('Holiday name').inputValue()) === 'Wigilia Bożego Narodzenia', UI_TIMEOUT);
  expect(await accessibilityViolations()).toEqual([]);
  // Tall enough for the whole form: the page scrolls inside the app's main area, which fullPage does not follow.
  await ui.page.setViewportSize({ width: 1280, height: 1250 });
  await ui.page.screenshot({ path: join(SCREENSHOTS, 'inbox-settings-hours.png') });
  await ui.page.setViewportSize({ width: 1280, height: 800 });

  // The messages tab: a Polish greeting with a preview, kept as an override for Polish only.
  await ui.page.getByRole('tab', { name: 'Working hours' }).focus();
  await ui.page.keyboard.press('ArrowRight');
  await ui.page.getByRole('tab', { name: 'Messages', selected: true }).waitFor();
  await ui.page.getByLabel('Edit the messages in').selectOption('pl');
  await ui.page.getByLabel(/^Greeting/).fill('Cześć {{contact.name}}! Tu {{inbox.name}} 👋');
  await ui.page.getByRole('group', { name: 'Preview: Greeting' }).filter({ hasText: 'Cześć Anna! Tu Sklep Żółw 👋' }).waitFor();
  // The opening reads as the customer would get it, in Polish.
  await ui.page.getByRole('group', { name: 'Preview: Out of office' }).filter({ hasText: 'Wracamy w poniedziałek o 09:00 i wtedy' }).waitFor();
  await ui.page.getByLabel('Greet the first message of each new conversation (within working hours)').check();
  await ui.page.getByRole('button', { name: 'Save' }).click();
  await ui.page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
  const messages = (await admin.get(`/api/v1/channels/${inbox.id}/auto-replies`)).body.autoReplies;
  expect(messages.greetingEnabled).toBe(true);
  const byLanguage = Object.fromEntries(messages.languages.map((l: any) => [l.language, l.messages.greeting]));
  expect(byLanguage.pl).toMatchObject({ text: 'Cześć {{contact.name}}! Tu {{inbox.name}} 👋', overridden: true });
  expect(byLanguage.en.overridden).toBe(false);
  await ui.page.setViewportSize({ width: 1280, height: 1100 });
  await ui.page.screenshot({ path: join(SCREENSHOTS, 'inbox-settings-messages.png') });
});

test('the queue screen shows a waiting customer, and an admin assigns them by hand', async () => {
  // Manual pickup and hours removed: the customer waits, whatever the time of day the test runs.
  expect((await admin.request('DELETE', `/api/v1/channels/${inbox.id}/working-hours`)).status).toBe(204);
  expect((await admin.patch(`/api/v1/channels/${inbox.id}/routing`, { strategy: 'manual' })).status).toBe(200);
  const created = await admin.post('/api/v1/agents', { email: 'zofia@parley.test', name: 'Zofia Wójcik', password: 'agent-password-1' });
  expect(created.status).toBe(201);
  const zofia = created.body.agent.id;
  const conversation = await inbox.customerWrites(880_001, 'Dzień dobry, czekam na pomoc 🙏', 'Ólafur Łęcki', 'pl');
  await eventually(async () => (await admin.get(`/api/v1/queue?channelId=${inbox.id}`)).body.waiting.length === 1);

  await logInThroughPage(ui.page, app.url, ADMIN, '/queue');
  const row = ui.page.locator(`tr[data-conversation-id="${conversation.id}"]`);
  await row.getByRole('link', { name: 'Ólafur Łęcki' }).waitFor();
  await ui.page.getByRole('heading', { name: 'Sklep Żółw' }).waitFor();
  expect(await row.locator('time').textContent()).toMatch(/min/);
  expect(await accessibilityViolations()).toEqual([]);
  await ui.page.screenshot({ path: join(SCREENSHOTS, 'queue.png') });

  await row.getByLabel('Assign Ólafur Łęcki to').selectOption({ label: 'Zofia Wójcik' });
  await row.getByRole('button', { name: 'Assign: Ólafur Łęcki' }).click();
  await ui.page.getByText('Nobody is waiting.').waitFor();
  expect((await admin.get(`/api/v1/conversations/${conversation.id}`)).body.conversation.assigneeId).toBe(zofia);
  expect((await admin.get('/api/v1/queue')).body.waiting).toEqual([]);
});
