import { createHmac } from 'node:crypto';
import { Client } from 'pg';
import { parseViberWebhookBody } from '../../connectors/viber';
import { TEST_AUTH_TOKEN } from '../../connectors/viber/testing/harness';
import { ApiClient, startTestParley, waitForInboundJob, type TestParley } from '../support/parley';
import { createWebhookChannels, type WebhookChannel, type WebhookChannels } from './hostile/webhook-channels';

/**
 * Subscription changes apply only when newer than the last one applied: Viber retries callbacks, so an older
 * `unsubscribed` can arrive after a newer `subscribed`, and must not mark the customer blocked.
 */
let app: TestParley;
let db: Client;
let channels: WebhookChannels;
let viber: WebhookChannel;

beforeAll(async () => {
  app = await startTestParley();
  db = new Client({ connectionString: app.databaseUrl });
  await db.connect();
  channels = await createWebhookChannels(app.url, await ApiClient.login(app.url));
  viber = channels.all.find((c) => c.type === 'viber')!;
});

afterAll(async () => {
  await db?.end();
  await app?.stop();
  await channels?.stop();
});

const subscribed = (userId: string, timestamp: number) =>
  Buffer.from(JSON.stringify({ event: 'subscribed', timestamp, user: { id: userId, name: 'Mykola Łysenko', language: 'uk', country: 'UA', api_version: 10 } }));
const unsubscribed = (userId: string, timestamp: number) => Buffer.from(JSON.stringify({ event: 'unsubscribed', timestamp, user_id: userId }));

/** Posts a signed callback as Viber does and waits until its inbound job has run. */
async function deliver(body: Buffer): Promise<void> {
  const res = await fetch(`${app.url}${viber.path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-viber-content-signature': createHmac('sha256', TEST_AUTH_TOKEN).update(body).digest('hex') },
    body,
  });
  expect(res.status).toBe(200);
  await waitForInboundJob(app, viber.id, parseViberWebhookBody(body)[0]);
}

async function blockedAt(userId: string): Promise<Date | null> {
  const { rows } = await db.query(`SELECT blocked_at FROM contact_identities WHERE channel_id = $1 AND external_id = $2`, [viber.id, userId]);
  return rows[0].blocked_at;
}

test('a late, older unsubscribed after a newer subscribed leaves the contact reachable', async () => {
  const user = Buffer.from('viber-late-unsub-01').toString('base64');
  const t2 = Date.now() - 60_000;
  const t1 = t2 - 5_000;
  await deliver(subscribed(user, t2));
  await deliver(unsubscribed(user, t1));
  expect(await blockedAt(user)).toBeNull();
});

test('a newer unsubscribed still blocks, and a late older subscribed does not unblock', async () => {
  const user = Buffer.from('viber-late-unsub-02').toString('base64');
  const t1 = Date.now() - 60_000;
  await deliver(subscribed(user, t1));
  await deliver(unsubscribed(user, t1 + 10_000));
  expect(await blockedAt(user)).toEqual(new Date(t1 + 10_000));
  await deliver(subscribed(user, t1 + 5_000));
  expect(await blockedAt(user)).toEqual(new Date(t1 + 10_000));
});
