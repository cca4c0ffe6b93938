import type { Client } from 'pg';
import { FakeTelegramBotApi } from '../../connectors/telegram/testing/fake-bot-api';
import { TEST_BOT_TOKEN } from '../../connectors/telegram/testing/harness';
import { enqueueReply, replyJobId } from '../../src/queues/queues';
import { ApiClient, eventually, type TestParley } from '../support/parley';
import { startTestApp } from '../support/test-app';
import { TelegramInbox } from '../support/telegram-inbox';

/**
 * Every send is recorded before the platform is called, so a re-run knows when the previous attempt's outcome
 * is unknown; a send that went through is never repeated because its result could not be written at once.
 */
let app: TestParley;
let inbox: TelegramInbox;
let fake: FakeTelegramBotApi;
let admin: ApiClient;
let db: Client;
let conversationId: string;

beforeAll(async () => {
  ({ app, admin, db } = await startTestApp({ PENDING_SWEEP_MS: '3600000' }));
  inbox = await new TelegramInbox(app, admin, TEST_BOT_TOKEN).start();
  fake = inbox.fake;
  conversationId = (await inbox.customerWrites(778, 'Jó napot 🙂', 'Jánoš')).id;
});

afterAll(async () => {
  await db?.query(`DROP TRIGGER IF EXISTS refuse_sent ON messages`).catch(() => undefined);
  await app?.stop();
  await fake?.stop();
});

async function reply(text: string): Promise<string> {
  const res = await admin.post(`/api/v1/conversations/${conversationId}/messages`, { text });
  expect(res.status).toBe(202);
  return res.body.message.id;
}

const row = async (id: string) => (await db.query(`SELECT status, send_attempts, send_attempted_at, send_in_doubt FROM messages WHERE id = $1`, [id])).rows[0];
const sends = (text: string) => fake.sendCalls().filter((c) => c.json?.text === text).length;

test('an error the platform answered is not in doubt: the retry is counted, not suspected', async () => {
  fake.serverErrorNext();
  const id = await reply('Szia, újra');
  await eventually(async () => (await row(id)).status === 'sent');
  expect(await row(id)).toMatchObject({ send_attempts: 2, send_in_doubt: 0, send_attempted_at: null });
  expect(sends('Szia, újra')).toBe(2);
});

test('a send whose result PostgreSQL refuses for a while is recorded when it can be, and sent once', async () => {
  // Stands in for a PostgreSQL restart between the platform's answer and the write of the result.
  await db.query(`CREATE OR REPLACE FUNCTION refuse_sent() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN IF NEW.status = 'sent' AND NEW.text LIKE 'Dobrý%' THEN RAISE EXCEPTION 'refused for the test'; END IF; RETURN NEW; END $$`);
  await db.query(`CREATE TRIGGER refuse_sent BEFORE UPDATE ON messages FOR EACH ROW EXECUTE FUNCTION refuse_sent()`);
  const id = await reply('Dobrý den, Ludmilo');
  await fake.waitForCall((c) => c.json?.text === 'Dobrý den, Ludmilo');
  await eventually(async () => (await app.parley.ctx.queues.outbound.getJob(replyJobId(id)))?.data.sent);
  await db.query(`DROP TRIGGER refuse_sent ON messages`);
  await eventually(async () => (await row(id)).status === 'sent', 20_000);
  expect(sends('Dobrý den, Ludmilo')).toBe(1);
  expect((await row(id)).send_in_doubt).toBe(0);
});

test('a reply left pending mid-send is known to be in doubt when it is sent again', async () => {
  const id = await reply('Добрий день');
  await eventually(async () => (await row(id)).status === 'sent');
  await eventually(async () => (await (await app.parley.ctx.queues.outbound.getJob(replyJobId(id)))?.getState()) === 'completed');
  // As a worker killed after calling the platform leaves it.
  await db.query(`UPDATE messages SET status = 'pending', platform_message_id = NULL, send_attempted_at = now() WHERE id = $1`, [id]);
  await (await app.parley.ctx.queues.outbound.getJob(replyJobId(id)))!.remove();
  await enqueueReply(app.parley.ctx.queues, id, 3);
  await eventually(async () => (await row(id)).status === 'sent');
  expect(await row(id)).toMatchObject({ send_attempts: 2, send_in_doubt: 1, send_attempted_at: null });
});

test('a send that timed out stays in doubt: the platform may have it, so the next attempt is counted as one', async () => {
  const slow = new FakeTelegramBotApi('222222222:AAHslowPlatformTokenAAAAAAAAAAAAAAA');
  await slow.start();
  try {
    const ch = (
      await admin.post('/api/v1/channels', {
        type: 'telegram',
        name: 'slow bot',
        credentials: { botToken: slow.token },
        settings: { apiRoot: slow.url, timeoutMs: 1000 },
      })
    ).body.channel;
    await admin.post(`/api/v1/channels/${ch.id}/register-webhook`);
    const secret = slow.callsTo(/setWebhook/)[0].json.secret_token;
    const update = {
      update_id: 1,
      message: {
        message_id: 1,
        date: Math.floor(Date.now() / 1000),
        chat: { id: 779, type: 'private' },
        from: { id: 779, is_bot: false, first_name: 'Špela' },
        text: 'Živjo',
      },
    };
    await fetch(`${app.url}${new URL(ch.webhookUrl).pathname}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret },
      body: JSON.stringify(update),
    });
    const conversation = await eventually(async () =>
      (await admin.get('/api/v1/conversations')).body.conversations.find((c: { channelId: string }) => c.channelId === ch.id),
    );
    slow.latencyMs = 1500; // longer than the channel's timeout: Parley gives up waiting, the platform still takes it
    const id = (await admin.post(`/api/v1/conversations/${conversation.id}/messages`, { text: 'Hvala, Špela' })).body.message.id;
    await slow.waitForCall((c) => c.json?.text === 'Hvala, Špela');
    slow.latencyMs = 0;
    await eventually(async () => (await row(id)).status === 'sent');
    expect(await row(id)).toMatchObject({ send_attempts: 2, send_in_doubt: 1, send_attempted_at: null });
  } finally {
    await slow.stop();
  }
});
