import { join } from 'node:path';
import { FakeTelegramBotApi } from '../../connectors/telegram/testing/fake-bot-api';
import { ADMIN, ApiClient, eventually, type TestParley } from '../support/parley';
import { TelegramInbox } from '../support/telegram-inbox';
import { startWebApp, useBrowser } from './app-fixture';
import { logInThroughPage } from './browser';

/**
 * The agent app in a real browser (Debian's Chromium), built and served by the real server, against the real
 * PostgreSQL and Redis, with Telegram faked by an HTTP server on 127.0.0.1.
 */
const SCREENSHOTS = join(__dirname, '../../docs/screenshots');
const UI_TIMEOUT = 15_000;

let app: TestParley;
let admin: ApiClient;
let telegram: TelegramInbox;
const ui = useBrowser({ timeoutMs: UI_TIMEOUT });

beforeAll(async () => {
  // A low log-in limit: the lockout test reaches it quickly.
  ({ app, admin } = await startWebApp({ LOGIN_MAX_FAILURES: '3' }));
  telegram = await new TelegramInbox(app, admin).start('Wsparcie');
}, 120_000);

afterAll(async () => {
  await app?.stop();
  await telegram?.stop();
});

const customerWrites = (chatId: number, firstName: string, text: string, lastName?: string) => telegram.deliver({ chatId, firstName, lastName, text });

async function logIn(path = '/?view=all', password = ADMIN.password) {
  await logInThroughPage(ui.page, app.url, { email: ADMIN.email, password }, path);
}

/** The token the app keeps for this tab (evaluated in the page, where sessionStorage exists). */
const sessionToken = () => ui.page.evaluate<string>('JSON.parse(sessionStorage.getItem("parley.session")).token');

const row = (name: string) => ui.page.locator('[data-conversation-id]', { hasText: name });

test('an agent logs in and sees the inbox', async () => {
  await logIn();
  await ui.page.getByRole('button', { name: 'Log out' }).waitFor();
  await ui.page.getByRole('tab', { name: 'All' }).waitFor();
  expect(await ui.page.getByRole('tab', { name: 'All' }).getAttribute('aria-selected')).toBe('true');
  await ui.page.locator('.conn-live').waitFor();
});

test('a wrong password shows an error in words', async () => {
  await logIn('/', 'not the password');
  await ui.page.getByRole('alert').filter({ hasText: 'Wrong email or password.' }).waitFor();
  expect(await ui.page.getByRole('button', { name: 'Log out' }).count()).toBe(0);
});

test('an account locked after failed log-ins is told so', async () => {
  const agent = { email: 'ewa@parley.test', name: 'Ewa Kowalczyk', password: 'prawidłowe hasło 123' };
  expect((await admin.post('/api/v1/agents', agent)).status).toBe(201);
  // Failed log-ins up to the limit (LOGIN_MAX_FAILURES), then even the right password is refused for a while.
  for (let i = 0; i < Number(app.config.login.maxFailures); i++) {
    expect((await new ApiClient(app.url).post('/api/v1/auth/login', { email: agent.email, password: 'wrong' })).status).toBe(401);
  }
  await ui.page.goto(app.url);
  await ui.page.getByLabel('Email').fill(agent.email);
  await ui.page.getByLabel('Password').fill(agent.password);
  await ui.page.getByRole('button', { name: 'Log in' }).click();
  await ui.page.getByRole('alert').filter({ hasText: 'Too many failed attempts' }).waitFor();
});

test('logging out returns to the login page and the server refuses the old token', async () => {
  await logIn();
  await ui.page.getByRole('button', { name: 'Log out' }).waitFor();
  const token = await sessionToken();
  expect((await new ApiClient(app.url, token).get('/api/v1/me')).status).toBe(200);
  await ui.page.getByRole('button', { name: 'Log out' }).click();
  await ui.page.getByRole('button', { name: 'Log in' }).waitFor();
  await eventually(async () => (await new ApiClient(app.url, token).get('/api/v1/me')).status === 401);
  expect(await ui.page.evaluate('sessionStorage.getItem("parley.session")')).toBeNull();
});

test('a token the server stops accepting brings back the login page', async () => {
  await logIn();
  await ui.page.getByRole('button', { name: 'Log out' }).waitFor();
  const token = await sessionToken();
  // Revoked elsewhere (another tab's logout): the next request answers 401.
  expect((await new ApiClient(app.url, token).post('/api/v1/auth/logout')).status).toBe(204);
  // The next request answers 401, unless the socket, refused on its way back, has already ended the session:
  // either way the login page says why. (A plain DOM click: the tab may be gone by then.)
  await ui.page.evaluate(`document.querySelector('[role="tab"][aria-selected="false"]')?.click()`);
  await ui.page.getByRole('alert').filter({ hasText: 'Your session has ended' }).waitFor();
  await ui.page.getByRole('button', { name: 'Log in' }).waitFor();
});

test('a Telegram message appears in the list and in the open thread without a reload', async () => {
  await customerWrites(9001, 'Łucja', 'Dzień dobry, gdzie jest moja paczka? 📦', 'Wójcik');
  await logIn();
  await row('Łucja Wójcik').click();
  await ui.page.getByTestId('thread').getByText('Dzień dobry, gdzie jest moja paczka? 📦').waitFor();
  const url = ui.page.url();

  // A new conversation and a new message in the open one arrive over the socket.
  await customerWrites(9002, 'Тарас', 'Привіт! Чи можна змінити адресу доставки?');
  await row('Тарас').getByText('Привіт! Чи можна змінити адресу доставки?').waitFor();
  await customerWrites(9001, 'Łucja', 'Numer zamówienia: 12345 — zażółć gęślą jaźń', 'Wójcik');
  await ui.page.getByTestId('thread').getByText('Numer zamówienia: 12345 — zażółć gęślą jaźń').waitFor();
  await row('Łucja Wójcik').getByText('Numer zamówienia: 12345 — zażółć gęślą jaźń').waitFor();
  expect(ui.page.url()).toBe(url);
  expect(await row('Łucja Wójcik').getAttribute('class')).toContain('unread');
  expect(await row('Łucja Wójcik').locator('.badge').textContent()).toBe('Telegram');
  await ui.page.screenshot({ path: join(SCREENSHOTS, 'inbox.png') });
});

test("the agent's answer reaches the Bot API and its tick moves to sent by itself", async () => {
  await customerWrites(9101, 'Ágnes', 'Jó napot! Segítene?', 'Kovács');
  await logIn();
  await row('Ágnes Kovács').click();
  await ui.page.getByTestId('thread').getByText('Jó napot! Segítene?').waitFor();
  await ui.page.getByRole('button', { name: 'Assign to me' }).click();
  await ui.page.getByText('Assigned to you').waitFor();

  const composer = ui.page.getByRole('textbox', { name: /Write a reply/ });
  await composer.fill('Seveda, z veseljem pomagam.');
  await composer.press('Shift+Enter');
  await composer.pressSequentially('Köszönöm a türelmét! 🙏');
  await composer.press('Enter');
  const reply = 'Seveda, z veseljem pomagam.\nKöszönöm a türelmét! 🙏';

  const sent = await eventually(async () => {
    for (const call of telegram.fake.sendCalls()) if ((await FakeTelegramBotApi.chatIdOf(call)) === '9101') return call;
    return undefined;
  });
  expect(sent.json.text).toBe(reply);
  const bubble = ui.page.locator('.msg-agent', { hasText: 'Seveda, z veseljem pomagam.' });
  await bubble.locator('[data-testid="tick"][data-status="sent"]').waitFor();
  expect(await composer.inputValue()).toBe('');

  // A private note is styled apart and never sent.
  await ui.page.getByLabel('Private note').check();
  await ui.page.getByRole('textbox', { name: /private note/ }).fill('Klientka VIP');
  await ui.page.getByRole('textbox', { name: /private note/ }).press('Enter');
  await ui.page.locator('.msg-note', { hasText: 'Klientka VIP' }).waitFor();
  await ui.page.getByRole('button', { name: 'Resolve' }).click();
  await ui.page.getByRole('button', { name: 'Reopen' }).waitFor();
  await ui.page.screenshot({ path: join(SCREENSHOTS, 'conversation.png') });
  expect(telegram.fake.sendCalls().filter((c) => c.json?.text === 'Klientka VIP')).toHaveLength(0);
});

test('customer text that looks like HTML is shown literally and runs nothing', async () => {
  const img = '<img src=x onerror=alert(1)>';
  const script = '<script>alert(1)</script>';
  await customerWrites(9201, '<b>Mallory</b>', img);
  await customerWrites(9201, '<b>Mallory</b>', script);
  await logIn();
  await row('<b>Mallory</b>').click();
  const thread = ui.page.getByTestId('thread');
  await thread.getByText(script, { exact: true }).waitFor();
  await thread.getByText(img, { exact: true }).waitFor();
  expect(await thread.locator('img').count()).toBe(0);
  expect(await thread.locator('script').count()).toBe(0);
  expect(await ui.page.locator('b', { hasText: 'Mallory' }).count()).toBe(0);
  expect(ui.browser.dialogs).toEqual([]);
});

test('an agent switches to Polish and sees the inbox in Polish', async () => {
  await logIn();
  await ui.page.getByRole('button', { name: 'Log out' }).waitFor();
  // The language is in the profile menu.
  await ui.page.getByRole('button', { name: /Profile menu of/ }).click();
  await ui.page.getByLabel('Language').selectOption('pl');
  await ui.page.getByRole('button', { name: 'Wyloguj' }).waitFor();
  await ui.page.getByRole('tab', { name: 'Moje' }).waitFor();
  await ui.page.getByRole('tab', { name: 'Nieprzypisane' }).waitFor();
  await ui.page.getByRole('combobox', { name: 'Kanał' }).waitFor();
  expect(await ui.page.locator('html').getAttribute('lang')).toBe('pl');
  // The choice stays after a reload.
  await ui.page.reload();
  await ui.page.getByRole('tab', { name: 'Wszystkie' }).waitFor();
});

test('after a dropped connection it says so, and catches up with what it missed once back', async () => {
  await customerWrites(9301, 'Žiga', 'Pozdravljeni!', 'Novak');
  await logIn();
  await row('Žiga Novak').click();
  await ui.page.getByTestId('thread').getByText('Pozdravljeni!').waitFor();
  await ui.page.locator('.conn-live').waitFor();

  await ui.browser.context.setOffline(true);
  await ui.page.getByRole('status').filter({ hasText: 'Reconnecting…' }).waitFor();
  // Written while the agent is away: no event reaches this tab.
  await customerWrites(9301, 'Žiga', 'Ali me slišite? Čakam že dolgo.', 'Novak');
  await customerWrites(9302, 'Ольга', 'Добрий день!');
  await ui.browser.context.setOffline(false);
  await ui.page.locator('.conn-live').waitFor();
  await ui.page.getByTestId('thread').getByText('Ali me slišite? Čakam že dolgo.').waitFor();
  await row('Ольга').waitFor();
});

test('the sandbox round trip: a customer writes in the simulator, the agent answers, the reply arrives read', async () => {
  await logIn('/simulator');
  await ui.page.getByRole('button', { name: 'Create a sandbox channel' }).click();
  await ui.page.getByLabel('Your name').fill('Zofia Wiśniewska');
  await ui.page.getByLabel('Message').fill('Dzień dobry! Czy mogę zmienić adres dostawy? 🙂');
  await ui.page.getByRole('button', { name: 'Send as customer' }).click();
  const simulatorThread = ui.page.getByTestId('simulator-thread');
  await simulatorThread.getByText('Dzień dobry! Czy mogę zmienić adres dostawy? 🙂').waitFor();

  await ui.page.goto(`${app.url}/?view=all`);
  await row('Zofia Wiśniewska').click();
  expect(await row('Zofia Wiśniewska').locator('.badge').textContent()).toBe('Sandbox');
  await ui.page.getByTestId('thread').getByText('Dzień dobry! Czy mogę zmienić adres dostawy? 🙂').waitFor();
  const conversationUrl = ui.page.url();
  const composer = ui.page.getByRole('textbox', { name: /Write a reply/ });
  await composer.fill('Oczywiście! Proszę podać nowy adres.');
  await composer.press('Enter');
  // Stored by the sandbox platform: its delivery receipt moves the tick without a reload.
  await ui.page.locator('.msg-agent', { hasText: 'Oczywiście!' }).locator('[data-testid="tick"][data-status="delivered"]').waitFor();

  await ui.page.goto(`${app.url}/simulator`);
  const reply = simulatorThread.locator('[data-from="agent"]', { hasText: 'Oczywiście! Proszę podać nowy adres.' });
  await reply.waitFor();
  await ui.page.getByLabel('Message').fill('ul. Długa 5, Kraków');
  await ui.page.getByRole('button', { name: 'Send as customer' }).click();
  await simulatorThread.getByText('ul. Długa 5, Kraków').waitFor();
  await reply.locator('[data-testid="tick"][data-status="read"]').waitFor();
  await ui.page.screenshot({ path: join(SCREENSHOTS, 'simulator.png') });

  // The customer saw it: the agent's tick reads "read".
  await ui.page.goto(conversationUrl);
  await ui.page.locator('.msg-agent', { hasText: 'Oczywiście!' }).locator('[data-testid="tick"][data-status="read"]').waitFor();
  await ui.page.getByTestId('thread').getByText('ul. Długa 5, Kraków').waitFor();
});

test('a reply the platform refuses shows failed with the reason, and the next one is refused in words', async () => {
  await customerWrites(9402, 'Marko', 'Hvala!');
  await customerWrites(9401, 'Blažka', 'Pomoč, prosim.');
  await logIn();
  await row('Blažka').click();
  await ui.page.getByTestId('thread').getByText('Pomoč, prosim.').waitFor();
  const blazka = ui.page.url();
  // j/k (or the arrows) move through the list, Enter opens.
  await ui.page.keyboard.press('j');
  await ui.page.keyboard.press('Enter');
  await ui.page.getByTestId('thread').getByText('Hvala!').waitFor();
  expect(ui.page.url()).not.toBe(blazka);
  await ui.page.keyboard.press('k');
  await ui.page.keyboard.press('Enter');
  await ui.page.getByTestId('thread').getByText('Pomoč, prosim.').waitFor();
  expect(ui.page.url()).toBe(blazka);

  telegram.fake.blockNext();
  const composer = ui.page.getByRole('textbox', { name: /Write a reply/ });
  await composer.fill('Trenutek, preverim.');
  await composer.press('Enter');
  const failed = ui.page.locator('.msg-agent', { hasText: 'Trenutek, preverim.' }).locator('[data-testid="tick"][data-status="failed"]');
  await failed.waitFor();
  expect(await failed.textContent()).toContain('blocked');

  await composer.fill('Ste še tam?');
  await composer.press('Enter');
  await ui.page.getByRole('alert').filter({ hasText: 'The customer has blocked this channel' }).waitFor();
  expect(await composer.inputValue()).toBe('Ste še tam?');
});
