import type { Client } from 'pg';
import { ApiClient, eventually, type TestParley } from '../support/parley';
import { startTestApp } from '../support/test-app';
import { createWebhookChannels, type WebhookChannel, type WebhookChannels } from './hostile/webhook-channels';

/**
 * Hostile input through each webhook connector on the real app: whatever Parley answered 200 for is stored —
 * cleaned to fit the database, with the original kept beside it — or kept as a dead letter. Never a job that fails
 * eight times and vanishes, never a 503 the platform redelivers forever.
 */
let app: TestParley;
let admin: ApiClient;
let db: Client;
let channels: WebhookChannels;

beforeAll(async () => {
  ({ app, admin, db } = await startTestApp());
  channels = await createWebhookChannels(app.url, admin);
});

afterAll(async () => {
  await app?.stop();
  await channels?.stop();
});

const TYPES = ['telegram', 'viber', 'whatsapp_cloud', 'botframework'];
const channel = (type: string): WebhookChannel => channels.all.find((c) => c.type === type)!;

/** The message a sender's identity sent on this channel, with the names stored for them, once stored. */
async function stored(ch: WebhookChannel, senderExternalId: string) {
  return eventually(async () => {
    const { rows } = await db.query(
      `SELECT m.id, m.text, convert_to(m.text, 'UTF8') AS text_bytes, ci.display_name, c.name AS contact_name
       FROM messages m JOIN contact_identities ci ON ci.contact_id = m.sender_contact_id AND ci.channel_id = m.channel_id
       JOIN contacts c ON c.id = ci.contact_id
       WHERE m.channel_id = $1 AND ci.external_id = $2`,
      [ch.id, senderExternalId],
    );
    return rows[0];
  });
}

async function deadLetters(ch: WebhookChannel, where: string, params: unknown[] = []) {
  const { rows } = await db.query(`SELECT id, kind, error, body, message_id, signature_verified FROM dead_letters WHERE channel_id = $1 AND ${where}`, [
    ch.id,
    ...params,
  ]);
  return rows;
}

describe.each(TYPES)('%s', (type) => {
  test('a text with U+0000 is stored without the NUL, and the original is kept linked to the message', async () => {
    const ch = channel(type);
    const msg = ch.message({ text: 'Zamówienie\u0000 nr 5\u0000', senderName: 'Zoë' });
    expect((await ch.post(msg.raw)).status).toBe(200);
    const row = await stored(ch, msg.senderExternalId);
    expect(row.text).toBe('Zamówienie nr 5');

    const [original] = await deadLetters(ch, 'message_id = $2', [row.id]);
    expect(original.kind).toBe('original');
    expect(original.error).toContain('NUL');
    expect(JSON.parse(original.body.toString('utf8')).text).toBe('Zamówienie\u0000 nr 5\u0000');
  });

  test('a 1,000-character sender name is stored cut to its column with a marker, and the original is kept', async () => {
    const ch = channel(type);
    const name = 'Бржезінський-Łukasz '.repeat(50);
    expect(name).toHaveLength(1000);
    const msg = ch.message({ text: 'Dzień dobry', senderName: name });
    expect((await ch.post(msg.raw)).status).toBe(200);
    const row = await stored(ch, msg.senderExternalId);
    expect(row.text).toBe('Dzień dobry');
    expect(Array.from(row.display_name as string)).toHaveLength(300);
    expect(row.display_name).toBe(`${name.slice(0, 299)}…`);
    expect(row.contact_name).toBe(row.display_name);

    const [original] = await deadLetters(ch, 'message_id = $2', [row.id]);
    expect(original.kind).toBe('original');
    expect(original.error).toContain('sender.displayName: cut from 1000 to 300 characters');
    expect(JSON.parse(original.body.toString('utf8')).sender.displayName).toBe(name);
  });

  test('a signed payload with a 50,000-deep field is answered 200 and kept as a dead letter', async () => {
    const ch = channel(type);
    const msg = ch.message({ text: 'deep', senderName: 'Deep', rawField: `${'['.repeat(50_000)}${']'.repeat(50_000)}` });
    const res = await ch.post(msg.raw);
    expect(res.status).toBe(200);
    const kept = await deadLetters(ch, `kind = 'unparseable' AND body = $2`, [msg.raw]);
    expect(kept).toHaveLength(1);
    expect(kept[0].error).toMatch(/nested/);
    expect(kept[0].signature_verified).toBe(true);
    // Redelivered, it is answered the same way: never a 503 that makes the platform retry forever.
    expect((await ch.post(msg.raw)).status).toBe(200);
  });

  test('text in Polish, Russian, Ukrainian, Hungarian and Slovene with emoji survives byte for byte', async () => {
    const ch = channel(type);
    const text = 'Zażółć gęślą jaźń. Съешь же ещё этих мягких булок. Ґанок, їжак, єнот. Árvíztűrő tükörfúrógép. Čšž đćž ŠČŽ. 👋🏽 👨‍👩‍👧 🇵🇱';
    const msg = ch.message({ text, senderName: 'Ярослава Łęcka' });
    expect((await ch.post(msg.raw)).status).toBe(200);
    const row = await stored(ch, msg.senderExternalId);
    expect(row.text).toBe(text);
    expect(Buffer.compare(row.text_bytes, Buffer.from(text, 'utf8'))).toBe(0);
    expect(row.display_name).toBe('Ярослава Łęcka');
    expect(await deadLetters(ch, 'message_id = $2', [row.id])).toHaveLength(0);
  });
});
