import { join } from 'node:path';
import type { InboundEvent } from '../contract';
import { loadFixtureCases, type FixtureCase } from '../shared/testing/fixtures';
import { parseWhatsAppWebhook } from './parse-webhook';

/**
 * Table-driven: every file in fixtures/ against its Expected line in fixtures/SOURCES.md.
 * Where Parley deliberately differs from the reference extractor, the comments below say so and why.
 */
const cases = loadFixtureCases(join(__dirname, 'fixtures'));

/** Expected `attachment` → Parley's kind. Voice notes are type "audio" with voice: true (voice_flag). */
const ATTACHMENT_KIND: Record<string, string> = {
  image: 'image',
  video: 'video',
  document: 'document',
  sticker: 'sticker',
  location: 'location',
};
const STATUS: Record<string, string> = { sent: 'sent', delivered: 'delivered', read: 'read', failed: 'failed', played: 'read' };

function parseFixture(c: FixtureCase): InboundEvent[] {
  return parseWhatsAppWebhook(JSON.parse(c.raw.toString('utf8')));
}

test('every fixture has an expectation', () => {
  expect(cases).toHaveLength(20);
});

describe.each(cases.map((c) => [c.file, c] as const))('%s', (_file, c) => {
  const x = c.expected as Record<string, any>;
  const kind = String(x.kind);
  const events = parseFixture(c);

  test('gives exactly one event', () => {
    expect(events).toHaveLength(1);
  });
  const e = events[0];

  if (kind === 'value-level errors') {
    test('is ignored, naming the error codes for the logs', () => {
      expect(e.type).toBe('ignored');
      for (const code of x.errors) expect(e.type === 'ignored' && e.reason).toContain(String(code));
    });
    return;
  }

  if (kind === 'message:reaction') {
    // The contract has no reaction event: a reaction is not a new message, so it is ignored (the reason keeps
    // the emoji and the target for the logs). Adding one is proposed in the README.
    test('is ignored, not a text message', () => {
      expect(e.type).toBe('ignored');
      const reason = e.type === 'ignored' ? e.reason : '';
      expect(reason).toContain(x.reacted_to);
      expect(reason).toContain(x.text === '' ? 'removed' : x.text);
    });
    return;
  }

  if (kind.startsWith('status:')) {
    test('is a receipt for our message', () => {
      expect(e).toMatchObject({
        type: 'status',
        platformMessageId: x.message_id,
        status: STATUS[kind.slice('status:'.length)],
        recipientExternalId: x.recipient,
      });
      expect(e.type === 'status' && e.at?.getTime()).toBe(Number(x.timestamp) * 1000);
    });
    if (x.errors) {
      test('says why it failed', () => {
        for (const code of x.errors) expect(e.type === 'status' && e.error).toContain(String(code));
      });
    }
    return;
  }

  const isEdit = kind === 'message:edit';
  test('has the expected type', () => {
    expect(e.type).toBe(isEdit ? 'edit' : 'message');
  });
  if (e.type !== 'message' && e.type !== 'edit') return;

  test('has the dedupe key', () => {
    // An edit applies to the message it edits: its key is the original wamid (edit_of), not the edit's own id.
    expect(e.externalId).toBe(isEdit ? x.edit_of : x.message_id);
  });

  test('has the sender, named only from its own contacts[] entry', () => {
    expect(e.sender.externalId).toBe(x.sender_id);
    expect(e.sender.displayName).toBe(x.sender_name);
  });

  test('has the thread to reply into', () => {
    expect(e.thread.externalId).toBe(x.chat_id);
    expect(e.thread.isGroup).toBe(x.chat_id !== x.sender_id);
  });

  test('has the text', () => {
    expect(e.text).toBe(x.text ?? null);
  });

  if (isEdit) {
    test('has the edit time', () => {
      expect(e.type === 'edit' && e.editedAt?.getTime()).toBe(Number(x.timestamp) * 1000);
    });
    test('keeps the edited media (deviation: the reference lists no attachment)', () => {
      // The edit webhook repeats the whole new message, image included; passing it on lets the core replace
      // the message's content as a whole instead of dropping the picture whose caption changed.
      expect(e.attachments).toEqual([expect.objectContaining({ kind: 'image', mediaRef: '1234567890' })]);
    });
    return;
  }

  test('has the attachment', () => {
    if (x.attachment === null || x.attachment === undefined) {
      expect(e.attachments).toEqual([]);
      return;
    }
    expect(e.attachments).toHaveLength(1);
    const a = e.attachments[0];
    expect(a.kind).toBe(x.attachment === 'audio' ? (x.voice_flag ? 'voice' : 'audio') : ATTACHMENT_KIND[x.attachment]);
    if (x.media_id !== undefined) expect(a).toMatchObject({ mediaRef: x.media_id, mimeType: x.mime });
    if (x.filename !== undefined) expect(a.fileName).toBe(x.filename);
    if (x.location !== undefined) {
      expect(a).toMatchObject({ latitude: x.location.latitude, longitude: x.location.longitude, title: x.location.name });
    }
  });

  test('has the time it was sent', () => {
    expect(e.type === 'message' && e.sentAt?.getTime()).toBe(Number(x.timestamp) * 1000);
  });

  test('points at the message it replies to, when it does', () => {
    // A forwarded message's context has no id: it replies to nothing.
    expect(e.type === 'message' && e.replyToExternalId).toBe(x.context?.id);
  });

  test('keeps the platform kind', () => {
    // System messages are shown to the agent (a changed number matters); their subtype is kept.
    const expected = kind === 'message:system' ? 'system:user_changed_number' : kind.slice('message:'.length);
    expect(e.type === 'message' && e.platformKind).toBe(expected);
  });
});
