import { z } from 'zod';
import { DEAD_LETTER_KINDS, type DeadLetterRecord } from '../../ingest/dead-letter.service';
import { dateTime } from './wire';

/** How many characters of the body a list shows. */
const PREVIEW_CHARS = 500;

export const deadLetterSchema = z
  .object({
    id: z.uuid(),
    channel: z.object({ id: z.uuid(), type: z.string(), name: z.string() }),
    kind: z.enum(DEAD_LETTER_KINDS).meta({
      description:
        '`unparseable`: a signed webhook body that could not be parsed (replayable through its connector); `failed`: an inbound job that failed on its last attempt (replayable onto the queue); `original`: what a customer sent before it was cleaned to fit the database (see `messageId`).',
    }),
    error: z.string(),
    contentType: z.string().nullable(),
    size: z.number().int().meta({ description: 'Bytes in the body' }),
    preview: z.string().meta({
      description: 'The start of the body as text (invalid UTF-8 and control characters shown as U+FFFD). Customer data: show it as text, never as markup.',
    }),
    messageId: z.uuid().nullable().meta({ description: 'For `original`: the message stored from it, cleaned' }),
    signatureVerified: z.boolean().meta({ description: "The platform's signature was verified when it was received, so a replay does not check it again" }),
    receivedAt: dateTime,
    replayedAt: dateTime.nullable(),
    replayedBy: z.uuid().nullable().meta({ description: 'The admin who replayed it' }),
  })
  .meta({ id: 'DeadLetter' });

export const deadLetterDetailSchema = deadLetterSchema
  .extend({
    body: z.string().meta({ description: 'The whole body: as text when it is valid UTF-8, else base64 (see bodyEncoding)' }),
    bodyEncoding: z.enum(['utf8', 'base64']),
  })
  .meta({ id: 'DeadLetterDetail' });

export type DeadLetterJson = z.output<typeof deadLetterSchema>;
export type DeadLetterDetailJson = z.output<typeof deadLetterDetailSchema>;

export function deadLetterView(d: DeadLetterRecord): DeadLetterJson {
  return {
    id: d.id,
    channel: d.channel,
    kind: d.kind,
    error: d.error,
    contentType: d.contentType,
    size: d.size,
    preview: preview(d.head),
    messageId: d.messageId,
    signatureVerified: d.signatureVerified,
    receivedAt: d.receivedAt,
    replayedAt: d.replayedAt,
    replayedBy: d.replayedBy,
  };
}

export function deadLetterDetailView(d: DeadLetterRecord): DeadLetterDetailJson {
  const text = strictUtf8(d.head);
  return { ...deadLetterView(d), body: text ?? d.head.toString('base64'), bodyEncoding: text === null ? 'base64' : 'utf8' };
}

/** Text, whatever the bytes: U+FFFD for invalid UTF-8 and for control characters other than tab and newlines. */
function preview(head: Buffer): string {
  const text = Array.from(head.toString('utf8'));
  const cut = text.length > PREVIEW_CHARS ? `${text.slice(0, PREVIEW_CHARS - 1).join('')}…` : text.join('');
  // eslint-disable-next-line no-control-regex
  return cut.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '\uFFFD');
}

function strictUtf8(bytes: Buffer): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return null;
  }
}
