import { ApiClient, eventually, startTestParley, type TestParley } from '../support/parley';
import { TelegramInbox } from '../support/telegram-inbox';

/** The inbox list: one request gives everything a row shows, and pages with an exact cursor. */
let app: TestParley;
let admin: ApiClient;
let telegram: TelegramInbox;

beforeAll(async () => {
  app = await startTestParley();
  admin = await ApiClient.login(app.url);
  telegram = await new TelegramInbox(app, admin).start('Pomoc');
});

afterAll(async () => {
  await app?.stop();
  await telegram?.stop();
});

const customerWrites = (chatId: number, firstName: string, text: string) => telegram.deliver({ chatId, firstName, text });

const rowOf = async (chatId: number) =>
  (await admin.get('/api/v1/conversations?limit=200')).body.conversations.find((c: any) => c.externalThreadId === String(chatId));

test('each row carries the contact, the channel, the last message and whether the customer waits', async () => {
  const long = 'Zażółć gęślą jaźń 🙂 '.repeat(20);
  await customerWrites(7001, 'Łukasz', long);
  const row = await eventually(() => rowOf(7001));
  expect(row.contact).toEqual({ id: row.contactId, name: 'Łukasz', avatarUrl: null });
  expect(row.channel).toEqual({ id: telegram.id, type: 'telegram', name: 'Pomoc' });
  // 140 code points: the emoji is never cut in half.
  expect([...row.lastMessage.preview]).toHaveLength(140);
  expect(long.startsWith(row.lastMessage.preview)).toBe(true);
  expect(row.lastMessage).toMatchObject({ direction: 'inbound', private: false, attachmentCount: 0, status: 'received' });
  expect(row.awaitingReply).toBe(true);

  // A private note is the last message, but the customer still waits; a reply ends the wait.
  expect((await admin.post(`/api/v1/conversations/${row.id}/messages`, { text: 'Notatka', private: true })).status).toBe(201);
  const noted = await rowOf(7001);
  expect(noted.lastMessage).toMatchObject({ preview: 'Notatka', private: true, direction: 'outbound' });
  expect(noted.awaitingReply).toBe(true);
  expect((await admin.post(`/api/v1/conversations/${row.id}/messages`, { text: 'Dzień dobry' })).status).toBe(202);
  expect((await rowOf(7001)).awaitingReply).toBe(false);
});

test('the cursor pages through every conversation exactly once', async () => {
  for (const [i, name] of ['Анна', 'Óscar', 'Tjaša', 'Олексій'].entries()) await customerWrites(7100 + i, name, `привіт ${i}`);
  await eventually(async () => (await admin.get('/api/v1/conversations?limit=200')).body.conversations.length >= 5);
  const all = (await admin.get('/api/v1/conversations?limit=200')).body;
  expect(all.nextCursor).toBeNull();
  const seen: string[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 10; page++) {
    const res: any = await admin.get(`/api/v1/conversations?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    expect(res.status).toBe(200);
    seen.push(...res.body.conversations.map((c: any) => c.id));
    cursor = res.body.nextCursor;
    if (!cursor) break;
  }
  expect(seen).toEqual(all.conversations.map((c: any) => c.id));
});

test('a cursor this API did not return is a 400 saying so, and never reaches PostgreSQL', async () => {
  const uuid = '0b6f2a52-6d1e-4c55-9a4e-1f2d3c4b5a69';
  const forged = [
    'bm90LWEtY3Vyc29y', // "not-a-cursor"
    `2026-01-01T00:00:00.000Z|${'-'.repeat(36)}`, // 36 characters of hex and dashes, not a uuid
    '2026-01-01T00:00:00.000Z|0b6f2a526d1e-4c55-9a4e-1f2d3c4b5a69-',
    `2026-01-01T00:00:00.000Z|${uuid.toUpperCase().replace(/-/g, 'f')}`,
    `+275760-09-13T00:00:00.000Z|${uuid}`, // a time a Date holds and PostgreSQL does not
    `0000-01-01T00:00:00.000Z|${uuid}`,
    `2026-01-01T00:00:00.000Z|${uuid}|więcej`,
    `Zażółć|${uuid}`,
  ].map((c) => (c.includes('|') ? Buffer.from(c, 'utf8').toString('base64url') : c));
  for (const cursor of forged) {
    const res = await admin.get(`/api/v1/conversations?cursor=${encodeURIComponent(cursor)}`);
    expect({ cursor, status: res.status, error: res.body.error }).toEqual({ cursor, status: 400, error: 'cursor is not one this API returned' });
  }
  // A well-formed cursor that matches no row is a page like any other.
  const fine = Buffer.from(`2000-01-01T00:00:00.000Z|${uuid}`, 'utf8').toString('base64url');
  expect((await admin.get(`/api/v1/conversations?cursor=${fine}`)).body).toEqual({ conversations: [], nextCursor: null });
});
