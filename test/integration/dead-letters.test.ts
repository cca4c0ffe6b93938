import type { Client } from 'pg';
import { parseViberWebhookBody } from '../../connectors/viber';
import { inboundJobId } from '../../src/queues/queues';
import { deadLetterDetailSchema, deadLetterSchema } from '../../src/http/views/dead-letter.view';
import { ApiClient, eventually, type TestParley } from '../support/parley';
import { createAgent, startTestApp } from '../support/test-app';
import { createWebhookChannels, type WebhookChannel, type WebhookChannels } from './hostile/webhook-channels';

/**
 * Dead letters end to end: an inbound job that fails for good leaves one (instead of vanishing after eight
 * attempts), and admins list, read, replay and discard them through the API; agents may not.
 */
let app: TestParley;
let admin: ApiClient;
let agent: ApiClient;
let db: Client;
let channels: WebhookChannels;
let viber: WebhookChannel;

beforeAll(async () => {
  ({ app, admin, db } = await startTestApp());
  channels = await createWebhookChannels(app.url, admin);
  viber = channels.all.find((c) => c.type === 'viber')!;
  agent = (await createAgent(app, admin, { email: 'agent@parley.test', name: 'Agnieszka', password: 'agent password 123' })).client;
});

afterAll(async () => {
  await app?.stop();
  await channels?.stop();
});

/** A dead letter as an older Parley (or a connector since fixed) left it. */
async function insertDeadLetter(kind: string, body: Buffer, error = 'parser error: something the old parser did not know', contentType = 'application/json') {
  const { rows } = await db.query(`INSERT INTO dead_letters (channel_id, kind, error, content_type, body) VALUES ($1, $2, $3, $4, $5) RETURNING id`, [
    viber.id,
    kind,
    error,
    contentType,
    body,
  ]);
  return rows[0].id as string;
}

async function messageFrom(senderExternalId: string) {
  const { rows } = await db.query(
    `SELECT m.text FROM messages m JOIN contact_identities ci ON ci.contact_id = m.sender_contact_id AND ci.channel_id = m.channel_id
     WHERE m.channel_id = $1 AND ci.external_id = $2`,
    [viber.id, senderExternalId],
  );
  return rows[0];
}

describe('an inbound job that fails for good', () => {
  test('leaves a dead letter with the event and the error on its last attempt, and ends', async () => {
    const event = { type: 'status' as const, platformMessageId: `never-sent-${Date.now()}`, status: 'read' as const };
    const jobId = inboundJobId(viber.id, event)!;
    await app.parley.ctx.queues.inbound.add('status', { channelId: viber.id, receivedAt: new Date().toISOString(), event }, { jobId, attempts: 1 });

    const [kept] = await eventually(async () => {
      const { rows } = await db.query(`SELECT kind, error, body FROM dead_letters WHERE kind = 'failed' AND convert_from(body, 'UTF8') LIKE $1`, [
        `%${event.platformMessageId}%`,
      ]);
      return rows.length ? rows : undefined;
    });
    expect(kept.error).toContain(`no outbound message with platform id ${event.platformMessageId}`);
    expect(JSON.parse(kept.body.toString('utf8'))).toMatchObject({ channelId: viber.id, event });
    expect(await (await app.parley.ctx.queues.inbound.getJob(jobId))!.getState()).toBe('completed');
  });

  test('that can never run (corrupt data) leaves a dead letter at once', async () => {
    const jobId = `corrupt-${Date.now()}`;
    await app.parley.ctx.queues.inbound.add('message', { channelId: viber.id, receivedAt: 'yesterday', event: { type: 'message' } } as never, { jobId });
    const [kept] = await eventually(async () => {
      const { rows } = await db.query(`SELECT error FROM dead_letters WHERE kind = 'failed' AND convert_from(body, 'UTF8') LIKE '%yesterday%'`);
      return rows.length ? rows : undefined;
    });
    expect(kept.error).toContain('does not match the event schema');
    const job = await app.parley.ctx.queues.inbound.getJob(jobId);
    expect(job!.attemptsMade).toBeLessThanOrEqual(1);
  });
});

describe('the API', () => {
  test('lists newest first, paged with a cursor, with a safe text preview', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await insertDeadLetter('unparseable', Buffer.from(`{"n":${i},"html":"<script>alert(${i})</script>\u0000"}`)));
    const seen: any[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 20; page++) {
      const res = await admin.get(`/api/v1/dead-letters?channelId=${viber.id}&kind=unparseable&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      for (const d of res.body.deadLetters) seen.push(deadLetterSchema.parse(d));
      cursor = res.body.nextCursor;
      if (!cursor) break;
    }
    const mine = seen.filter((d) => ids.includes(d.id));
    expect(mine.map((d) => d.id)).toEqual([...ids].reverse());
    expect(new Set(seen.map((d) => d.id)).size).toBe(seen.length);
    const first = mine[mine.length - 1];
    expect(first).toMatchObject({ kind: 'unparseable', contentType: 'application/json', signatureVerified: true, replayedAt: null });
    expect(first.channel).toEqual({ id: viber.id, type: 'viber', name: 'Hostile Viber' });
    expect(first.preview).toBe('{"n":0,"html":"<script>alert(0)</script>\uFFFD"}');
    expect(first.size).toBe(Buffer.byteLength('{"n":0,"html":"<script>alert(0)</script>\u0000"}'));

    expect((await admin.get('/api/v1/dead-letters?cursor=not-a-cursor')).status).toBe(400);
  });

  test('shows one with its body as text, or as base64 when it is not UTF-8', async () => {
    const text = Buffer.from('{"text":"Привіт, Łódź 👋"}');
    const binary = Buffer.from([0xff, 0xfe, 0x00, 0x41, 0xc3]);
    const textId = await insertDeadLetter('unparseable', text);
    const binaryId = await insertDeadLetter('unparseable', binary, 'body is not JSON', 'application/octet-stream');

    const t = await admin.get(`/api/v1/dead-letters/${textId}`);
    expect(t.status).toBe(200);
    expect(deadLetterDetailSchema.parse(t.body.deadLetter)).toMatchObject({ body: text.toString('utf8'), bodyEncoding: 'utf8' });
    const b = await admin.get(`/api/v1/dead-letters/${binaryId}`);
    expect(b.body.deadLetter).toMatchObject({ bodyEncoding: 'base64', size: 5 });
    expect(Buffer.from(b.body.deadLetter.body, 'base64')).toEqual(binary);
    expect((await admin.get('/api/v1/dead-letters/00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });

  test('replays a body through its connector: it is stored, the dead letter marked replayed, and not replayed twice', async () => {
    const msg = viber.message({ text: 'Dobrý den, kde je moje objednávka? 📦', senderName: 'Jiří' });
    const id = await insertDeadLetter('unparseable', msg.raw);

    const res = await admin.post(`/api/v1/dead-letters/${id}/replay`);
    expect(res.status).toBe(200);
    expect(res.body.queued).toBe(1);
    expect(res.body.deadLetter.replayedAt).not.toBeNull();
    expect(res.body.deadLetter.signatureVerified).toBe(true);
    const me = await admin.get('/api/v1/me');
    expect(res.body.deadLetter.replayedBy).toBe(me.body.agent?.id ?? me.body.id);
    expect((await eventually(() => messageFrom(msg.senderExternalId))).text).toBe('Dobrý den, kde je moje objednávka? 📦');

    expect((await admin.post(`/api/v1/dead-letters/${id}/replay`)).status).toBe(409);
  });

  test('a body that still does not parse answers 422 with the error and stays unreplayed', async () => {
    const id = await insertDeadLetter('unparseable', Buffer.from('{"event":"message","message_token":"x"}'));
    const res = await admin.post(`/api/v1/dead-letters/${id}/replay`);
    expect(res.status).toBe(422);
    expect(res.body.error).toMatch(/^still unparseable: viber callback/);
    expect((await admin.get(`/api/v1/dead-letters/${id}`)).body.deadLetter.replayedAt).toBeNull();
  });

  test('replays a failed job onto the queue', async () => {
    const msg = viber.message({ text: 'Köszönöm szépen! 🙏', senderName: 'Zsófia' });
    const [event] = parseViberWebhookBody(msg.raw);
    const id = await insertDeadLetter(
      'failed',
      Buffer.from(JSON.stringify({ channelId: viber.id, receivedAt: new Date().toISOString(), event })),
      'database was down',
    );
    const res = await admin.post(`/api/v1/dead-letters/${id}/replay`);
    expect(res.status).toBe(200);
    expect((await eventually(() => messageFrom(msg.senderExternalId))).text).toBe('Köszönöm szépen! 🙏');
  });

  test('the original of a message stored cleaned is not replayable', async () => {
    const id = await insertDeadLetter('original', Buffer.from('{}'), 'stored cleaned: text: NUL bytes removed');
    expect((await admin.post(`/api/v1/dead-letters/${id}/replay`)).status).toBe(409);
  });

  test('discards', async () => {
    const id = await insertDeadLetter('unparseable', Buffer.from('nope'));
    expect((await admin.request('DELETE', `/api/v1/dead-letters/${id}`)).status).toBe(204);
    expect((await admin.get(`/api/v1/dead-letters/${id}`)).status).toBe(404);
    expect((await admin.request('DELETE', `/api/v1/dead-letters/${id}`)).status).toBe(404);
  });

  test('is for admins only: agents get 403, no token 401', async () => {
    const id = await insertDeadLetter('unparseable', Buffer.from('secret customer data'));
    const anonymous = new ApiClient(app.url);
    for (const [method, path] of [
      ['GET', '/api/v1/dead-letters'],
      ['GET', `/api/v1/dead-letters/${id}`],
      ['POST', `/api/v1/dead-letters/${id}/replay`],
      ['DELETE', `/api/v1/dead-letters/${id}`],
    ]) {
      expect({ method, path, status: (await agent.request(method, path)).status }).toEqual({ method, path, status: 403 });
      expect({ method, path, status: (await anonymous.request(method, path)).status }).toEqual({ method, path, status: 401 });
    }
    expect((await admin.get(`/api/v1/dead-letters/${id}`)).body.deadLetter.replayedAt).toBeNull();
  });
});
