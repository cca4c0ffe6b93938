import { Client } from 'pg';
import { Redis } from 'ioredis';
import { FakeWhatsAppSession } from '../../connectors/whatsapp-web/testing/fake-session';
import { FakeWhatsAppWeb } from '../../connectors/whatsapp-web/testing/fake-whatsapp-web';
import { sessionLockKey } from '../../src/channels/session-runtime';
import { ApiClient, eventually, startTestParley, type TestParley } from '../support/parley';
import { TEST_REDIS_URL } from '../support/env';

/**
 * A WhatsApp Web session lives in the one worker holding its lock. Here another process holds it (a foreign
 * lock in Redis): this process's reply waits for the owner without using up attempts, and goes out once this
 * process takes the session over after the owner is gone.
 */
let app: TestParley;
let fake: FakeWhatsAppWeb;
let admin: ApiClient;
let db: Client;
let redis: Redis;

beforeAll(async () => {
  fake = new FakeWhatsAppWeb();
  await fake.start();
  app = await startTestParley(
    {},
    {
      sessionFactories: { whatsapp_web: (account) => new FakeWhatsAppSession(account.id, { backendUrl: fake.url, readyOnStart: true }) },
      // Reconciled by hand below, so the foreign lock is in place before this process looks at the channel.
      sessionReconcileMs: 600_000,
      sessionLockRetryMs: 300,
    },
  );
  admin = await ApiClient.login(app.url);
  db = new Client({ connectionString: app.databaseUrl });
  await db.connect();
  redis = new Redis(TEST_REDIS_URL);
});

afterAll(async () => {
  await redis?.quit();
  await db?.end();
  await app?.stop();
  await fake?.stop();
});

test('a reply waits for the session owner without using attempts, and goes out when this process takes over', async () => {
  const channel = (await admin.post('/api/v1/channels', { type: 'whatsapp_web', name: 'phone' })).body.channel;
  const lockKey = sessionLockKey(app.config.redisPrefix, channel.id);
  expect(await redis.set(lockKey, 'another-process', 'PX', 60_000, 'NX')).toBe('OK');
  await app.parley.sessions!.reconcile();

  // A conversation from before (its messages came in while the other process ran the session).
  const contact = (await db.query(`INSERT INTO contacts (name) VALUES ('Wen') RETURNING id`)).rows[0].id;
  await db.query(`INSERT INTO contact_identities (contact_id, channel_id, external_id) VALUES ($1, $2, '4915100000001@c.us')`, [contact, channel.id]);
  const conversationId = (
    await db.query(
      `INSERT INTO conversations (channel_id, contact_id, external_thread_id, last_inbound_at) VALUES ($1, $2, '4915100000001@c.us', now()) RETURNING id`,
      [channel.id, contact],
    )
  ).rows[0].id;

  const reply = await admin.post(`/api/v1/conversations/${conversationId}/messages`, { text: 'are you still there?' });
  expect(reply.status).toBe(202);
  await new Promise((r) => setTimeout(r, 2500));
  const job = await app.parley.ctx.queues.outbound.getJob(`out-${reply.body.message.id}`);
  expect(job).toBeDefined();
  expect(job!.attemptsMade).toBe(0);
  expect((await db.query(`SELECT status FROM messages WHERE id = $1`, [reply.body.message.id])).rows[0].status).toBe('pending');
  expect(fake.calls.filter((c) => c.method === 'POST')).toHaveLength(0);

  // The other process is gone: its lock is released, this one takes the session over and sends.
  await redis.del(lockKey);
  await eventually(async () => (await admin.get(`/api/v1/channels/${channel.id}/session`)).body.session.status === 'ready', 10_000);
  await eventually(async () => (await db.query(`SELECT status FROM messages WHERE id = $1`, [reply.body.message.id])).rows[0].status === 'sent', 15_000);
  const sends = fake.calls.filter((c) => c.method === 'POST' && c.json?.text === 'are you still there?');
  expect(sends).toHaveLength(1);
  expect(sends[0].json.chatId).toBe('4915100000001@c.us');
}, 40_000);
