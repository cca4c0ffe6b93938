import { join } from 'node:path';
import type { Page } from 'playwright-core';
import QRCode from 'qrcode';
import { FakeTelegramBotApi } from '../../connectors/telegram/testing/fake-bot-api';
import type { WhatsAppWebAccount } from '../../connectors/whatsapp-web';
import { FakeWhatsAppSession } from '../../connectors/whatsapp-web/testing/fake-session';
import { ADMIN, ApiClient, eventually, randomBotToken, type TestParley } from '../support/parley';
import { startWebApp, useBrowser } from './app-fixture';
import { expectNoSeriousViolations } from './axe';
import { logInThroughPage } from './browser';

/**
 * The admin's channels screen in a real browser against the real server, PostgreSQL and Redis: Telegram faked
 * by its Bot API on 127.0.0.1, WhatsApp Web by a fake session the worker's runtime runs (as Chromium would).
 */
const SCREENSHOTS = join(__dirname, '../../docs/screenshots');
const UI_TIMEOUT = 15_000;

let app: TestParley;
let telegram: FakeTelegramBotApi;
let admin: ApiClient;
const ui = useBrowser({ timeoutMs: UI_TIMEOUT });
/** Every WhatsApp Web session the runtime built, by channel id. */
const sessions = new Map<string, FakeWhatsAppSession>();

beforeAll(async () => {
  telegram = new FakeTelegramBotApi(randomBotToken());
  await telegram.start();
  ({ app, admin } = await startWebApp(
    {},
    {
      sessionFactories: {
        whatsapp_web: (account) => {
          const session = new FakeWhatsAppSession((account as WhatsAppWebAccount).id);
          sessions.set(session.channelId, session);
          return session;
        },
      },
      sessionReconcileMs: 200,
    },
  ));
}, 120_000);

afterAll(async () => {
  await app?.stop();
  await telegram?.stop();
});

const dialog = () => ui.page.getByRole('dialog');
const row = (name: string) => ui.page.locator('tr', { has: ui.page.getByRole('rowheader', { name, exact: true }) });

async function openChannels() {
  await logInThroughPage(ui.page, app.url, ADMIN, '/settings/channels');
  await ui.page.getByRole('heading', { name: 'Channels', level: 1 }).waitFor();
}

async function openConnect(typeLabel: string) {
  await ui.page.getByRole('button', { name: 'Connect a channel' }).click();
  await dialog().getByLabel('Type').selectOption({ label: typeLabel });
}

/**
 * True when the canvas shows exactly the QR code of `text`: every module sampled at its centre, against the
 * modules `qrcode` computes here (the page draws them with scale 5 and a margin of 2).
 */
async function canvasShows(canvas: ReturnType<Page['locator']>, text: string): Promise<boolean> {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  // The canvas as the page has it (no DOM types in the tests' compilation).
  const drawn = await canvas.evaluate((el: { width: number; getContext(kind: '2d'): any }, size: number) => {
    const ctx = el.getContext('2d');
    const scale = 5;
    const margin = 2;
    const dark: number[] = [];
    if (el.width !== (size + 2 * margin) * scale) return null;
    for (let r = 0; r < size; r++) {
      for (let c = 0; c < size; c++) {
        const x = Math.floor((margin + c + 0.5) * scale);
        const y = Math.floor((margin + r + 0.5) * scale);
        dark.push(ctx.getImageData(x, y, 1, 1).data[0] < 128 ? 1 : 0);
      }
    }
    return dark;
  }, modules.size);
  return drawn !== null && drawn.join('') === Array.from(modules.data, (d) => (d ? 1 : 0)).join('');
}

test('an admin connects Telegram through the form: refused in words, then the webhook URL and secret once, never again', async () => {
  await openChannels();
  await openConnect('Telegram');
  const form = dialog();
  await form.getByLabel('Name').fill('Obsługa — Telegram');
  // The form is the connector's schema: required marker, password field, help text, defaults.
  expect(await form.getByLabel('Bot token').getAttribute('type')).toBe('password');
  expect(await form.getByLabel('Bot token').getAttribute('required')).not.toBeNull();
  expect(await form.getByLabel('Webhook secret').getAttribute('required')).toBeNull();
  expect(await form.getByLabel('Bot API root').inputValue()).toBe('https://api.telegram.org');
  await form.getByText('From @BotFather in Telegram').waitFor();

  const wrong = '123123123:WrongTokenNotKnownToTelegram_42';
  await form.getByLabel('Bot token').fill(wrong);
  await form.getByLabel('Bot API root').fill(telegram.url);
  await form.getByRole('button', { name: 'Connect', exact: true }).click();
  await form.getByRole('alert').filter({ hasText: 'Telegram refused the bot token: Unauthorized' }).waitFor();
  expect(await form.getByRole('alert').textContent()).not.toContain('WrongToken');

  await form.getByLabel('Bot token').fill(telegram.token);
  await form.getByRole('button', { name: 'Connect', exact: true }).click();
  await ui.page.getByRole('dialog', { name: 'Channel connected' }).waitFor();
  await form.getByText('“Obsługa — Telegram” is connected as @parley_test_bot.').waitFor();
  const webhookUrl = (await form.getByTestId('webhook-url').textContent())!;
  const secret = (await form.getByTestId('secret-webhookSecret').textContent())!;
  expect(webhookUrl).toMatch(/^https:\/\/parley\.example\.test\/webhooks\/[\w-]+$/);
  expect(secret).toMatch(/^[\w-]{43}$/);
  await form.getByRole('button', { name: 'Copy Webhook secret' }).waitFor();

  // The secret shown is the channel's: Telegram's updates signed with it are taken.
  const update = {
    update_id: 1,
    message: {
      message_id: 1,
      date: 1767225600,
      chat: { id: 4242, type: 'private' },
      from: { id: 4242, is_bot: false, first_name: 'Jürgen' },
      text: 'Grüß Gott! Ich habe eine Frage 🙂',
    },
  };
  const hook = await fetch(`${app.url}${new URL(webhookUrl).pathname}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret },
    body: JSON.stringify(update),
  });
  expect(hook.status).toBe(200);

  // Registering the webhook from the dialog hands Telegram that URL and secret.
  await form.getByRole('button', { name: 'Register webhook' }).click();
  await form.getByText('Webhook registered.').waitFor();
  expect(telegram.webhookUrl).toBe(webhookUrl);
  expect(telegram.callsTo(/\/setWebhook$/).at(-1)!.json.secret_token).toBe(secret);

  await form.getByRole('button', { name: 'Done' }).click();
  await row('Obsługa — Telegram').getByText('@parley_test_bot').waitFor();
  expect(await ui.page.content()).not.toContain(secret);
  await ui.page.reload();
  await row('Obsługa — Telegram').waitFor();
  expect(await ui.page.content()).not.toContain(secret);
  const read = await admin.get('/api/v1/channels');
  expect(JSON.stringify(read.body)).not.toContain(secret);
  expect(JSON.stringify(read.body)).not.toContain(telegram.token.split(':')[1]);
});

test('a WhatsApp Web channel shows the QR code of its session, redrawn when it rotates, then its state; pair again restarts it', async () => {
  await openChannels();
  await openConnect('WhatsApp (WhatsApp Web, unofficial)');
  await dialog().getByLabel('Name').fill('Telefon sklepu');
  await dialog().getByRole('button', { name: 'Connect', exact: true }).click();
  await ui.page.getByRole('dialog', { name: 'Channel connected' }).getByText('Scan the pairing QR code').waitFor();
  await dialog().getByRole('button', { name: 'Done' }).click();

  const channelId = (await row('Telefon sklepu').getAttribute('data-channel-id'))!;
  const session = await eventually(() => sessions.get(channelId), 20_000);
  const first = '2@Zm9vYmFyLXBhaXJpbmctY29kZS0x,PgDLk1fCq8S9w0Wv2XgNmA==,b3JhbmdlLWtleS1mb3ItcGFyaXM=,c2VjcmV0LWtleQ==';
  session.showQr(first);
  const qr = row('Telefon sklepu').getByRole('img', { name: 'Pairing QR code for Telefon sklepu' });
  await qr.and(ui.page.locator(`[data-qr="${first}"]`)).waitFor();
  await eventually(() => canvasShows(qr, first));
  await row('Telefon sklepu').getByText('Waiting for the phone to pair').waitFor();

  // WhatsApp rotates the code about every 20 seconds: the page draws the new one in place of the old.
  const second = '2@YW5vdGhlci1wYWlyaW5nLWNvZGUtMg==,QmFyQmF6UXV4MTIzNDU2Nzg5MA==,bmV3LWtleS1mb3Itd2Fyc2F3,a2V5LTI=';
  session.showQr(second);
  await qr.and(ui.page.locator(`[data-qr="${second}"]`)).waitFor();
  await eventually(() => canvasShows(qr, second));
  expect(await canvasShows(qr, first)).toBe(false);
  await ui.page.screenshot({ path: join(SCREENSHOTS, 'channels.png') });

  session.becomeReady();
  await row('Telefon sklepu').getByText('Ready', { exact: true }).waitFor();
  expect(await qr.count()).toBe(0);
  session.disconnect('LOGOUT');
  await row('Telefon sklepu').getByText('Disconnected: LOGOUT. Pair again to reconnect.').waitFor();
  const starts = session.starts;
  await row('Telefon sklepu').getByRole('button', { name: 'Pair again' }).click();
  await eventually(() => session.starts > starts, 20_000);
});

test('the channels page and its connect dialog have no serious accessibility violations', async () => {
  // A channel of each kind in the list: one with a webhook, one with a session.
  await admin.post('/api/v1/channels', { type: 'sandbox', name: 'Piaskownica', settings: { apiRoot: `${app.url}/sandbox` } });
  await admin.post('/api/v1/channels', { type: 'whatsapp_web', name: 'Drugi telefon' });
  await openChannels();
  await row('Piaskownica').waitFor();
  await row('Drugi telefon').getByTestId('session-state').waitFor();
  await expectNoSeriousViolations(ui.page);
  await openConnect('Viber');
  await dialog().getByLabel('Sender name').waitFor();
  await expectNoSeriousViolations(ui.page);
});

test('edit renames and re-checks new credentials; Escape closes a dialog; delete asks first and removes the webhook', async () => {
  await openChannels();
  const edit = ui.page.getByRole('button', { name: 'Edit Obsługa — Telegram' });
  await edit.click();
  const form = ui.page.getByRole('dialog', { name: 'Edit “Obsługa — Telegram”' });
  // Secrets are never shown back: an empty field keeps the stored one.
  expect(await form.getByLabel('Bot token').inputValue()).toBe('');
  await form.getByLabel('Bot token').fill(randomBotToken());
  await form.getByRole('button', { name: 'Save' }).click();
  await form.getByRole('alert').filter({ hasText: 'Telegram refused the bot token: Unauthorized' }).waitFor();
  await form.getByLabel('Bot token').fill('');
  await form.getByLabel('Name').fill('Ügyfélszolgálat 🇭🇺');
  const getMeBefore = telegram.callsTo(/\/getMe$/).length;
  await form.getByRole('button', { name: 'Save' }).click();
  await row('Ügyfélszolgálat 🇭🇺').waitFor();
  // A rename alone asks Telegram nothing.
  expect(telegram.callsTo(/\/getMe$/)).toHaveLength(getMeBefore);

  // Keyboard: Escape closes, and focus goes back to the button that opened the dialog.
  const editAgain = ui.page.getByRole('button', { name: 'Edit Ügyfélszolgálat 🇭🇺' });
  await editAgain.focus();
  await ui.page.keyboard.press('Enter');
  await ui.page.getByRole('dialog').waitFor();
  await ui.page.keyboard.press('Escape');
  await ui.page.getByRole('dialog').waitFor({ state: 'detached' });
  expect(await ui.page.evaluate('document.activeElement?.getAttribute("aria-label")')).toBe('Edit Ügyfélszolgálat 🇭🇺');

  await ui.page.getByRole('button', { name: 'Delete Ügyfélszolgálat 🇭🇺' }).click();
  // Cancel is focused first: Enter on an opened delete dialog deletes nothing.
  expect(await ui.page.evaluate('document.activeElement?.textContent')).toBe('Cancel');
  const confirm = ui.page.getByRole('dialog', { name: 'Delete “Ügyfélszolgálat 🇭🇺”?' });
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  expect(telegram.callsTo(/\/deleteWebhook$/)).toHaveLength(0);
  await ui.page.getByRole('button', { name: 'Delete Ügyfélszolgálat 🇭🇺' }).click();
  await confirm.getByRole('button', { name: 'Delete the channel' }).click();
  await ui.page.getByRole('status').filter({ hasText: '“Ügyfélszolgálat 🇭🇺” was deleted. Telegram no longer delivers to this channel.' }).waitFor();
  expect(await row('Ügyfélszolgálat 🇭🇺').count()).toBe(0);
  expect(telegram.callsTo(/\/deleteWebhook$/)).toHaveLength(1);
  expect(telegram.webhookUrl).toBeUndefined();
});
