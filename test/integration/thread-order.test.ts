import type { Client } from 'pg';
import { DataSource } from 'typeorm';
import { ThreadOrder1764400000000 } from '../../migrations/1764400000000-thread-order';
import { MAX_AHEAD_MS, MAX_LATE_MS } from '../../src/messages/thread-order';
import { ApiClient, eventually, type TestParley } from '../support/parley';
import { startTestApp } from '../support/test-app';
import { TelegramInbox } from '../support/telegram-inbox';

/**
 * A thread is listed in the customer's order (src/messages/thread-order.ts): Telegram updates delivered out of
 * order, or late, are listed by the platform's date and, within one second, by message_id; the cursor pages
 * across them; the inbox's preview is the thread's last message; a platform clock that is wildly off is clamped.
 */
let app: TestParley;
let admin: ApiClient;
let db: Client;
let telegram: TelegramInbox;

beforeAll(async () => {
  ({ app, admin, db } = await startTestApp());
  telegram = await new TelegramInbox(app, admin).start('Kolejność');
}, 60_000);

afterAll(async () => {
  await app?.stop();
  await telegram?.stop();
});

/** The customer wrote `text` as message `messageId` at `date` (Unix seconds); Telegram delivers it now. */
async function deliver(chatId: number, messageId: number, date: number, text: string): Promise<void> {
  await telegram.deliver({ chatId, messageId, date, text, firstName: 'Zofia', lastName: 'Źdźbło' });
  // Stored before the next delivery, so storage order is the delivery order.
  await eventually(async () => (await db.query(`SELECT 1 FROM messages WHERE external_id = $1`, [`${chatId}:${messageId}`])).rowCount === 1, 20_000);
}

const conversationOf = (chatId: number) => telegram.conversationOf(chatId);

const texts = (messages: any[]) => messages.map((m) => m.text);

test('updates delivered out of order are listed in the order the customer wrote them, and paged across by the cursor', async () => {
  const chat = 88001;
  const t0 = Math.floor(Date.now() / 1000) - 120;
  // The customer wrote 1 … 5; Telegram delivered 3 first, then 1, then 5 before 4 (4 and 5 in the same second).
  await deliver(chat, 13, t0 + 20, '3. Привіт, де моя посилка? 📦');
  await deliver(chat, 11, t0, '1. Dzień dobry!');
  await deliver(chat, 12, t0 + 5, '2. Zamówienie nr 4711 — zażółć gęślą jaźń');
  await deliver(chat, 15, t0 + 30, '5. Köszönöm szépen!');
  await deliver(chat, 14, t0 + 30, '4. Hvala lepa, čakam 🙏');
  const conversation = await conversationOf(chat);

  // Storage order is the delivery order...
  const stored = await db.query(`SELECT text FROM messages WHERE conversation_id = $1 ORDER BY created_at, id`, [conversation.id]);
  expect(stored.rows.map((r) => r.text[0])).toEqual(['3', '1', '2', '5', '4']);
  // ...the thread is the customer's.
  const all = (await admin.get(`/api/v1/conversations/${conversation.id}/messages`)).body;
  expect(texts(all.messages).map((t) => t[0])).toEqual(['1', '2', '3', '4', '5']);
  expect(all.messages[0].text).toBe('1. Dzień dobry!');
  expect(all.messages[2].text).toBe('3. Привіт, де моя посилка? 📦');
  expect(all.messages.map((m: any) => m.occurredAt)).toEqual([0, 5, 20, 30, 30].map((s) => new Date((t0 + s) * 1000).toISOString()));
  expect([...all.messages.map((m: any) => m.orderKey)].sort()).toEqual(all.messages.map((m: any) => m.orderKey));
  expect(all.nextCursor).toBeNull();

  // An agent's reply, written now, comes after them; a late delivery of an older message goes to its place.
  const reply = await admin.post(`/api/v1/conversations/${conversation.id}/messages`, { text: 'Sprawdzam, chwileczkę.' });
  expect(reply.status).toBe(202);
  await deliver(chat, 10, t0 - 10, '0. (wysłane najpierw, doręczone na końcu)');

  // Pages of two, newest first, each oldest first within: together, the thread in order, each message once.
  const pages: any[][] = [];
  let cursor: string | null = null;
  do {
    const query: string = cursor ? `?limit=2&cursor=${encodeURIComponent(cursor)}` : '?limit=2';
    const res = await admin.get(`/api/v1/conversations/${conversation.id}/messages${query}`);
    expect(res.status).toBe(200);
    pages.push(res.body.messages);
    cursor = res.body.nextCursor;
  } while (cursor && pages.length < 10);
  const paged = pages.reverse().flat();
  expect(texts(paged).map((t) => t[0])).toEqual(['0', '1', '2', '3', '4', '5', 'S']);
  expect(pages.at(-1)!.map((m: any) => m.text)).toEqual(['5. Köszönöm szépen!', 'Sprawdzam, chwileczkę.']);

  // The inbox shows the thread's last message, not the one stored last.
  const row = await conversationOf(chat);
  expect(row.lastMessage).toMatchObject({ preview: 'Sprawdzam, chwileczkę.', direction: 'outbound' });
  expect(row.lastMessage.occurredAt).toBe(paged.at(-1).occurredAt);
  expect(row.awaitingReply).toBe(false);
}, 60_000);

test('a platform clock that is wildly off is clamped to a window around arrival', async () => {
  const chat = 88002;
  const before = Date.now();
  await deliver(chat, 1, Math.floor(Date.UTC(2009, 0, 1) / 1000), 'Zegar z 2009 roku ⏰');
  await deliver(chat, 2, Math.floor(before / 1000) + 3 * 365 * 24 * 3600, 'Zegar z przyszłości 🚀');
  const after = Date.now();
  const conversation = await conversationOf(chat);
  const { messages } = (await admin.get(`/api/v1/conversations/${conversation.id}/messages`)).body;
  expect(texts(messages)).toEqual(['Zegar z 2009 roku ⏰', 'Zegar z przyszłości 🚀']);
  const [past, future] = messages.map((m: any) => Date.parse(m.occurredAt));
  // Clamped relative to arrival, which lies between `before` and `after` (to the millisecond).
  expect(past).toBeGreaterThanOrEqual(before - MAX_LATE_MS);
  expect(past).toBeLessThanOrEqual(after - MAX_LATE_MS);
  expect(future).toBeGreaterThanOrEqual(before + MAX_AHEAD_MS);
  expect(future).toBeLessThanOrEqual(after + MAX_AHEAD_MS);
  // The platform's own time is still kept as it said.
  expect(messages[0].sentAt).toBe('2009-01-01T00:00:00.000Z');
}, 60_000);

test('a cursor the API did not give is a 400, never a 500', async () => {
  const chat = 88003;
  await deliver(chat, 1, Math.floor(Date.now() / 1000), 'Cześć');
  const conversation = await conversationOf(chat);
  for (const cursor of ['nonsense', Buffer.from('2026-01-01T00:00:00.000Z|1|not-a-uuid').toString('base64url'), 'x'.repeat(300)]) {
    const res = await admin.get(`/api/v1/conversations/${conversation.id}/messages?cursor=${cursor}`);
    expect({ status: res.status, error: res.body.error }).toEqual({ status: 400, error: expect.any(String) });
  }
}, 30_000);

test("the migration places existing messages by the platform's time, Telegram's message_id and the reply's creation", async () => {
  const chat = 88004;
  const conversation = await (async () => {
    await deliver(chat, 1, Math.floor(Date.now() / 1000), 'pierwsza');
    return conversationOf(chat);
  })();
  const ds = new DataSource({ type: 'postgres', url: app.databaseUrl });
  await ds.initialize();
  const q = ds.createQueryRunner();
  try {
    // Rows as they were before the migration: a Telegram message stored late, one in the same second with a
    // lower message_id, a WhatsApp-like message without a counter, and a reply.
    await q.startTransaction();
    await new ThreadOrder1764400000000().down(q);
    const insert = (direction: string, externalId: string | null, sentAt: string | null, createdAt: string, text: string) =>
      q.query(
        `INSERT INTO messages (conversation_id, channel_id, direction, text, external_id, status, sent_at, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [conversation.id, telegram.id, direction, text, externalId, direction === 'inbound' ? 'received' : 'sent', sentAt, createdAt],
      );
    await insert('inbound', `${chat}:12`, '2026-03-01T10:00:05Z', '2026-03-01T10:00:06Z', 'b');
    await insert('inbound', `${chat}:11`, '2026-03-01T10:00:05Z', '2026-03-01T10:05:00Z', 'a');
    await insert('outbound', null, '2026-03-01T10:00:08Z', '2026-03-01T10:00:07.5Z', 'c');
    await insert('inbound', `${chat}:99`, '1999-01-01T00:00:00Z', '2026-03-01T10:00:09Z', 'd');
    await new ThreadOrder1764400000000().up(q);
    const rows = await q.query(
      `SELECT text, sort_at, sort_seq FROM messages WHERE conversation_id = $1 AND text IN ('a', 'b', 'c', 'd') ORDER BY sort_at, sort_seq, id`,
      [conversation.id],
    );
    expect(rows.map((r: any) => [r.text, r.sort_at.toISOString(), r.sort_seq])).toEqual([
      // Years back: clamped to 7 days before it was stored.
      ['d', '2026-02-22T10:00:09.000Z', '99'],
      ['a', '2026-03-01T10:00:05.000Z', '11'],
      ['b', '2026-03-01T10:00:05.000Z', '12'],
      ['c', '2026-03-01T10:00:07.500Z', '0'],
    ]);
    await q.rollbackTransaction();
  } finally {
    if (q.isTransactionActive) await q.rollbackTransaction();
    await q.release();
    await ds.destroy();
  }
}, 60_000);
