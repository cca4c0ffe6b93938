import { AutoReplyService } from '../../src/auto-replies/auto-reply.service';
import { CustomerMessageReplies } from '../../src/auto-replies/customer-message-replies';
import { ApiClient, eventually, startTestParley, type TestParley } from '../support/parley';
import { TelegramInbox } from '../support/telegram-inbox';

/**
 * Working hours, the out-of-office reply, the greeting and editable messages, through the real queues and
 * database with Telegram faked. The workers read working hours against a clock the test sets: a Friday night,
 * a holiday, the nights clocks change.
 */
let app: TestParley;
let admin: ApiClient;
let now = new Date('2026-11-24T10:00:00Z');
const inboxes: TelegramInbox[] = [];
let chat = 700_000;

const weekdays9to17 = Object.fromEntries(['1', '2', '3', '4', '5'].map((d) => [d, [{ open: '09:00', close: '17:00' }]]));
const warsawHours = {
  name: 'Biuro',
  timeZone: 'Europe/Warsaw',
  weekly: weekdays9to17,
  holidays: [
    { date: '2026-12-24', name: 'Wigilia' },
    { date: '2026-12-25', name: 'Boże Narodzenie' },
  ],
};

beforeAll(async () => {
  app = await startTestParley({}, { clock: () => now });
  admin = await ApiClient.login(app.url);
}, 60_000);

afterAll(async () => {
  await app?.stop();
  for (const i of inboxes) await i.stop();
});

async function newInbox(name = 'Sklep Żółw'): Promise<TelegramInbox> {
  const inbox = await new TelegramInbox(app, admin).start(name);
  inboxes.push(inbox);
  return inbox;
}

async function agentClient(): Promise<ApiClient> {
  const email = `agent${++chat}@parley.test`;
  expect((await admin.post('/api/v1/agents', { email, name: 'Agentka', password: 'agent-password-1' })).status).toBe(201);
  return ApiClient.login(app.url, email, 'agent-password-1');
}

/** Every event relayed and every automatic-reply job done: nothing more will be written for what was sent. */
async function settled(): Promise<void> {
  await eventually(async () => {
    const [{ n }] = await app.parley.ctx.ds.query(`SELECT count(*)::int AS n FROM domain_events WHERE dispatched_at IS NULL`);
    const counts = await app.parley.ctx.queues.autoReplies.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
    return n === 0 && Object.values(counts).every((c) => c === 0);
  }, 20_000);
}

async function thread(conversationId: string): Promise<Array<{ text: string; automatic: string | null; direction: string }>> {
  const res = await admin.get(`/api/v1/conversations/${conversationId}/messages?limit=100`);
  expect(res.status).toBe(200);
  return res.body.messages;
}

test('a bad schedule is a 400 naming the field; agents read the hours, only admins write them', async () => {
  const inbox = await newInbox();
  const path = `/api/v1/channels/${inbox.id}/working-hours`;
  const bad = [
    { ...warsawHours, timeZone: 'Europe/Atlantis' },
    { ...warsawHours, weekly: { '1': [{ open: '17:00', close: '09:00' }] } },
    {
      ...warsawHours,
      weekly: {
        '2': [
          { open: '08:00', close: '12:30' },
          { open: '12:00', close: '16:00' },
        ],
      },
    },
    { ...warsawHours, weekly: { '8': [{ open: '08:00', close: '12:00' }] } },
    { ...warsawHours, holidays: [{ date: '2026-02-30' }] },
    { ...warsawHours, weekly: { '1': [{ open: '9', close: '17:00' }] } },
  ];
  for (const body of bad) {
    const res = await admin.request('PUT', path, body);
    expect([res.status, typeof res.body.error]).toEqual([400, 'string']);
    expect(res.body.details.length).toBeGreaterThan(0);
  }
  const overlap = await admin.request('PUT', path, bad[2]);
  expect(overlap.body.details).toEqual([{ path: 'weekly.2', message: 'intervals overlap: 08:00–12:30 and 12:00–16:00' }]);

  expect((await admin.get(path)).body).toEqual({ workingHours: null, openNow: true, nextOpening: null });
  const put = await admin.request('PUT', path, warsawHours);
  expect(put.status).toBe(200);
  const agent = await agentClient();
  expect((await agent.get(path)).body.workingHours).toEqual(warsawHours);
  expect((await agent.request('PUT', path, warsawHours)).status).toBe(403);
  expect((await agent.request('DELETE', path)).status).toBe(403);
  expect((await admin.request('PUT', `/api/v1/channels/${crypto.randomUUID()}/working-hours`, warsawHours)).status).toBe(404);
  expect((await admin.request('DELETE', path)).status).toBe(204);
  expect((await admin.get(path)).body.workingHours).toBeNull();
});

test('two messages the same Friday night get one out-of-office reply, in Polish, naming Monday 9:00', async () => {
  const inbox = await newInbox();
  expect((await admin.request('PUT', `/api/v1/channels/${inbox.id}/working-hours`, warsawHours)).status).toBe(200);
  expect((await admin.patch(`/api/v1/channels/${inbox.id}/routing`, { announceQueuePosition: true })).status).toBe(200);
  now = new Date('2026-11-27T20:00:00Z'); // Friday 21:00 in Warsaw
  const chatId = ++chat;
  const [c] = await Promise.all([
    inbox.customerWrites(chatId, 'Dzień dobry, gdzie jest moja paczka?', 'Łucja', 'pl'),
    inbox.customerWrites(chatId, 'Halo? 📦', 'Łucja', 'pl'),
  ]);
  await eventually(async () => (await thread(c.id)).filter((m) => m.direction === 'inbound').length === 2);
  await settled();
  const expected = 'Dzień dobry Łucja, teraz nas nie ma. Wracamy w poniedziałek o 09:00 i wtedy odpowiemy.';
  await eventually(() => inbox.textsTo(chatId).length > 0);
  // Out of hours the queue says nothing: the out-of-office reply is the answer.
  expect((await thread(c.id)).filter((m) => m.automatic)).toEqual([expect.objectContaining({ text: expected, automatic: 'out_of_office' })]);
  expect(inbox.textsTo(chatId)).toEqual([expected]);

  // Saturday morning is another local day: one more, still naming Monday.
  now = new Date('2026-11-28T08:00:00Z');
  await inbox.customerWrites(chatId, 'Jest sobota, nadal czekam', 'Łucja', 'pl');
  await eventually(() => inbox.textsTo(chatId).length === 2);
  await settled();
  expect(inbox.textsTo(chatId)).toEqual([expected, expected]);
});

test('five workers deciding on the same message at once send one reply', async () => {
  // No hours yet when the message arrives, so no job decides it: the five deciders below are the first.
  const inbox = await newInbox();
  now = new Date('2026-11-25T22:00:00Z'); // Wednesday 23:00
  const chatId = ++chat;
  const c = await inbox.customerWrites(chatId, 'Добрий вечір!', 'Олена', 'uk');
  await settled();
  expect((await admin.request('PUT', `/api/v1/channels/${inbox.id}/working-hours`, warsawHours)).status).toBe(200);
  const [message] = (await thread(c.id)).filter((m) => m.direction === 'inbound') as Array<{ id?: string }>;
  // Each with its own services, as separate worker processes would have.
  const deciders = Array.from({ length: 5 }, () => new CustomerMessageReplies(app.parley.ctx.ds, new AutoReplyService(app.parley.ctx.queues, 3, () => now)));
  await Promise.all(deciders.map((d) => d.handle(c.id, message.id!)));
  await settled();
  const automatic = (await thread(c.id)).filter((m) => m.automatic);
  expect(automatic.map((m) => m.text)).toEqual(['Вітаємо, Олена! Зараз ми не на зв’язку. Повернемося завтра о 09:00 і відповімо вам.']);
  await eventually(() => inbox.textsTo(chatId).length === 1);
});

test('the opening named right across a holiday and both daylight-saving changes', async () => {
  const inbox = await newInbox();
  const sundays = { ...warsawHours, weekly: { ...weekdays9to17, '7': [{ open: '10:00', close: '14:00' }] } };
  expect((await admin.request('PUT', `/api/v1/channels/${inbox.id}/working-hours`, sundays)).status).toBe(200);
  const cases: Array<{ at: string; lang: string; says: string }> = [
    // Wednesday 23 December, 18:00: Christmas Eve and Day are holidays, Saturday is closed, Sunday opens at 10:00.
    { at: '2026-12-23T17:00:00Z', lang: 'pl', says: 'Wracamy w niedzielę o 10:00' },
    // Sunday 29 March 2026, 01:30 CET: clocks jump to 03:00 at 02:00; today 10:00 CEST (08:00 UTC), not 11:00.
    { at: '2026-03-29T00:30:00Z', lang: 'uk', says: 'Повернемося сьогодні о 10:00' },
    // Sunday 25 October 2026, 02:30 CET after the clocks went back: today 10:00 CET (09:00 UTC), not 09:00.
    { at: '2026-10-25T01:30:00Z', lang: 'ru', says: 'Вернёмся сегодня в 10:00' },
    // Saturday 24 October 2026, 23:00 CEST, the night before: Sunday 10:00, on the other side of the change.
    { at: '2026-10-24T21:00:00Z', lang: 'en', says: 'We are back tomorrow at 10:00 AM' },
    // Friday evening in November: the weekend is skipped up to Sunday.
    { at: '2026-11-27T18:30:00Z', lang: 'hu', says: 'Visszatérünk vasárnap 10:00-kor' },
  ];
  for (const k of cases) {
    now = new Date(k.at);
    const chatId = ++chat;
    await inbox.customerWrites(chatId, 'Hej', 'Ana', k.lang);
    const text = await eventually(() => inbox.textsTo(chatId)[0]);
    expect([k.at, text]).toEqual([k.at, expect.stringContaining(k.says)]);
  }
  await settled();
});

test('the greeting: once per new conversation, before the queue position, with the name as plain text', async () => {
  const inbox = await newInbox('Sklep {{contact.name}}');
  expect((await admin.patch(`/api/v1/channels/${inbox.id}/routing`, { strategy: 'manual', announceQueuePosition: true })).status).toBe(200);
  expect((await admin.patch(`/api/v1/channels/${inbox.id}/auto-replies`, { greetingEnabled: true })).status).toBe(200);
  now = new Date('2026-11-24T10:00:00Z'); // no working hours: always open anyway
  const chatId = ++chat;
  const name = `{{inbox.name}} ${'Ż'.repeat(100)}`;
  const c = await inbox.customerWrites(chatId, 'Pierwsza wiadomość', name, 'pl');
  await inbox.customerWrites(chatId, 'Druga wiadomość', name, 'pl');
  await eventually(async () => (await thread(c.id)).filter((m) => m.automatic).length === 2);
  await settled();
  const cappedName = `{{inbox.name}} ${'Ż'.repeat(44)}…`;
  const automatic = (await thread(c.id)).filter((m) => m.automatic);
  expect(automatic.map((m) => [m.automatic, m.text])).toEqual([
    ['greeting', `Dzień dobry ${cappedName}, dziękujemy za wiadomość do Sklep {{contact.name}}. Konsultant wkrótce odpowie.`],
    ['queue_position', 'Jesteś 1. w kolejce, około 2 min.'],
  ]);

  // Resolved, then the customer writes again after the reopen window (here none): a new conversation, greeted
  // again. Within the window the same conversation reopens, and a reopened conversation is not greeted.
  expect((await admin.patch(`/api/v1/channels/${inbox.id}/lifecycle`, { reopenWithinHours: 0 })).status).toBe(200);
  expect((await admin.patch(`/api/v1/conversations/${c.id}/status`, { status: 'resolved' })).status).toBe(200);
  await inbox.customerWrites(chatId, 'Jeszcze jedno pytanie', name, 'pl');
  const again = await eventually(async () => {
    const list = (await admin.get(`/api/v1/conversations?channelId=${inbox.id}&limit=50`)).body.conversations;
    return list.find((x: { id: string; externalThreadId: string }) => x.externalThreadId === String(chatId) && x.id !== c.id);
  });
  await eventually(async () => (await thread(again.id)).some((m) => m.automatic === 'greeting'));
  await settled();
  expect((await thread(again.id)).filter((m) => m.automatic === 'greeting')).toHaveLength(1);
});

test('messages are edited per language: an override for Polish, the default for English, unknown placeholders refused', async () => {
  const inbox = await newInbox('Wsparcie');
  const path = `/api/v1/channels/${inbox.id}/auto-replies`;
  const bad = await admin.patch(path, { overrides: { pl: { greeting: 'Cześć {{contact.email}}, pozycja {{position}}' } } });
  expect(bad.status).toBe(400);
  expect(bad.body.details).toEqual([
    { path: 'overrides.pl.greeting', message: 'unknown placeholder {{contact.email}}, {{position}}: greeting may use {{contact.name}}, {{inbox.name}}' },
  ]);
  expect((await admin.patch(path, { overrides: { 'pl-PL': { greeting: 'x' } } })).status).toBe(400);
  expect((await admin.patch(path, { overrides: { pl: { farewell: 'x' } } })).status).toBe(400);
  const agent = await agentClient();
  expect((await agent.patch(path, { greetingEnabled: true })).status).toBe(403);

  const set = await admin.patch(path, {
    greetingEnabled: true,
    defaultLanguage: 'sl',
    overrides: { pl: { greeting: 'Cześć {{contact.name}}! Tu {{inbox.name}} 🙂' } },
  });
  expect(set.status).toBe(200);
  const pl = set.body.autoReplies.languages.find((l: { language: string }) => l.language === 'pl');
  expect(pl.messages.greeting).toEqual({
    text: 'Cześć {{contact.name}}! Tu {{inbox.name}} 🙂',
    overridden: true,
    defaultText: 'Dzień dobry {{contact.name}}, dziękujemy za wiadomość do {{inbox.name}}. Konsultant wkrótce odpowie.',
  });
  expect((await agent.get(path)).body.autoReplies).toMatchObject({ defaultLanguage: 'sl', greetingEnabled: true });

  now = new Date('2026-11-24T10:00:00Z');
  const [p, e, unknown] = [++chat, ++chat, ++chat];
  await inbox.customerWrites(p, 'Dzień dobry', 'Jadwiga', 'pl-PL');
  await inbox.customerWrites(e, 'Hello', 'John', 'en');
  await inbox.customerWrites(unknown, 'Hallo', 'Grete'); // no language reported: the inbox's default, Slovene
  await eventually(() => [p, e, unknown].every((id) => inbox.textsTo(id).length === 1));
  expect(inbox.textsTo(p)).toEqual(['Cześć Jadwiga! Tu Wsparcie 🙂']);
  expect(inbox.textsTo(e)).toEqual(['Hello John, thank you for writing to Wsparcie. An agent will be with you shortly.']);
  expect(inbox.textsTo(unknown)).toEqual(['Pozdravljeni Grete, hvala za sporočilo Wsparcie. Svetovalec se vam bo kmalu oglasil.']);

  const cleared = await admin.patch(path, { overrides: { pl: { greeting: null } } });
  expect(cleared.body.autoReplies.languages.find((l: { language: string }) => l.language === 'pl').messages.greeting.overridden).toBe(false);
  await settled();
});
