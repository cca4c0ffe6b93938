import { join } from 'node:path';
import type { InboundEvent } from '../contract';
import { loadFixtureCases, type FixtureCase } from '../shared/testing/fixtures';
import { parseTelegramUpdate } from './parse-update';

/**
 * Table-driven: every file in fixtures/ against its Expected line in fixtures/SOURCES.md.
 * Where Parley deliberately differs from the reference extractor, the mapping below says so and why.
 */
const cases = loadFixtureCases(join(__dirname, 'fixtures'));

/** Telegram's attachment fields → Parley's one attachment kind (a GIF's duplicate `document` is dropped). */
const ATTACHMENT_KIND: Record<string, string> = {
  photo: 'image',
  document: 'document',
  'document,animation': 'animation',
  audio: 'audio',
  voice: 'voice',
  video: 'video',
  video_note: 'video',
  sticker: 'sticker',
  location: 'location',
  'location,venue': 'location',
  contact: 'contact',
  dice: 'other',
  story: 'other',
};
/** Service messages describe a chat event, not something a customer wrote: ignored. */
const SERVICE = new Set(['new_chat_members', 'pinned_message']);
/** Kinds that are valid but not inbox messages. */
const IGNORED_KINDS = ['channel_post', 'message_reaction', 'inline_query', 'new_update_kind', '(no payload'];

function parseFixture(c: FixtureCase): InboundEvent[] {
  const json = JSON.parse(c.raw.toString('utf8'));
  return parseTelegramUpdate(c.file.startsWith('message_objects/') ? { update_id: 1, message: json } : json);
}

test('every fixture has an expectation', () => {
  expect(cases).toHaveLength(55);
});

describe.each(cases.map((c) => [c.file, c] as const))('%s', (_file, c) => {
  const x = c.expected as Record<string, any>;
  const kind = String(x.kind);
  const events = parseFixture(c);

  test('gives exactly one event', () => {
    expect(events).toHaveLength(1);
  });
  const e = events[0];

  if (IGNORED_KINDS.some((k) => kind.startsWith(k)) || SERVICE.has(x.attachment)) {
    test('is ignored, not a message', () => {
      expect(e.type).toBe('ignored');
    });
    return;
  }

  if (kind === 'my_chat_member') {
    test('is the user blocking the bot', () => {
      expect(e).toMatchObject({ type: 'subscription', blocked: true, sender: { externalId: String(x.sender_id), displayName: x.sender_name } });
    });
    return;
  }

  test('has the expected type', () => {
    expect(e.type).toBe(kind === 'edited_message' ? 'edit' : 'message');
  });
  if (e.type !== 'message' && e.type !== 'edit') return;

  test('has the sender', () => {
    // An anonymous admin's `from` is a placeholder bot shared by all groups: the identity is sender_chat.
    if (x.sender_chat_id !== undefined) expect(e.sender.externalId).toBe(String(x.sender_chat_id));
    else {
      expect(e.sender.externalId).toBe(String(x.sender_id));
      expect(e.sender.displayName).toBe(x.sender_name);
    }
  });

  test('has the thread to reply into', () => {
    // A callback query with no message (inline or null) is answered in the user's private chat.
    expect(e.thread.externalId).toBe(String(x.chat_id ?? x.sender_id));
    if (x.chat_type) expect(e.thread.isGroup).toBe(x.chat_type === 'supergroup' || x.chat_type === 'group');
  });

  test('has the text', () => {
    expect(e.text).toBe(x.text ?? null);
  });

  test('has the dedupe key', () => {
    expect(e.externalId).toBe(x.dedupe_key);
  });

  test('has the attachment', () => {
    if (x.attachment === null || x.attachment === undefined) expect(e.attachments).toEqual([]);
    else {
      expect(e.attachments).toHaveLength(1);
      expect(e.attachments[0].kind).toBe(ATTACHMENT_KIND[x.attachment]);
    }
  });

  if (e.type === 'message') {
    test('has the time it was sent', () => {
      if (kind === 'callback_query') expect(e.sentAt).toBeUndefined();
      else expect(e.sentAt?.getTime()).toBe(Number(x.timestamp) * 1000);
    });
    test('orders within its second by message_id (a callback query has none)', () => {
      if (kind === 'callback_query') expect(e.sequence).toBeUndefined();
      else expect(e.sequence).toBe(Number(e.externalId.split(':').at(-1)));
    });
    if (x.reply_to !== undefined) {
      test('points at the message it replies to', () => {
        expect(e.replyToExternalId).toBe(`${x.chat_id}:${x.reply_to}`);
      });
    }
  } else {
    test('has the edit time, and the message_id that places the message if it was never seen', () => {
      expect(e.editedAt?.getTime()).toBe(Number(x.edit_date) * 1000);
      expect(e.sequence).toBe(Number(e.externalId.split(':').at(-1)));
    });
  }
});

describe('details the Expected lines do not cover', () => {
  const byFile = (f: string) => parseFixture(cases.find((c) => c.file === f)!)[0] as any;

  test('a photo keeps the largest size, even when it is not listed last', () => {
    // This fixture lists 720x960 before 600x800.
    expect(byFile('nutgram-photo-with-caption.json').attachments[0]).toMatchObject({ mediaRef: 'SAAS', size: 84913 });
  });

  test('a venue keeps its title and coordinates', () => {
    expect(byFile('nutgram-venue.json').attachments[0]).toMatchObject({ kind: 'location', title: "McDonald's", latitude: expect.any(Number) });
  });

  test('a shared contact is an attachment, not the sender', () => {
    const e = byFile('nutgram-contact.json');
    expect(e.attachments[0]).toMatchObject({ kind: 'contact', phone: '911' });
    expect(e.sender.externalId).toBe('12345');
  });

  test('a business message keeps its business connection for the reply', () => {
    const e = byFile('nutgram-business-message.json');
    expect(e.platformKind).toBe('business_message');
  });

  test('malformed input is unparseable, not a crash', () => {
    expect(() => parseTelegramUpdate([])).toThrow('JSON object');
    expect(() => parseTelegramUpdate({ message: {} })).toThrow('update_id');
    expect(parseTelegramUpdate({ update_id: 1, message: { text: 'no chat' } })[0].type).toBe('ignored');
  });
});
