import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UnparseableWebhookError, inboundEventSchema, type InboundEvent } from '../contract';
import type { ConformanceHarness } from './harness';
import { harness as botframework } from '../botframework/testing/harness';
import { harness as telegram } from '../telegram/testing/harness';
import { harness as viber } from '../viber/testing/harness';
import { harness as whatsappCloud } from '../whatsapp-cloud/testing/harness';
import { harness as whatsappWeb } from '../whatsapp-web/testing/harness';

/** What fuzz.test.ts found, one case each, kept as plain regression tests. */
const all = [botframework, telegram, viber, whatsappCloud, whatsappWeb];
const contexts = new Map<ConformanceHarness, Awaited<ReturnType<ConformanceHarness['setup']>>>();

beforeAll(async () => {
  for (const h of all) contexts.set(h, await h.setup());
});
afterAll(async () => {
  for (const ctx of contexts.values()) await ctx.teardown();
});

/** Parses a fixture after `change` edited its JSON (as the platform would send it: wrapped first, then changed). */
function parseChanged(h: ConformanceHarness, file: string, change: (body: any) => void, raw?: (json: string) => string): InboundEvent[] {
  const fixture = { file, raw: readFileSync(join(h.fixturesDir, file)), expected: {}, notes: '' };
  const body = JSON.parse((h.fixtureRequest ? h.fixtureRequest(fixture).rawBody : fixture.raw).toString('utf8'));
  change(body);
  const json = JSON.stringify(body);
  const events = contexts.get(h)!.connector.parse(h.signedRequest(Buffer.from(raw ? raw(json) : json)));
  expect(inboundEventSchema.array().safeParse(events).success).toBe(true);
  return events;
}

describe('telegram', () => {
  test('a chat that is a string is ignored, not a TypeError', () => {
    expect(parseChanged(telegram, 'tgdocs-reply.json', (b) => (b.message.chat = 'x'.repeat(50)))).toEqual([expect.objectContaining({ type: 'ignored' })]);
  });

  test('names, ids and sizes of the wrong type are left out, the message kept', () => {
    const [event] = parseChanged(telegram, 'nutgram-photo-with-caption.json', (b) => {
      b.message.from.first_name = ['a', 1];
      b.message.from.language_code = true;
      b.message.photo[0].width = JSON.parse('{"toString":1,"valueOf":null}');
      b.message.date = 1e308;
    });
    expect(event).toMatchObject({ type: 'message', sentAt: undefined });
    expect(event.type === 'message' && event.sender.displayName).not.toEqual(['a', 1]);
    expect(event.type === 'message' && event.sender.profile).toBeUndefined();
  });

  test('a chat id that is an empty array makes the message ignored rather than an event without a thread', () => {
    expect(parseChanged(telegram, 'tgdocs-reply.json', (b) => (b.message.chat.id = []))).toEqual([expect.objectContaining({ type: 'ignored' })]);
  });
});

test('botframework: a card submit value nested 50,000 deep is unparseable, not a stack overflow', () => {
  expect(() =>
    parseChanged(
      botframework,
      'bbjs-teams-card-submit-value-no-text.json',
      (b) => (b.value.submitLocation = '__DEEP__'),
      (json) => json.replace('"__DEEP__"', `${'['.repeat(50_000)}${']'.repeat(50_000)}`),
    ),
  ).toThrow(UnparseableWebhookError);
});

test('whatsapp-cloud: a timestamp of 2^53 seconds gives no sentAt, not an Invalid Date', () => {
  const [event] = parseChanged(whatsappCloud, 'pywa-text-reply-context.json', (b) => (b.entry[0].changes[0].value.messages[0].timestamp = 2 ** 53 + 2));
  expect(event).toMatchObject({ type: 'message' });
  expect(event.type === 'message' && event.sentAt).toBeUndefined();
});

test('whatsapp-web: a timestamp of 2^62 seconds gives no sentAt, not an Invalid Date', () => {
  const [event] = parseChanged(whatsappWeb, 'wechaty-wwebjs-direct-msg-from-other-contact.json', (b) => (b.timestamp = 2 ** 62));
  expect(event).toMatchObject({ type: 'message' });
  expect(event.type === 'message' && event.sentAt).toBeUndefined();
});

test('viber: a negative file size is left out', () => {
  const [event] = parseChanged(viber, 'vibernode-message-file.json', (b) => (b.message.size = -1e308));
  expect(event.type === 'message' && event.attachments[0]).toEqual(expect.not.objectContaining({ size: expect.anything() }));
});
