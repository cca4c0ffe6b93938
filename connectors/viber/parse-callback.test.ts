import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UnparseableWebhookError, type InboundEvent } from '../contract';
import { loadFixtureCases } from '../shared/testing/fixtures';
import { CONVERSATION_STARTED_REASON, parseViberCallback, parseViberWebhookBody } from './parse-callback';

/**
 * Table-driven: every file in fixtures/ against its Expected line in fixtures/SOURCES.md, through the same
 * raw-bytes path the connector uses. Where Parley deliberately differs from the Expected line, the mapping
 * below says so and why.
 */
const fixturesDir = join(__dirname, 'fixtures');
const cases = loadFixtureCases(fixturesDir);
const sources = readFileSync(join(fixturesDir, 'SOURCES.md'), 'utf8');

/**
 * The shared loader reads `message_id=4912661846655238145` with JSON.parse, which rounds it: the very bug this
 * connector must avoid. Read the digits from SOURCES.md as text instead.
 */
function exactMessageId(file: string): string {
  const section = sources.split(/^### /m).find((s) => s.startsWith(`\`${file}\``))!;
  return /message_id=(\d+)/.exec(section)![1];
}

/** Viber message type → Parley attachment kind (undefined: no attachment). */
const ATTACHMENT_KIND: Record<string, string | undefined> = {
  picture: 'image',
  video: 'video',
  file: 'document',
  sticker: 'sticker',
  location: 'location',
  contact: 'contact',
  // Deviation: Expected says attachment="url", text=null. A URL message is the customer sending a link, so Parley
  // makes the URL its text (SOURCES.md's own note: "Text should become the URL") and adds no attachment.
  url: undefined,
  // Courier rejects unknown types; Parley keeps the message (its text) plus an `other` attachment naming the type.
  unknown: 'other',
};
const RECEIPT_STATUS: Record<string, string> = { delivered: 'delivered', seen: 'read', failed: 'failed' };

test('every fixture has an expectation', () => {
  expect(cases).toHaveLength(23);
});

test('the shared loader really does round the 64-bit token (why exactMessageId exists)', () => {
  const c = cases.find((x) => x.file === 'viberdocs-delivered.json')!;
  expect(exactMessageId(c.file)).toBe('4912661846655238145');
  expect(String(c.expected.message_id)).not.toBe('4912661846655238145');
});

describe.each(cases.map((c) => [c.file, c] as const))('%s', (file, c) => {
  const x = c.expected as Record<string, any>;
  const kind = String(x.kind);
  const events = parseViberWebhookBody(c.raw);

  test('gives exactly one event', () => {
    expect(events).toHaveLength(1);
  });
  const e = events[0];

  if (kind === 'webhook') {
    // Expected says "emit nothing": an `ignored` event is the contract's way to say so (the core answers 200).
    test('is an ignored webhook check', () => {
      expect(e).toEqual({ type: 'ignored', reason: 'viber webhook check' });
    });
    return;
  }

  if (kind === 'conversation_started') {
    test('is ignored, marked so the connector can answer with the welcome message', () => {
      expect(e).toEqual({ type: 'ignored', reason: CONVERSATION_STARTED_REASON });
    });
    return;
  }

  if (kind in RECEIPT_STATUS) {
    test('is a receipt for our message, keyed by the exact token', () => {
      expect(e).toMatchObject({
        type: 'status',
        status: RECEIPT_STATUS[kind],
        platformMessageId: exactMessageId(file),
        recipientExternalId: x.sender_id,
      });
      expect(e.type === 'status' && e.at?.getTime()).toBe(x.timestamp);
    });
    test('carries a reason only when it failed', () => {
      // Deviation: courier's `delivered` carries a stray desc; a delivered message has no failure reason.
      expect(e.type === 'status' && e.error).toBe(kind === 'failed' ? x.desc : undefined);
    });
    return;
  }

  if (kind === 'subscribed' || kind === 'unsubscribed') {
    test('is a subscription change of the user', () => {
      expect(e).toMatchObject({ type: 'subscription', blocked: kind === 'unsubscribed', sender: { externalId: x.sender_id } });
      if (e.type === 'subscription') {
        expect(e.sender.displayName).toBe(x.sender_name);
        expect(e.at?.getTime()).toBe(x.timestamp);
      }
    });
    return;
  }

  test('is a message', () => {
    expect(kind).toBe('message');
    expect(e.type).toBe('message');
  });
  if (e.type !== 'message') return;

  test('is keyed by the exact 64-bit message token', () => {
    expect(e.externalId).toBe(exactMessageId(file));
  });

  test('comes from the sender, in the 1:1 thread with them', () => {
    expect(e.sender.externalId).toBe(x.sender_id);
    expect(e.sender.displayName).toBe(x.sender_name);
    expect(e.thread).toEqual({ externalId: x.chat_id, isGroup: false });
  });

  test('has the text', () => {
    expect(e.text).toBe(x.msg_type === 'url' ? x.media : (x.text ?? null));
  });

  test('has the attachment', () => {
    const expectedKind = x.attachment === null || x.attachment === undefined ? undefined : ATTACHMENT_KIND[x.attachment];
    if (expectedKind === undefined) expect(e.attachments).toEqual([]);
    else {
      expect(e.attachments).toHaveLength(1);
      expect(e.attachments[0].kind).toBe(expectedKind);
    }
  });

  test('keeps what the attachment needs', () => {
    const a = e.attachments[0];
    if (x.msg_type !== 'url' && x.media !== undefined) expect(a.mediaRef).toBe(x.media);
    if (x.file_name !== undefined) expect(a.fileName).toBe(x.file_name);
    if (x.location) expect(a).toMatchObject({ latitude: x.location.lat, longitude: x.location.lon });
    if (x.contact) expect(a).toMatchObject({ title: x.contact.name, phone: x.contact.phone_number });
  });

  test('has the time it was sent (Unix milliseconds)', () => {
    expect(e.sentAt?.getTime()).toBe(x.timestamp);
  });

  test("keeps Viber's message type for display", () => {
    expect(e.platformKind).toBe(x.msg_type);
  });
});

describe('details the Expected lines do not cover', () => {
  const byFile = (f: string) => parseViberWebhookBody(cases.find((c) => c.file === f)!.raw)[0] as any;

  test('a text message ignores the stray media and location of the official example', () => {
    expect(byFile('viberdocs-message-text.json').attachments).toEqual([]);
  });

  test('the sender keeps avatar, country, language and API version', () => {
    expect(byFile('viberdocs-message-text.json').sender).toEqual({
      externalId: 'jc9HsWTZ2Yf2NkRZ8KcNug==',
      displayName: 'John McClane',
      avatarUrl: 'http://avatar.example.com',
      profile: { language: 'en', country: 'UK', apiVersion: '1' },
    });
  });

  test('a picture without media is still the customer sending a picture, with nothing to download', () => {
    expect(byFile('courier-message-picture-missing-media.json').attachments).toEqual([{ kind: 'image' }]);
  });

  test('file size and video size are kept', () => {
    expect(byFile('vibernode-message-file.json').attachments[0].size).toBe(1234);
    expect(byFile('vibernode-message-video.json').attachments[0].size).toBe(1234);
  });

  test('an unknown message type keeps its text and names the type', () => {
    const e = byFile('courier-message-unknown-type.json');
    expect(e.text).toBe('incoming msg');
    expect(e.attachments[0].title).toContain('"unknown"');
  });

  test('a token that JSON.parse would round is kept digit for digit', () => {
    const raw = Buffer.from('{"event":"seen","timestamp":1,"message_token":9007199254740993,"user_id":"u"}');
    expect((parseViberWebhookBody(raw)[0] as any).platformMessageId).toBe('9007199254740993');
    expect(String(JSON.parse(raw.toString()).message_token)).toBe('9007199254740992');
  });

  test('a rich media message keeps its text and is marked', () => {
    const [e] = parseViberCallback({
      event: 'message',
      timestamp: 1,
      message_token: 7,
      sender: { id: 'u' },
      message: { type: 'rich_media', alt_text: 'our catalogue', rich_media: { Type: 'rich_media', Buttons: [] } },
    }) as any[];
    expect(e).toMatchObject({ type: 'message', externalId: '7', text: 'our catalogue', attachments: [{ kind: 'other' }] });
  });

  test('a nameless sender (send_name off, or privacy settings) has no display name', () => {
    const [e] = parseViberCallback({ event: 'message', message_token: 8, sender: { id: 'u', name: '' }, message: { type: 'text', text: 'hi' } }) as any[];
    expect(e.sender).toEqual({ externalId: 'u' });
    expect(e.sentAt).toBeUndefined();
  });

  test('unknown events are ignored, not thrown', () => {
    const events: InboundEvent[] = parseViberCallback({ event: 'client_status', timestamp: 1 });
    expect(events).toEqual([{ type: 'ignored', reason: 'viber event client_status is not an inbox message' }]);
  });

  test('malformed callbacks are unparseable, not a crash', () => {
    expect(() => parseViberCallback([])).toThrow(UnparseableWebhookError);
    expect(() => parseViberCallback({ timestamp: 1 })).toThrow('event is missing');
    expect(() => parseViberCallback({ event: 'message', message_token: 1, message: { type: 'text' } })).toThrow(/sender/);
    expect(() => parseViberCallback({ event: 'message', sender: { id: 'u' }, message: { type: 'text' } })).toThrow(/message_token/);
    expect(() => parseViberCallback({ event: 'seen', message_token: 1.5, user_id: 'u' })).toThrow(UnparseableWebhookError);
    expect(() => parseViberWebhookBody(Buffer.from('{"event":"seen",'))).toThrow('body is not JSON');
  });
});
