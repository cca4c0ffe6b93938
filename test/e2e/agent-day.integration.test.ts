import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator } from 'playwright-core';
import { ADMIN, ApiClient, eventually, type TestParley } from '../support/parley';
import { TelegramInbox } from '../support/telegram-inbox';
import { WhatsAppCloudInbox } from '../support/whatsapp-cloud-inbox';
import { startWebApp, useBrowser } from './app-fixture';
import { expectNoSeriousViolations } from './axe';
import { logInThroughPage } from './browser';

/**
 * An agent's day in the real browser, against the real server, PostgreSQL and Redis, with WhatsApp's Graph API
 * and Telegram's Bot API faked on 127.0.0.1: receipts move ticks, a failed reply is retried, a file goes out,
 * the contact panel merges two people, a hidden tab counts new messages, and axe finds nothing serious.
 */
const SCREENSHOTS = join(__dirname, '../../docs/screenshots');
const FIXTURES = join(__dirname, '../../connectors/whatsapp-cloud/fixtures');
const UI_TIMEOUT = 20_000;
/** Small, so an oversized upload is cheap to make: the app must name this limit. */
const MAX_UPLOAD_BYTES = 200_000;

let app: TestParley;
let whatsapp: WhatsAppCloudInbox;
let telegram: TelegramInbox;
let admin: ApiClient;
const ui = useBrowser({ timeoutMs: UI_TIMEOUT });

beforeAll(async () => {
  ({ app, admin } = await startWebApp({ MAX_UPLOAD_BYTES: String(MAX_UPLOAD_BYTES) }));
  whatsapp = await new WhatsAppCloudInbox(app, admin).start('Sklep');
  telegram = await new TelegramInbox(app, admin).start('Wsparcie');
}, 120_000);

afterAll(async () => {
  await app?.stop();
  await whatsapp?.stop();
  await telegram?.stop();
});

/** The pywa `read` status fixture, turned into a `delivered` receipt for one of our sends. */
async function deliveredReceipt(wamid: string, waId: string): Promise<void> {
  const payload = JSON.parse(readFileSync(join(FIXTURES, 'pywa-status-read.json'), 'utf8'));
  const status = payload.entry[0].changes[0].value.statuses[0];
  Object.assign(status, { id: wamid, status: 'delivered', recipient_id: waId, timestamp: String(Math.floor(Date.now() / 1000)) });
  payload.entry[0].changes[0].value.contacts[0].wa_id = waId;
  await whatsapp.post(payload);
}

const logIn = (path = '/?view=all') => logInThroughPage(ui.page, app.url, ADMIN, path);
const bubble = (text: string) => ui.page.locator('.msg-agent', { hasText: text });
const tick = (text: string, status: string) => bubble(text).locator(`[data-testid="tick"][data-status="${status}"]`);
/** Evaluated in the page, where `document` exists. */
const hasFocus = (l: Locator) => l.evaluate((el) => el === (globalThis as any).document.activeElement);
const composer = () => ui.page.getByRole('textbox', { name: /Write a reply/ });

async function openConversation(id: string, firstText: string) {
  await logIn(`/conversations/${id}?view=all`);
  await ui.page.getByTestId('thread').getByText(firstText).waitFor();
}

// --- the tests ---------------------------------------------------------------------------------------------------

test('a WhatsApp `delivered` status turns the reply’s tick to delivered without a reload', async () => {
  const conversation = await whatsapp.customerWrites('48501000001', 'Zofia Wiśniewska', 'Dzień dobry! Kiedy dostawa?');
  await openConversation(conversation.id, 'Dzień dobry! Kiedy dostawa?');
  const wamid = whatsapp.fake.peekNextMessageId();
  await composer().fill('Jutro przed 12:00 — zażółć gęślą jaźń 🚚');
  await composer().press('Enter');
  await tick('Jutro przed 12:00', 'sent').waitFor();
  expect(whatsapp.fake.messageCalls().some((c) => c.json?.text?.body === 'Jutro przed 12:00 — zażółć gęślą jaźń 🚚')).toBe(true);

  await deliveredReceipt(wamid, '48501000001');
  await tick('Jutro przed 12:00', 'delivered').waitFor();
  expect(await tick('Jutro przed 12:00', 'delivered').getAttribute('title')).toBe('Delivered');
});

test('a failed send shows its reason next to a Retry button, and the retry goes out as sent', async () => {
  const conversation = await whatsapp.customerWrites('48501000002', 'Тарас Шевченко', 'Привіт! Де моє замовлення?');
  await openConversation(conversation.id, 'Привіт! Де моє замовлення?');
  whatsapp.fake.undeliverableNext();
  await composer().fill('Вибачте, перевіряю.');
  await composer().press('Enter');
  const failed = tick('Вибачте, перевіряю.', 'failed');
  await failed.waitFor();
  expect(await failed.textContent()).toContain('WhatsApp could not deliver it');

  const wamid = whatsapp.fake.peekNextMessageId();
  await bubble('Вибачте, перевіряю.').getByRole('button', { name: 'Retry' }).click();
  await tick('Вибачте, перевіряю.', 'sent').waitFor();
  expect(await bubble('Вибачте, перевіряю.').getByRole('button', { name: 'Retry' }).count()).toBe(0);
  expect(whatsapp.fake.messageCalls().filter((c) => c.json?.text?.body === 'Вибачте, перевіряю.')).toHaveLength(2);
  const stored = (await admin.get(`/api/v1/conversations/${conversation.id}/messages`)).body.messages.find((m: any) => m.text === 'Вибачте, перевіряю.');
  expect(stored).toMatchObject({ status: 'sent', platformMessageId: wamid, failureReason: null });
});

test('an attached image shows a preview, uploads, and reaches WhatsApp with its caption; an oversized file is refused naming the limit', async () => {
  const conversation = await whatsapp.customerWrites('48501000003', 'Ágnes Kovács', 'Küldene egy fotót?');
  await openConversation(conversation.id, 'Küldene egy fotót?');
  const input = ui.page.getByTestId('attach-input');

  // Over the server's MAX_UPLOAD_BYTES: refused in words, with the limit.
  await input.setInputFiles({ name: 'túl-nagy.bin', mimeType: 'application/octet-stream', buffer: Buffer.alloc(MAX_UPLOAD_BYTES + 1000) });
  await ui.page.getByRole('alert').filter({ hasText: 'this server accepts files up to 195.3 kB' }).waitFor();
  expect(await ui.page.getByRole('alert').textContent()).toContain('túl-nagy.bin');

  const png = await ui.page.screenshot({ clip: { x: 0, y: 0, width: 240, height: 160 } });
  await input.setInputFiles({ name: 'zdjęcie.png', mimeType: 'image/png', buffer: png });
  const attached = ui.page.getByTestId('attached-file');
  await attached.getByRole('img', { name: 'Preview of zdjęcie.png' }).waitFor();
  await attached.getByText('Attached: it goes with the reply.').waitFor();
  expect(await ui.page.getByRole('alert').count()).toBe(0);
  await composer().fill('Tessék, a fotó 📷');
  await ui.page.getByRole('button', { name: 'Send', exact: true }).click();

  const sent = await eventually(() => whatsapp.fake.messageCalls().find((c) => c.json?.to === '48501000003' && c.json?.type === 'image'), 20_000);
  expect(sent.json.image.caption).toBe('Tessék, a fotó 📷');
  expect(whatsapp.fake.media.get(sent.json.image.id)?.data.equals(png)).toBe(true);
  await tick('Tessék, a fotó 📷', 'sent').waitFor();
  // The sent image shows inline in the thread (fetched with the token into a blob URL).
  await bubble('Tessék, a fotó 📷').getByRole('img', { name: 'zdjęcie.png' }).waitFor();
  expect(await attached.count()).toBe(0);
});

test('voice plays in place, a location is a map link, a document downloads', async () => {
  const waId = '48501000004';
  whatsapp.fake.media.set('9001', { data: Buffer.from('OggS fake voice'), mimeType: 'audio/ogg; codecs=opus' });
  whatsapp.fake.media.set('9002', { data: Buffer.from('%PDF-1.4 faktura'), mimeType: 'application/pdf' });
  const sends = (type: string, body: Record<string, unknown>) => whatsapp.customerSends(waId, 'Žiga Novak', type, body);
  const conversation = await whatsapp.customerWrites(waId, 'Žiga Novak', 'Pošiljam datoteke.');
  await sends('audio', { id: '9001', mime_type: 'audio/ogg; codecs=opus', voice: true });
  await sends('location', { latitude: 46.0569, longitude: 14.5058, name: 'Prešernov trg' });
  await sends('document', { id: '9002', mime_type: 'application/pdf', filename: 'račun.pdf' });
  await openConversation(conversation.id, 'Pošiljam datoteke.');

  const thread = ui.page.getByTestId('thread');
  const audio = thread.locator('audio[controls]');
  await audio.waitFor();
  expect(await audio.getAttribute('src')).toMatch(/^blob:/);
  const map = thread.getByRole('link', { name: /Prešernov trg/ });
  expect(await map.getAttribute('href')).toBe('https://www.openstreetmap.org/?mlat=46.0569&mlon=14.5058#map=16/46.0569/14.5058');
  expect(await map.getAttribute('rel')).toBe('noopener noreferrer');
  expect(await map.getAttribute('target')).toBe('_blank');
  const download = ui.page.waitForEvent('download');
  await thread.getByRole('button', { name: 'Download račun.pdf' }).click();
  expect((await download).suggestedFilename()).toBe('račun.pdf');
});

test('the contact panel shows identities and other conversations, and an admin merges two contacts', async () => {
  const onWhatsApp = await whatsapp.customerWrites('48501000005', 'Łucja Wójcik', 'Dzień dobry, tu Łucja z WhatsAppa.');
  await telegram.customerWrites(5005, 'Cześć, piszę też z Telegrama.', 'Łucja');
  await openConversation(onWhatsApp.id, 'Dzień dobry, tu Łucja z WhatsAppa.');
  const panel = ui.page.getByRole('complementary', { name: 'Contact' });
  await panel.getByRole('heading', { name: 'Łucja Wójcik' }).waitFor();
  expect(await panel.getByTestId('identity').allTextContents()).toEqual(['WhatsApp · SklepŁucja Wójcik · 48501000005']);
  await panel.getByText('No other conversations.').waitFor();

  const mergeButton = panel.getByRole('button', { name: 'Merge with another contact…' });
  await mergeButton.click();
  const dialog = ui.page.getByRole('dialog', { name: 'Merge another contact into Łucja Wójcik' });
  await dialog.waitFor();
  const search = dialog.getByRole('searchbox', { name: 'Find a contact' });
  expect(await hasFocus(search)).toBe(true);
  await search.fill('łucja');
  // The contact itself is not offered: only the other Łucja.
  const candidate = dialog.getByRole('button', { name: /Łucja/ });
  await candidate.waitFor();
  expect(await candidate.count()).toBe(1);
  expect(await candidate.textContent()).toContain('5005');
  await expectNoSeriousViolations(ui.page);
  await candidate.click();
  await dialog.getByText('Łucja will become part of Łucja Wójcik').waitFor();
  await dialog.getByRole('button', { name: 'Merge', exact: true }).click();
  await dialog.waitFor({ state: 'hidden' });
  // Focus is back on the button that opened the dialog.
  expect(await hasFocus(mergeButton)).toBe(true);

  await eventually(async () => (await panel.getByTestId('identity').count()) === 2);
  expect(await panel.getByTestId('identity').allTextContents()).toEqual(['WhatsApp · SklepŁucja Wójcik · 48501000005', 'Telegram · WsparcieŁucja · 5005']);
  const other = panel.getByRole('link', { name: /Telegram · Open/ });
  await other.waitFor();
  const merged = (await admin.get(`/api/v1/contacts/${onWhatsApp.contactId}`)).body.contact;
  expect(merged.identities).toHaveLength(2);
  expect(merged.conversations).toHaveLength(2);
  await ui.page.screenshot({ path: join(SCREENSHOTS, 'contact-panel.png') });

  await other.click();
  await ui.page.getByTestId('thread').getByText('Cześć, piszę też z Telegrama.').waitFor();
});

test('at phone width the contact panel folds behind a button', async () => {
  const conversation = await whatsapp.customerWrites('48501000006', 'Marta Zielińska', 'Halo?');
  await ui.page.setViewportSize({ width: 390, height: 800 });
  await openConversation(conversation.id, 'Halo?');
  const toggle = ui.page.getByRole('button', { name: 'Show contact details' });
  expect(await toggle.getAttribute('aria-expanded')).toBe('false');
  // The conversation's header names her too: the panel's heading is the one folded away.
  const panel = ui.page.getByRole('complementary', { name: 'Contact' });
  expect(await panel.getByRole('heading', { name: 'Marta Zielińska' }).isVisible()).toBe(false);
  expect(await ui.page.getByTestId('thread').isVisible()).toBe(true);
  await toggle.click();
  await panel.getByRole('heading', { name: 'Marta Zielińska' }).waitFor();
  expect(await ui.page.getByRole('button', { name: 'Hide contact details' }).getAttribute('aria-expanded')).toBe('true');
});

test('in a background tab new customer messages count in the title and raise a notification; back in front, the count clears', async () => {
  await ui.browser.context.grantPermissions(['notifications'], { origin: app.url });
  // Records the notifications the page raises (headless Chromium shows none).
  await ui.page.addInitScript(`{
    const Real = window.Notification;
    window.__notifications = [];
    window.Notification = class extends Real {
      constructor(title, options) { super(title, options); window.__notifications.push({ title, body: options && options.body }); }
    };
  }`);
  const conversation = await whatsapp.customerWrites('48501000007', 'Ewa Kowalczyk', 'Pierwsza wiadomość');
  await openConversation(conversation.id, 'Pierwsza wiadomość');
  expect(await ui.page.title()).toBe('Parley');
  await ui.page.getByRole('button', { name: 'Notifications' }).click();
  expect(await ui.page.getByRole('button', { name: 'Notifications' }).getAttribute('aria-pressed')).toBe('true');

  const setVisibility = (state: 'hidden' | 'visible') =>
    ui.page.evaluate(`Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => '${state}' });
      document.dispatchEvent(new Event('visibilitychange'));`);
  await setVisibility('hidden');
  await whatsapp.customerWrites('48501000007', 'Ewa Kowalczyk', 'Druga — czy ktoś tu jest? 🙂');
  await eventually(async () => (await ui.page.title()) === '(1) Parley');
  await whatsapp.customerWrites('48501000008', 'Tomáš Dvořák', 'Dobrý den!');
  await whatsapp.customerWrites('48501000007', 'Ewa Kowalczyk', 'Trzecia');
  await eventually(async () => (await ui.page.title()) === '(3) Parley');
  const shown = await ui.page.evaluate<Array<{ title: string; body: string }>>('window.__notifications');
  expect(shown.map((n) => n.body).sort()).toEqual(['Dobrý den!', 'Druga — czy ktoś tu jest? 🙂', 'Trzecia']);
  expect(shown.every((n) => n.title === 'New customer message')).toBe(true);

  await setVisibility('visible');
  await eventually(async () => (await ui.page.title()) === 'Parley');
  // In front, a new message neither counts nor notifies.
  await whatsapp.customerWrites('48501000007', 'Ewa Kowalczyk', 'Czwarta');
  await ui.page.getByTestId('thread').getByText('Czwarta').waitFor();
  expect(await ui.page.title()).toBe('Parley');
  expect(await ui.page.evaluate('window.__notifications.length')).toBe(3);
});

test('axe finds no serious or critical violation on the login, inbox and conversation pages', async () => {
  const conversation = await whatsapp.customerWrites('48501000009', 'Oľga Horváthová', 'Dobrý deň, mám otázku.');
  await ui.page.goto(app.url);
  await ui.page.getByRole('button', { name: 'Log in' }).waitFor();
  await expectNoSeriousViolations(ui.page);

  await logIn();
  await ui.page.locator('[data-conversation-id]').first().waitFor();
  await expectNoSeriousViolations(ui.page);

  await ui.page.goto(`${app.url}/conversations/${conversation.id}?view=all`);
  await ui.page.getByTestId('thread').getByText('Dobrý deň, mám otázku.').waitFor();
  await ui.page.getByRole('complementary', { name: 'Contact' }).getByRole('heading', { name: 'Oľga Horváthová' }).waitFor();
  await expectNoSeriousViolations(ui.page);
});
