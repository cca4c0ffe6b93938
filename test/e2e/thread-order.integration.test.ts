import { join } from 'node:path';
import { ADMIN, ApiClient, eventually, type TestParley } from '../support/parley';
import { TelegramInbox } from '../support/telegram-inbox';
import { startWebApp, useBrowser } from './app-fixture';
import { logInThroughPage } from './browser';

/**
 * The open thread in a real browser keeps the customer's order (src/messages/thread-order.ts): a message the
 * platform delivers late, after newer ones and after the agent's reply, is inserted where the customer wrote
 * it, over the socket, without a reload.
 */
const SCREENSHOTS = join(__dirname, '../../docs/screenshots');

let app: TestParley;
let admin: ApiClient;
let telegram: TelegramInbox;
const ui = useBrowser({ timeoutMs: 20_000 });

beforeAll(async () => {
  ({ app, admin } = await startWebApp());
  telegram = await new TelegramInbox(app, admin).start('Wsparcie');
}, 120_000);

afterAll(async () => {
  await app?.stop();
  await telegram?.stop();
});

/** Telegram delivers message `messageId`, which the customer wrote at `date` (Unix seconds). */
const deliver = (chatId: number, messageId: number, date: number, text: string) =>
  telegram.deliver({ chatId, messageId, date, text, firstName: 'Jadwiga', lastName: 'Kołodziej' });

/** The texts of the open thread's bubbles, top to bottom. */
const threadTexts = () => ui.page.locator('[data-testid="thread"] [data-message-id] .msg-text').allInnerTexts();

test('a late message is inserted in its place in the open thread, not appended', async () => {
  const chat = 9901;
  const t0 = Math.floor(Date.now() / 1000) - 90;
  const first = 'Dzień dobry, zamówiłam dwie paczki 📦';
  const late = 'Numer zamówienia: 4711 — zażółć gęślą jaźń';
  const third = 'Czy obie przyjdą jutro?';
  await deliver(chat, 31, t0, first);
  await deliver(chat, 33, t0 + 40, third);
  const conversation = await eventually(async () =>
    (await admin.get(`/api/v1/conversations?channelId=${telegram.id}`)).body.conversations.find(
      (c: any) => c.externalThreadId === String(chat) && c.lastMessage?.preview === third,
    ),
  );

  await logInThroughPage(ui.page, app.url, ADMIN, `/conversations/${conversation.id}?view=all`);
  const thread = ui.page.getByTestId('thread');
  await thread.getByText(third).waitFor();
  const composer = ui.page.getByRole('textbox', { name: /Write a reply/ });
  await composer.fill('Sprawdzam, proszę o chwilę cierpliwości.');
  await composer.press('Enter');
  await thread.getByText('Sprawdzam, proszę o chwilę cierpliwości.').waitFor();
  expect(await threadTexts()).toEqual([first, third, 'Sprawdzam, proszę o chwilę cierpliwości.']);

  // Written between the two, delivered only now (Telegram retried it): it arrives over the socket.
  await deliver(chat, 32, t0 + 20, late);
  await thread.getByText(late).waitFor();
  expect(await threadTexts()).toEqual([first, late, third, 'Sprawdzam, proszę o chwilę cierpliwości.']);
  // It shows the time the customer wrote it, not the time it arrived.
  const lateBubble = ui.page.locator('[data-message-id]', { hasText: late });
  expect(await lateBubble.locator('time').getAttribute('datetime')).toBe(new Date((t0 + 20) * 1000).toISOString());
  await ui.page.screenshot({ path: join(SCREENSHOTS, 'late-message.png') });

  // The same order after a reload, from the API.
  await ui.page.reload();
  await thread.getByText(late).waitFor();
  expect(await threadTexts()).toEqual([first, late, third, 'Sprawdzam, proszę o chwilę cierpliwości.']);
}, 120_000);
