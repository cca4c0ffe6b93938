import type { Client } from 'pg';
import type { FakeTelegramBotApi } from '../../connectors/telegram/testing/fake-bot-api';
import { TEST_BOT_TOKEN } from '../../connectors/telegram/testing/harness';
import { gaveUpReason, startPendingSweeper } from '../../src/messages/pending-sweeper';
import { replyJobId } from '../../src/queues/queues';
import { createLogger } from '../../src/logging/logger';
import { ApiClient, connectSocket, eventually, type TestParley } from '../support/parley';
import { startTestApp } from '../support/test-app';
import { TelegramInbox } from '../support/telegram-inbox';

/**
 * A reply still `pending` whose outbound job already finished (its result was never written: the worker was
 * killed, or PostgreSQL was down) must be queued again by the sweeper, not left until BullMQ forgets the job.
 */
let app: TestParley;
let inbox: TelegramInbox;
let fake: FakeTelegramBotApi;
let admin: ApiClient;
let db: Client;
let conversationId: string;

beforeAll(async () => {
  // The app's own sweeper waits an hour: the test runs its sweeps itself.
  ({ app, admin, db } = await startTestApp({ PENDING_SWEEP_MS: '3600000', OUTBOUND_ATTEMPTS: '1' }));
  inbox = await new TelegramInbox(app, admin, TEST_BOT_TOKEN).start();
  fake = inbox.fake;
  conversationId = (await inbox.customerWrites(777, 'Dzień dobry 👋', 'Żaneta')).id;
});

afterAll(async () => {
  await app?.stop();
  await fake?.stop();
});

async function reply(text: string): Promise<string> {
  const res = await admin.post(`/api/v1/conversations/${conversationId}/messages`, { text });
  expect(res.status).toBe(202);
  return res.body.message.id;
}

const sweepOnce = (maxRevivals?: number) =>
  startPendingSweeper(app.parley.ctx.ds, app.parley.ctx.queues, { attempts: 1, everyMs: 3_600_000, olderThanMs: 0, maxRevivals }, createLogger('silent'));

async function jobState(id: string) {
  return (await app.parley.ctx.queues.outbound.getJob(replyJobId(id)))?.getState();
}

test.each(['completed', 'failed'] as const)('a pending reply whose job is %s is queued again and sent', async (finished) => {
  const text = `odpowiedź po ${finished}`;
  if (finished === 'failed') fake.serverErrorNext(); // one attempt only: the job fails…
  const id = await reply(text);
  await eventually(async () => (await jobState(id)) === finished);
  // …and, as when the worker died before writing the result, the reply is left pending.
  await db.query(`UPDATE messages SET status = 'pending', failure_reason = NULL, platform_message_id = NULL WHERE id = $1`, [id]);
  const callsBefore = fake.sendCalls().filter((c) => c.json?.text === text).length;

  const sweeper = sweepOnce();
  sweeper.stop();
  await eventually(async () => (await db.query(`SELECT status FROM messages WHERE id = $1`, [id])).rows[0].status === 'sent');
  expect(fake.sendCalls().filter((c) => c.json?.text === text).length).toBe(callsBefore + 1);
});

test('a reply whose job is still waiting or running is left to it', async () => {
  const id = await reply('Привіт, ще раз');
  const sweeper = sweepOnce();
  sweeper.stop();
  await sweeper.sweep();
  await eventually(async () => (await db.query(`SELECT status FROM messages WHERE id = $1`, [id])).rows[0].status === 'sent');
  await eventually(async () => (await jobState(id)) === 'completed');
  expect(fake.sendCalls().filter((c) => c.json?.text === 'Привіт, ще раз').length).toBe(1);
});

test('a reply left pending again and again is failed after the cap, with the reason and its event, and can be retried', async () => {
  const text = 'Zawsze bez wyniku — Ґанок, Tjaša 🙃';
  const sends = () => fake.sendCalls().filter((c) => c.json?.text === text).length;
  const socket = await connectSocket(app.url, admin.token!);
  try {
    const id = await reply(text);
    const row = async () => (await db.query(`SELECT status, failure_reason, sweeper_revivals FROM messages WHERE id = $1`, [id])).rows[0];
    // The send goes through and, as when its worker dies before writing the result every time, the reply is left pending.
    const leftPending = async () => {
      await eventually(async () => (await row()).status === 'sent' && (await jobState(id)) === 'completed', 20_000);
      await db.query(`UPDATE messages SET status = 'pending', platform_message_id = NULL, sent_at = NULL WHERE id = $1`, [id]);
    };
    await leftPending();
    // Two revivals (the cap here): each sends it again, and is counted in the row.
    for (let revival = 1; revival <= 2; revival++) {
      sweepOnce(2).stop();
      await eventually(async () => (await row()).sweeper_revivals === revival, 20_000);
      await leftPending();
    }
    expect(sends()).toBe(3);

    // The third time it is failed, with the reason in words, and the agent hears of it; it is not sent again.
    sweepOnce(2).stop();
    await eventually(async () => (await row()).status === 'failed', 20_000);
    expect(await row()).toEqual({ status: 'failed', failure_reason: gaveUpReason(2), sweeper_revivals: 2 });
    const updated = await eventually(() =>
      socket.events.find((e) => e.name === 'message.updated' && e.payload.message.id === id && e.payload.message.status === 'failed'),
    );
    expect(updated.payload.message.failureReason).toBe(gaveUpReason(2));
    expect(sends()).toBe(3);

    // The agent retries it: sent once more, and the count starts again.
    expect((await admin.post(`/api/v1/messages/${id}/retry`)).status).toBe(202);
    await eventually(async () => (await row()).status === 'sent', 20_000);
    expect((await row()).sweeper_revivals).toBe(0);
    expect(sends()).toBe(4);
  } finally {
    socket.socket.close();
  }
}, 120_000);

test('a revival that only records a send the platform already took is not counted, and never fails the reply', async () => {
  const id = await reply('Już wysłane, tylko niezapisane');
  await eventually(async () => (await jobState(id)) === 'completed');
  const sent = { platformMessageId: '424242' };
  const job = await app.parley.ctx.queues.outbound.getJob(replyJobId(id));
  await job!.updateData({ ...job!.data, sent });
  // At the cap already: an unrecorded send is still recorded, not failed.
  await db.query(`UPDATE messages SET status = 'pending', platform_message_id = NULL, sweeper_revivals = 2 WHERE id = $1`, [id]);
  const callsBefore = fake.sendCalls().length;
  sweepOnce(2).stop();
  await eventually(async () => (await db.query(`SELECT status FROM messages WHERE id = $1`, [id])).rows[0].status === 'sent', 20_000);
  expect((await db.query(`SELECT platform_message_id, sweeper_revivals FROM messages WHERE id = $1`, [id])).rows[0]).toEqual({
    platform_message_id: '424242',
    sweeper_revivals: 2,
  });
  expect(fake.sendCalls().length).toBe(callsBefore);
});
