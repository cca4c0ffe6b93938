import { join } from 'node:path';
import { Client } from 'pg';
import { DEFAULT_MAX_WEBHOOK_BYTES } from '../../connectors/contract';
import { shippedConnectors } from '../../connectors/registry';
import { Rng, mutate } from '../../connectors/conformance/fuzz';
import { loadFixtureCases } from '../../connectors/shared/testing/fixtures';
import { ApiClient, startTestParley, type TestParley } from '../support/parley';
import { createWebhookChannels, type WebhookChannel, type WebhookChannels } from './hostile/webhook-channels';

/**
 * Malformed, correctly signed bodies to each connector's webhook route on the real app: never a 500 (a platform
 * would retry it forever), and what is acknowledged is kept. The REST API's own malformed requests are tested
 * elsewhere.
 */
let app: TestParley;
let db: Client;
let channels: WebhookChannels;

beforeAll(async () => {
  app = await startTestParley();
  db = new Client({ connectionString: app.databaseUrl });
  await db.connect();
  channels = await createWebhookChannels(app.url, await ApiClient.login(app.url));
});

afterAll(async () => {
  await db?.end();
  await app?.stop();
  await channels?.stop();
});

const FIXTURES: Record<string, string> = {
  telegram: 'telegram',
  viber: 'viber',
  whatsapp_cloud: 'whatsapp-cloud',
  botframework: 'botframework',
};

const HANDWRITTEN: Array<[string, Buffer]> = [
  ['empty', Buffer.alloc(0)],
  ['null', Buffer.from('null')],
  ['a number', Buffer.from('42')],
  ['an array', Buffer.from('[{"event":"message"}]')],
  ['truncated JSON', Buffer.from('{"update_id": 1, "message": {"text": "Cze')],
  ['not JSON', Buffer.from('hello=world&x=1')],
  ['invalid UTF-8', Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0xc3, 0x28, 0x7d])],
  ['NUL bytes', Buffer.from('{"a":"\u0000","\u0000":1}\u0000')],
  ['a lone surrogate escape', Buffer.from('{"event":"message","text":"\\ud800","message":{"text":"\\udc00"}}')],
  ['a 50,000-deep array', Buffer.from(`${'['.repeat(50_000)}${']'.repeat(50_000)}`)],
  ['a 50,000-deep object', Buffer.from(`${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}`)],
  ['a 2 MB string', Buffer.from(JSON.stringify({ text: 'Ł'.repeat(1_000_000) }))],
];

async function statusesFor(ch: WebhookChannel, bodies: Array<[string, Buffer]>): Promise<Array<{ name: string; status: number }>> {
  const out: Array<{ name: string; status: number }> = [];
  for (const [name, body] of bodies) out.push({ name, status: (await ch.post(body)).status });
  return out;
}

describe.each(Object.keys(FIXTURES))('%s webhook', (type) => {
  test('hand-written malformed bodies: never a 5xx, and each is acknowledged or refused, never lost silently', async () => {
    const ch = channels.all.find((c) => c.type === type)!;
    const before = Number((await db.query(`SELECT count(*) AS n FROM dead_letters WHERE channel_id = $1`, [ch.id])).rows[0].n);
    const results = await statusesFor(ch, HANDWRITTEN);
    expect(results.filter((r) => r.status >= 500)).toEqual([]);
    const acknowledged = results.filter((r) => r.status === 200).length;
    // A body over the connector's limit is refused unread (413), never acknowledged and dropped.
    const limit = shippedConnectors.get(type)!.maxWebhookBytes ?? DEFAULT_MAX_WEBHOOK_BYTES;
    const oversized = HANDWRITTEN.filter(([, body]) => body.length > limit).map(([name]) => name);
    expect(results.filter((r) => r.status === 413).map((r) => r.name)).toEqual(oversized);
    // Bot Framework reads the service URL to check the token: a body without one is refused (401), not acknowledged.
    if (type !== 'botframework') expect(acknowledged).toBe(HANDWRITTEN.length - oversized.length);
    const after = Number((await db.query(`SELECT count(*) AS n FROM dead_letters WHERE channel_id = $1`, [ch.id])).rows[0].n);
    // None of these parses into an event: every acknowledged one is a dead letter.
    expect(after - before).toBe(acknowledged);
  });

  test('a signed body with a content type longer than its column is kept, the type cut, not a 500', async () => {
    const ch = channels.all.find((c) => c.type === type)!;
    const contentType = `application/json; x=${'y'.repeat(400)}`;
    const body = Buffer.from(`{"unparseable": "${Date.now()}-${type}"`);
    const res = await ch.post(body, { 'content-type': contentType });
    expect(res.status).toBeLessThan(500);
    if (type !== 'botframework') {
      expect(res.status).toBe(200);
      const { rows } = await db.query(`SELECT content_type FROM dead_letters WHERE channel_id = $1 AND body = $2`, [ch.id, body]);
      expect(rows).toEqual([{ content_type: `${contentType.slice(0, 199)}…` }]);
    }
  });

  test('80 fuzzed copies of its fixtures: never a 5xx', async () => {
    const ch = channels.all.find((c) => c.type === type)!;
    const fixtures = loadFixtureCases(join(__dirname, '../../connectors', FIXTURES[type], 'fixtures'));
    const rng = new Rng(4242);
    const bodies: Array<[string, Buffer]> = [];
    for (let i = 0; i < 80; i++) {
      const fixture = rng.pick(fixtures);
      const { body, description } = mutate(fixture.raw, rng);
      bodies.push([`${fixture.file}: ${description.join('; ')}`, body]);
    }
    expect((await statusesFor(ch, bodies)).filter((r) => r.status >= 500)).toEqual([]);
  });
});
