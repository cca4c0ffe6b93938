import type { Client } from 'pg';
import type { FakeTelegramBotApi } from '../../connectors/telegram/testing/fake-bot-api';
import { TEST_BOT_TOKEN } from '../../connectors/telegram/testing/harness';
import { startPendingSweeper } from '../../src/messages/pending-sweeper';
import { replyJobId } from '../../src/queues/queues';
import { createLogger } from '../../src/logging/logger';
import { ApiClient, eventually, type TestParley } from '../support/parley';
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

const sweepOnce = () =>
  startPendingSweeper(app.parley.ctx.ds, app.parley.ctx.queues, { attempts: 1, everyMs: 3_600_000, olderThanMs: 0 }, createLogger('silent'));

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
