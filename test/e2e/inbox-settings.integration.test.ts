import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { ADMIN, ApiClient, eventually, type TestParley } from '../support/parley';
import { TelegramInbox } from '../support/telegram-inbox';
import { startWebApp, useBrowser } from './app-fixture';
import { axeViolations, expectNoSeriousViolations } from './axe';
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
  expect(await axeViolations(ui.page, { within: 'main' })).toEqual([]);
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
  expect(await axeViolations(ui.page, { within: 'main' })).toEqual([]);
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
  expect(await axeViolations(ui.page, { within: 'main' })).toEqual([]);
  await ui.page.screenshot({ path: join(SCREENSHOTS, 'queue.png') });

  await row.getByLabel('Assign Ólafur Łęcki to').selectOption({ label: 'Zofia Wójcik' });
  await row.getByRole('button', { name: 'Assign: Ólafur Łęcki' }).click();
  await ui.page.getByText('Nobody is waiting.').waitFor();
  expect((await admin.get(`/api/v1/conversations/${conversation.id}`)).body.conversation.assigneeId).toBe(zofia);
  expect((await admin.get('/api/v1/queue')).body.waiting).toEqual([]);
});

/**
 * The Conversations tab, the hold and closing messages, and the way between the channels page and an inbox's
 * settings, on an inbox of their own so that the tests above do not change what they see.
 */
describe('the Conversations tab, the hold message, and the channels page linking to an inbox', () => {
  let shop: TelegramInbox;

  beforeAll(async () => {
    shop = await new TelegramInbox(app, admin).start('Sklep Żółw — Kraków');
  }, 120_000);

  afterAll(async () => {
    await shop?.stop();
  });

  /** The admin, logged in at `path`, in the file's browser (useBrowser fails the test on errors in the page). */
  async function asAdmin(path: string, run: (page: Page) => Promise<void>): Promise<void> {
    await logInThroughPage(ui.page, app.url, ADMIN, path);
    await run(ui.page);
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
      expect((await admin.get(`/api/v1/channels/${shop.id}/lifecycle`)).body.lifecycle).toEqual({
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
      await eventually(async () => (await admin.get(`/api/v1/channels/${shop.id}/lifecycle`)).body.lifecycle.idleResolveAfterMinutes === 90, UI_TIMEOUT);
      await page.getByLabel('Resolve idle conversations automatically').uncheck();
      await page.getByRole('button', { name: 'Save' }).click();
      await eventually(async () => (await admin.get(`/api/v1/channels/${shop.id}/lifecycle`)).body.lifecycle.idleResolveAfterMinutes === null, UI_TIMEOUT);
      expect((await admin.get(`/api/v1/channels/${shop.id}/lifecycle`)).body.lifecycle).toEqual({
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

      const languages = (await admin.get(`/api/v1/channels/${shop.id}/auto-replies`)).body.autoReplies.languages;
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
