import { join } from 'node:path';
import { ApiClient, eventually, type TestParley } from '../support/parley';
import { TelegramInbox } from '../support/telegram-inbox';
import { startWebApp, useBrowser } from './app-fixture';
import { axeViolations } from './axe';
import { logInThroughPage } from './browser';

/**
 * The conversation header's actions in a real browser: the transfer dialog (its note reaches the receiving agent
 * and never the customer) and snoozing (the wake shows up live), against the real server, PostgreSQL and Redis,
 * with Telegram faked on 127.0.0.1.
 */
const SCREENSHOTS = join(__dirname, '../../docs/screenshots');
const UI_TIMEOUT = 15_000;
const PASSWORD = 'hasło-agenta-123';

let app: TestParley;
let admin: ApiClient;
let inbox: TelegramInbox;
const ui = useBrowser({ timeoutMs: UI_TIMEOUT });
let anna: { id: string; email: string };
let bob: { id: string; email: string };

beforeAll(async () => {
  ({ app, admin } = await startWebApp({ LIFECYCLE_SWEEP_MS: '300' }));
  inbox = await new TelegramInbox(app, admin).start('Wsparcie');
  const make = async (name: string, email: string) => {
    const res = await admin.post('/api/v1/agents', { email, name, password: PASSWORD, capacity: 5 });
    expect(res.status).toBe(201);
    return { id: res.body.agent.id as string, email };
  };
  anna = await make('Anna Kowalska', 'anna@parley.test');
  bob = await make('Bogdan Wiśniewski', 'bogdan@parley.test');
}, 120_000);

afterAll(async () => {
  await app?.stop();
  await inbox?.stop();
});

const availability = async (id: string, value: 'online' | 'offline') =>
  expect((await admin.patch(`/api/v1/agents/${id}`, { availability: value })).status).toBe(200);

/** A customer writes and routing gives the conversation to Anna (the only one online). */
async function customerForAnna(chatId: number, text: string): Promise<string> {
  await availability(anna.id, 'online');
  const c = await inbox.customerWrites(chatId, text, 'Łucja');
  await eventually(async () => (await admin.get(`/api/v1/conversations/${c.id}`)).body.conversation.assigneeId === anna.id);
  return c.id;
}

test('the transfer dialog hands the conversation over with a note the receiving agent reads and the customer never gets', async () => {
  const id = await customerForAnna(61_001, 'Dzień dobry, faktura nr 117 ma złą kwotę 😕');
  await logInThroughPage(ui.page, app.url, { email: anna.email, password: PASSWORD }, `/conversations/${id}`);
  const thread = ui.page.getByTestId('thread');
  await thread.getByText('Dzień dobry, faktura nr 117 ma złą kwotę 😕').waitFor();
  await thread.locator('[data-kind="assigned"]').getByText('Routing assigned the conversation to Anna Kowalska').waitFor();

  // Hold first, with the inbox's message: it goes out marked automatic.
  await ui.page.getByRole('button', { name: 'Hold…' }).click();
  await ui.page.getByRole('dialog', { name: 'Put the customer on hold' }).getByRole('button', { name: 'Put on hold' }).click();
  await thread.locator('[data-kind="held"]').getByText('Anna Kowalska put the customer on hold').waitFor();
  await thread.locator('.msg-agent[data-automatic="hold"]', { hasText: 'One moment, please, I am checking.' }).getByText('Automatic').waitFor();
  await eventually(() => inbox.textsTo(61_001).includes('One moment, please, I am checking.'));

  // Opened from the keyboard; Escape closes it and gives focus back to the button that opened it.
  const transferButton = ui.page.getByRole('button', { name: 'Transfer…' });
  await transferButton.focus();
  await ui.page.keyboard.press('Enter');
  const dialog = ui.page.getByRole('dialog', { name: 'Transfer the conversation' });
  await dialog.waitFor();
  expect(await axeViolations(ui.page, { within: 'dialog[open]', wcagOnly: true, impacts: 'any' })).toEqual([]);
  await ui.page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });
  expect(await ui.page.evaluate<string | undefined>('document.activeElement?.textContent')).toBe('Transfer…');

  await transferButton.click();
  await dialog.getByLabel('Agent', { exact: true }).selectOption({ label: 'Bogdan Wiśniewski' });
  const note = 'Klientka dzwoniła wczoraj; sprawdź korektę FV/117 — zażółć gęślą jaźń';
  await dialog.getByLabel('Note for the receiving side (never sent to the customer)').fill(note);
  await dialog.getByLabel('Message to the customer (optional)').fill('Przekazuję sprawę koledze z działu rozliczeń.');
  await dialog.getByRole('button', { name: 'Transfer', exact: true }).click();
  await dialog.waitFor({ state: 'hidden' });
  const entry = thread.locator('[data-kind="transferred"]');
  await entry.getByText('Anna Kowalska transferred to Bogdan Wiśniewski').waitFor();
  await ui.page.getByText('Assigned to Bogdan Wiśniewski').waitFor();

  await eventually(() => inbox.textsTo(61_001).includes('Przekazuję sprawę koledze z działu rozliczeń.'));
  const conversation = (await admin.get(`/api/v1/conversations/${id}`)).body.conversation;
  expect(conversation.assigneeId).toBe(bob.id);

  // Bogdan opens it: the note is there for him.
  await ui.page.getByRole('button', { name: 'Log out' }).click();
  await logInThroughPage(ui.page, app.url, { email: bob.email, password: PASSWORD }, `/conversations/${id}`);
  await entry.getByText(note).waitFor();
  await thread.getByText('Przekazuję sprawę koledze z działu rozliczeń.').waitFor();
  await ui.page.screenshot({ path: join(SCREENSHOTS, 'conversation-activity.png') });
  expect(inbox.textsTo(61_001).some((text) => text.includes('FV/117'))).toBe(false);
  await availability(anna.id, 'offline');
});

test('snoozing from the header: the conversation shows until when, and comes back by itself when the time is up', async () => {
  const id = await customerForAnna(61_002, 'Proszę o kontakt po weekendzie');
  await logInThroughPage(ui.page, app.url, { email: anna.email, password: PASSWORD }, `/conversations/${id}`);
  await ui.page.getByTestId('thread').getByText('Proszę o kontakt po weekendzie').waitFor();

  await ui.page.getByRole('button', { name: 'Snooze…' }).click();
  const dialog = ui.page.getByRole('dialog', { name: 'Snooze until' });
  // A time in the past is refused in words.
  await dialog.getByLabel('Date and time').check();
  await dialog.locator('input[type="datetime-local"]').fill('2020-01-01T09:00');
  await dialog.getByRole('button', { name: 'Snooze', exact: true }).click();
  await dialog.getByRole('alert').filter({ hasText: 'Choose a time in the future.' }).waitFor();
  await dialog.getByLabel('In 1 hour').check();
  await dialog.getByRole('button', { name: 'Snooze', exact: true }).click();
  await dialog.waitFor({ state: 'hidden' });
  await ui.page.getByText(/Snoozed until/).waitFor();
  await ui.page
    .getByTestId('thread')
    .locator('[data-kind="snoozed"]')
    .getByText(/Anna Kowalska snoozed until/)
    .waitFor();

  // An hour passes, as far as the database can tell: the sweep wakes it, and the page hears of it.
  await app.parley.ctx.ds.query(`UPDATE conversations SET snoozed_until = now() - interval '1 second' WHERE id = $1`, [id]);
  await ui.page.getByTestId('thread').locator('[data-kind="woken"]').getByText('The snooze ended: open again').waitFor();
  await ui.page.getByRole('button', { name: 'Resolve' }).waitFor();
  expect(await ui.page.getByText(/Snoozed until/).count()).toBe(0);
  await availability(anna.id, 'offline');
});
