import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { FakeTelegramBotApi } from '../../connectors/telegram/testing/fake-bot-api';
import { TEST_BOT_TOKEN } from '../../connectors/telegram/testing/harness';
import { ADMIN, ApiClient, eventually, startTestParley, type TestParley } from '../support/parley';
import { ensureWebAppBuilt, logInThroughPage, openBrowser, type Browser } from './browser';

/**
 * The open thread in a real browser keeps the customer's order (src/messages/thread-order.ts): a message the
 * platform delivers late, after newer ones and after the agent's reply, is inserted where the customer wrote
 * it, over the socket, without a reload.
 */
const SCREENSHOTS = join(__dirname, '../../docs/screenshots');

let app: TestParley;
let fake: FakeTelegramBotApi;
let admin: ApiClient;
let channel: { id: string; webhookUrl: string };
let secret: string;
let updateId = 700;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  ensureWebAppBuilt();
  fake = new FakeTelegramBotApi(TEST_BOT_TOKEN);
  await fake.start();
  app = await startTestParley();
  admin = await ApiClient.login(app.url);
  const created = await admin.post('/api/v1/channels', {
    type: 'telegram',
    name: 'Wsparcie',
    credentials: { botToken: TEST_BOT_TOKEN },
    settings: { apiRoot: fake.url },
  });
  expect(created.status).toBe(201);
  channel = created.body.channel;
  expect((await admin.post(`/api/v1/channels/${channel.id}/register-webhook`)).status).toBe(200);
  secret = fake.callsTo(/\/setWebhook$/)[0].json.secret_token;
  browser = await openBrowser();
  page = browser.page;
  page.setDefaultTimeout(20_000);
}, 120_000);

afterAll(async () => {
  const errors = browser?.pageErrors ?? [];
  await browser?.close();
  await app?.stop();
  await fake?.stop();
  expect(errors).toEqual([]);
});

/** Telegram delivers message `messageId`, which the customer wrote at `date` (Unix seconds). */
async function deliver(chatId: number, messageId: number, date: number, text: string): Promise<void> {
  const res = await fetch(`${app.url}${new URL(channel.webhookUrl).pathname}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret },
    body: JSON.stringify({
      update_id: updateId++,
      message: {
        message_id: messageId,
        date,
        chat: { id: chatId, type: 'private' },
        from: { id: chatId, is_bot: false, first_name: 'Jadwiga', last_name: 'Kołodziej' },
        text,
      },
    }),
  });
  expect(res.status).toBe(200);
}

/** The texts of the open thread's bubbles, top to bottom. */
const threadTexts = () => page.locator('[data-testid="thread"] [data-message-id] .msg-text').allInnerTexts();

test('a late message is inserted in its place in the open thread, not appended', async () => {
  const chat = 9901;
  const t0 = Math.floor(Date.now() / 1000) - 90;
  const first = 'Dzień dobry, zamówiłam dwie paczki 📦';
  const late = 'Numer zamówienia: 4711 — zażółć gęślą jaźń';
  const third = 'Czy obie przyjdą jutro?';
  await deliver(chat, 31, t0, first);
  await deliver(chat, 33, t0 + 40, third);
  const conversation = await eventually(async () =>
    (await admin.get(`/api/v1/conversations?channelId=${channel.id}`)).body.conversations.find(
      (c: any) => c.externalThreadId === String(chat) && c.lastMessage?.preview === third,
    ),
  );

  await logInThroughPage(page, app.url, ADMIN, `/conversations/${conversation.id}?view=all`);
  const thread = page.getByTestId('thread');
  await thread.getByText(third).waitFor();
  const composer = page.getByRole('textbox', { name: /Write a reply/ });
  await composer.fill('Sprawdzam, proszę o chwilę cierpliwości.');
  await composer.press('Enter');
  await thread.getByText('Sprawdzam, proszę o chwilę cierpliwości.').waitFor();
  expect(await threadTexts()).toEqual([first, third, 'Sprawdzam, proszę o chwilę cierpliwości.']);

  // Written between the two, delivered only now (Telegram retried it): it arrives over the socket.
  await deliver(chat, 32, t0 + 20, late);
  await thread.getByText(late).waitFor();
  expect(await threadTexts()).toEqual([first, late, third, 'Sprawdzam, proszę o chwilę cierpliwości.']);
  // It shows the time the customer wrote it, not the time it arrived.
  const lateBubble = page.locator('[data-message-id]', { hasText: late });
  expect(await lateBubble.locator('time').getAttribute('datetime')).toBe(new Date((t0 + 20) * 1000).toISOString());
  await page.screenshot({ path: join(SCREENSHOTS, 'late-message.png') });

  // The same order after a reload, from the API.
  await page.reload();
  await thread.getByText(late).waitFor();
  expect(await threadTexts()).toEqual([first, late, third, 'Sprawdzam, proszę o chwilę cierpliwości.']);
}, 120_000);
