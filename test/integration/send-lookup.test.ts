import type { Client } from 'pg';
import { FakeWhatsAppSession } from '../../connectors/whatsapp-web/testing/fake-session';
import { FakeWhatsAppWeb } from '../../connectors/whatsapp-web/testing/fake-whatsapp-web';
import { enqueueReply, replyJobId } from '../../src/queues/queues';
import { ApiClient, eventually, type TestParley } from '../support/parley';
import { startTestApp } from '../support/test-app';

/**
 * Where the platform can be asked what the account already sent (WhatsApp Web keeps the chat's history), a
 * reply whose previous attempt's outcome is unknown is looked up there and recorded, not sent a second time.
 */
let app: TestParley;
let fake: FakeWhatsAppWeb;
let admin: ApiClient;
let db: Client;

beforeAll(async () => {
  fake = new FakeWhatsAppWeb();
  await fake.start();
  ({ app, admin, db } = await startTestApp(
    { PENDING_SWEEP_MS: '3600000' },
    {
      sessionFactories: { whatsapp_web: (account) => new FakeWhatsAppSession(account.id, { backendUrl: fake.url, readyOnStart: true }) },
      sessionReconcileMs: 600_000,
    },
  ));
});

afterAll(async () => {
  await app?.stop();
  await fake?.stop();
});

test('a send in doubt that WhatsApp already has is recorded with its id and not sent again', async () => {
  const channel = (await admin.post('/api/v1/channels', { type: 'whatsapp_web', name: 'phone' })).body.channel;
  await app.parley.sessions!.reconcile();
  const contact = (await db.query(`INSERT INTO contacts (name) VALUES ('Mária') RETURNING id`)).rows[0].id;
  await db.query(`INSERT INTO contact_identities (contact_id, channel_id, external_id) VALUES ($1, $2, '36301234567@c.us')`, [contact, channel.id]);
  const conversationId = (
    await db.query(
      `INSERT INTO conversations (channel_id, contact_id, external_thread_id, last_inbound_at) VALUES ($1, $2, '36301234567@c.us', now()) RETURNING id`,
      [channel.id, contact],
    )
  ).rows[0].id;

  const text = 'Köszönöm, máris küldöm 📦';
  const id = (await admin.post(`/api/v1/conversations/${conversationId}/messages`, { text })).body.message.id;
  const row = async () => (await db.query(`SELECT status, platform_message_id, send_in_doubt FROM messages WHERE id = $1`, [id])).rows[0];
  await eventually(async () => (await row()).status === 'sent');
  const { platform_message_id: platformId } = await row();
  await eventually(async () => (await (await app.parley.ctx.queues.outbound.getJob(replyJobId(id)))?.getState()) === 'completed');

  // As a worker killed after WhatsApp took the message, before the answer was written, leaves it.
  await db.query(`UPDATE messages SET status = 'pending', platform_message_id = NULL, sent_at = NULL, send_attempted_at = created_at WHERE id = $1`, [id]);
  await (await app.parley.ctx.queues.outbound.getJob(replyJobId(id)))!.remove();
  await enqueueReply(app.parley.ctx.queues, id, 3);

  await eventually(async () => (await row()).status === 'sent');
  expect(await row()).toEqual({ status: 'sent', platform_message_id: platformId, send_in_doubt: 1 });
  expect(fake.sendCalls().filter((c) => c.json?.text === text)).toHaveLength(1);
});
