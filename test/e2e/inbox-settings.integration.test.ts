import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { ADMIN, ApiClient, eventually, startTestParley, type TestParley } from '../support/parley';
import { TelegramInbox } from '../support/telegram-inbox';
import { expectNoSeriousViolations } from './axe';
import { ensureWebAppBuilt, logInThroughPage, openBrowser, type Browser } from './browser';

/**
 * The inbox settings (routing, working hours, messages) and the queue screen in a real browser, against the
 * real server, PostgreSQL and Redis, with Telegram faked on 127.0.0.1.
 */
const SCREENSHOTS = join(__dirname, '../../docs/screenshots');
const UI_TIMEOUT = 15_000;

let app: TestParley;
let admin: ApiClient;
let inbox: TelegramInbox;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  ensureWebAppBuilt();
  app = await startTestParley();
  admin = await ApiClient.login(app.url);
  inbox = await new TelegramInbox(app, admin).start('Sklep Żółw');
}, 120_000);

afterAll(async () => {
  await app?.stop();
  await inbox?.stop();
});

beforeEach(async () => {
  browser = await openBrowser();
  page = browser.page;
  page.setDefaultTimeout(UI_TIMEOUT);
});

afterEach(async () => {
  const errors = browser.pageErrors;
  await browser.close();
  expect(errors).toEqual([]);
});

/**
 * axe-core's serious and critical findings in the page's main content (evaluated through the debugger, so the CSP
 * allows it). The shared top bar is left to the app's own browser test.
 */
async function accessibilityViolations(): Promise<string[]> {
  await page.evaluate(readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8'));
  const violations: Array<{ id: string; impact: string; nodes: Array<{ target: string[] }> }> = await page.evaluate(
    async () => (await (globalThis as unknown as { axe: { run(context: string): Promise<{ violations: any[] }> } }).axe.run('main')).violations,
  );
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

test('routing settings changed on the page are kept, after a reload and in the API', async () => {
  await logInThroughPage(page, app.url, ADMIN, `/settings/inboxes/${inbox.id}`);
  await page.getByRole('tab', { name: 'Routing' }).waitFor();
  await page.getByLabel('How conversations are handed out').selectOption('least_busy');
  await page.getByLabel('Maximum queue length').fill('5');
  await page.getByLabel('Tell waiting customers their place in the queue').check();
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();

  expect((await admin.get(`/api/v1/channels/${inbox.id}/routing`)).body.routing).toEqual({
    strategy: 'least_busy',
    teamId: null,
    maxQueueLength: 5,
    announceQueuePosition: true,
  });
  await page.reload();
  await eventually(async () => (await page.getByLabel('How conversations are handed out').inputValue()) === 'least_busy', UI_TIMEOUT);
  expect(await page.getByLabel('Maximum queue length').inputValue()).toBe('5');
  expect(await page.getByLabel('Tell waiting customers their place in the queue').isChecked()).toBe(true);
  expect(await accessibilityViolations()).toEqual([]);
});

test('working hours: a refused schedule says why; a holiday added on the page reaches the API', async () => {
  await logInThroughPage(page, app.url, ADMIN, `/settings/inboxes/${inbox.id}?tab=hours`);
  await page.getByRole('button', { name: 'Set working hours' }).click();
  await page.getByLabel('Name', { exact: true }).fill('Biuro obsługi');
  await page.getByLabel('Time zone').fill('Europe/Warsaw');
  // Monday closing before it opens: the server's 400 is shown with the field it names.
  await page.getByLabel('Monday To').fill('08:00');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('alert').filter({ hasText: 'an interval closes after it opens' }).waitFor();
  await page.getByLabel('Monday To').fill('17:00');
  // A lunch break on Friday, and no Saturday hours to remove yet: Sunday gets a short range.
  await page.getByRole('button', { name: 'Add hours on Sunday' }).click();
  await page.getByLabel('Sunday From').fill('10:00');
  await page.getByLabel('Sunday To').fill('14:00');
  await page.getByRole('button', { name: 'Add a holiday' }).click();
  await page.getByLabel('Date').fill('2026-12-24');
  await page.getByLabel('Holiday name').fill('Wigilia Bożego Narodzenia');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();

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
  await page.reload();
  await eventually(async () => (await page.getByLabel('Holiday name').inputValue()) === 'Wigilia Bożego Narodzenia', UI_TIMEOUT);
  expect(await accessibilityViolations()).toEqual([]);
  // Tall enough for the whole form: the page scrolls inside the app's main area, which fullPage does not follow.
  await page.setViewportSize({ width: 1280, height: 1250 });
  await page.screenshot({ path: join(SCREENSHOTS, 'inbox-settings-hours.png') });
  await page.setViewportSize({ width: 1280, height: 800 });

  // The messages tab: a Polish greeting with a preview, kept as an override for Polish only.
  await page.getByRole('tab', { name: 'Working hours' }).focus();
  await page.keyboard.press('ArrowRight');
  await page.getByRole('tab', { name: 'Messages', selected: true }).waitFor();
  await page.getByLabel('Edit the messages in').selectOption('pl');
  await page.getByLabel(/^Greeting/).fill('Cześć {{contact.name}}! Tu {{inbox.name}} 👋');
  await page.getByRole('group', { name: 'Preview: Greeting' }).filter({ hasText: 'Cześć Anna! Tu Sklep Żółw 👋' }).waitFor();
  // The opening reads as the customer would get it, in Polish.
  await page.getByRole('group', { name: 'Preview: Out of office' }).filter({ hasText: 'Wracamy w poniedziałek o 09:00 i wtedy' }).waitFor();
  await page.getByLabel('Greet the first message of each new conversation (within working hours)').check();
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
  const messages = (await admin.get(`/api/v1/channels/${inbox.id}/auto-replies`)).body.autoReplies;
  expect(messages.greetingEnabled).toBe(true);
  const byLanguage = Object.fromEntries(messages.languages.map((l: any) => [l.language, l.messages.greeting]));
  expect(byLanguage.pl).toMatchObject({ text: 'Cześć {{contact.name}}! Tu {{inbox.name}} 👋', overridden: true });
  expect(byLanguage.en.overridden).toBe(false);
  await page.setViewportSize({ width: 1280, height: 1100 });
  await page.screenshot({ path: join(SCREENSHOTS, 'inbox-settings-messages.png') });
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

  await logInThroughPage(page, app.url, ADMIN, '/queue');
  const row = page.locator(`tr[data-conversation-id="${conversation.id}"]`);
  await row.getByRole('link', { name: 'Ólafur Łęcki' }).waitFor();
  await page.getByRole('heading', { name: 'Sklep Żółw' }).waitFor();
  expect(await row.locator('time').textContent()).toMatch(/min/);
  expect(await accessibilityViolations()).toEqual([]);
  await page.screenshot({ path: join(SCREENSHOTS, 'queue.png') });

  await row.getByLabel('Assign Ólafur Łęcki to').selectOption({ label: 'Zofia Wójcik' });
  await row.getByRole('button', { name: 'Assign: Ólafur Łęcki' }).click();
  await page.getByText('Nobody is waiting.').waitFor();
  expect((await admin.get(`/api/v1/conversations/${conversation.id}`)).body.conversation.assigneeId).toBe(zofia);
  expect((await admin.get('/api/v1/queue')).body.waiting).toEqual([]);
});

/**
 * The Conversations tab, the hold and closing messages, and the way between the channels page and an inbox's
 * settings. A Parley, an inbox and a browser of their own, so they do not depend on the tests above or on how
 * the file's set-up is written.
 */
describe('the Conversations tab, the hold message, and the channels page linking to an inbox', () => {
  let parley: TestParley;
  let adminApi: ApiClient;
  let shop: TelegramInbox;

  beforeAll(async () => {
    ensureWebAppBuilt();
    parley = await startTestParley();
    adminApi = await ApiClient.login(parley.url);
    shop = await new TelegramInbox(parley, adminApi).start('Sklep Żółw — Kraków');
  }, 120_000);

  afterAll(async () => {
    await parley?.stop();
    await shop?.stop();
  });

  /** A fresh browser, logged in as the admin at `path`; fails on any error thrown in the page. */
  async function asAdmin(path: string, run: (page: Page) => Promise<void>): Promise<void> {
    const own = await openBrowser();
    own.page.setDefaultTimeout(UI_TIMEOUT);
    try {
      await logInThroughPage(own.page, parley.url, ADMIN, path);
      await run(own.page);
      expect(own.pageErrors).toEqual([]);
    } finally {
      await own.close();
    }
  }

  test('the reopen window and idle resolving set on the Conversations tab reach the API and are shown again after a reload', async () => {
    await asAdmin(`/settings/inboxes/${shop.id}?tab=conversations`, async (page) => {
      await page.getByRole('tab', { name: 'Conversations', selected: true }).waitFor();
      const reopen = page.getByLabel('Reopen a resolved conversation when the customer writes within (hours)');
      await eventually(async () => (await reopen.inputValue()) === '168', UI_TIMEOUT);
      // Off by default: the amount waits, disabled, until resolving is turned on.
      expect(await page.getByLabel('Resolve after').isDisabled()).toBe(true);

      await reopen.fill('48');
      await page.getByLabel('Resolve idle conversations automatically').check();
      await page.getByLabel('Resolve after').fill('2');
      await page.getByLabel('Unit').selectOption('hours');
      await page.getByLabel('Send the closing message when an idle conversation is resolved').check();
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
      expect((await adminApi.get(`/api/v1/channels/${shop.id}/lifecycle`)).body.lifecycle).toEqual({
        reopenWithinHours: 48,
        idleResolveAfterMinutes: 120,
        closingMessage: true,
      });

      await page.reload();
      await eventually(async () => (await page.getByLabel('Resolve after').inputValue()) === '2', UI_TIMEOUT);
      expect(await page.getByLabel('Unit').inputValue()).toBe('hours');
      expect(await reopen.inputValue()).toBe('48');
      expect(await page.getByLabel('Send the closing message when an idle conversation is resolved').isChecked()).toBe(true);
      await expectNoSeriousViolations(page);
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.screenshot({ path: join(SCREENSHOTS, 'inbox-settings-lifecycle.png') });

      // Ninety minutes are said in minutes; turning resolving off keeps the window and the closing message as they were.
      await page.getByLabel('Unit').selectOption('minutes');
      await page.getByLabel('Resolve after').fill('90');
      await page.getByRole('button', { name: 'Save' }).click();
      await eventually(async () => (await adminApi.get(`/api/v1/channels/${shop.id}/lifecycle`)).body.lifecycle.idleResolveAfterMinutes === 90, UI_TIMEOUT);
      await page.getByLabel('Resolve idle conversations automatically').uncheck();
      await page.getByRole('button', { name: 'Save' }).click();
      await eventually(async () => (await adminApi.get(`/api/v1/channels/${shop.id}/lifecycle`)).body.lifecycle.idleResolveAfterMinutes === null, UI_TIMEOUT);
      expect((await adminApi.get(`/api/v1/channels/${shop.id}/lifecycle`)).body.lifecycle).toEqual({
        reopenWithinHours: 48,
        idleResolveAfterMinutes: null,
        closingMessage: true,
      });
    });
  }, 120_000);

  test('the Polish hold message is edited with its placeholders: a wrong one is refused in words, the right one saved for Polish only', async () => {
    await asAdmin(`/settings/inboxes/${shop.id}?tab=messages`, async (page) => {
      await page.getByLabel('Edit the messages in').selectOption('pl');
      const hold = page.getByLabel(/^Hold/);
      await eventually(async () => (await hold.inputValue()) === 'Chwileczkę, sprawdzam.', UI_TIMEOUT);
      // The closing message is there too, with the placeholders it may use.
      expect(await page.getByLabel(/^Closing/).inputValue()).toBe('Dziękujemy za kontakt z {{inbox.name}}. Zapraszamy ponownie.');
      await page.locator('[data-kind="hold"]').getByText('Placeholders: {{contact.name}}, {{inbox.name}}').waitFor();

      await hold.fill('Chwileczkę, {{contact.name}}, {{position}}');
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByRole('alert').filter({ hasText: 'unknown placeholder {{position}}: hold may use {{contact.name}}, {{inbox.name}}' }).waitFor();

      await hold.fill('Chwileczkę, {{contact.name}} — sprawdzam w magazynie Żółwia 📦');
      await page.getByRole('group', { name: 'Preview: Hold' }).filter({ hasText: 'Chwileczkę, Anna — sprawdzam w magazynie Żółwia 📦' }).waitFor();
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();

      const languages = (await adminApi.get(`/api/v1/channels/${shop.id}/auto-replies`)).body.autoReplies.languages;
      const holdIn = Object.fromEntries(languages.map((l: any) => [l.language, l.messages.hold]));
      expect(holdIn.pl).toEqual({
        text: 'Chwileczkę, {{contact.name}} — sprawdzam w magazynie Żółwia 📦',
        overridden: true,
        defaultText: 'Chwileczkę, sprawdzam.',
      });
      expect(holdIn.en.overridden).toBe(false);
      expect(languages.find((l: any) => l.language === 'pl').messages.closing.overridden).toBe(false);
      await expectNoSeriousViolations(page);
    });
  }, 120_000);

  test("the channels page links each channel to its inbox's settings, and the settings link back", async () => {
    await asAdmin('/settings/channels', async (page) => {
      await page.getByRole('link', { name: 'Inbox settings of Sklep Żółw — Kraków' }).click();
      await page.getByRole('heading', { name: 'Inbox settings' }).waitFor();
      expect(new URL(page.url()).pathname).toBe(`/settings/inboxes/${shop.id}`);
      // The select's name holds its chosen option too (it sits inside its label).
      expect(await page.getByRole('combobox', { name: /^Inbox/ }).inputValue()).toBe(shop.id);
      await page.getByRole('tab', { name: 'Routing', selected: true }).waitFor();

      await page.getByRole('link', { name: 'Back to Channels' }).click();
      await page.getByRole('heading', { name: 'Channels' }).waitFor();
      expect(new URL(page.url()).pathname).toBe('/settings/channels');
    });
  }, 120_000);
});
