import type { DataSource, EntityManager } from 'typeorm';
import type { DeadLetterKind } from '../database/entities/dead-letter.entity';
import { cleanString, fitText } from './sanitize';

export interface NewDeadLetter {
  channelId: string;
  kind: DeadLetterKind;
  error: string;
  contentType: string | null;
  body: Buffer;
  messageId?: string | null;
}

/** The error is shown to admins: one line of reasonable length. */
const MAX_ERROR_CHARS = 2000;
const CONTENT_TYPE_CHARS = 200;

/**
 * Keeps something Parley acknowledged but could not store as it came. The body is bytes (bytea), so nothing
 * in it can make the insert fail; the error and the content type (a header the sender chose) are cleaned to
 * fit their columns.
 */
export async function keepDeadLetter(db: DataSource | EntityManager, d: NewDeadLetter): Promise<string> {
  const [row] = await db.query(
    `INSERT INTO dead_letters (channel_id, kind, error, content_type, body, message_id, signature_verified) VALUES ($1, $2, $3, $4, $5, $6, true) RETURNING id`,
    [
      d.channelId,
      d.kind,
      fitText(cleanString(d.error), MAX_ERROR_CHARS),
      d.contentType === null ? null : fitText(cleanString(d.contentType), CONTENT_TYPE_CHARS),
      d.body,
      d.messageId ?? null,
    ],
  );
  return row.id;
}

/** A header's value as one string, or null. */
export function contentTypeOf(headers: Record<string, string | string[] | undefined>): string | null {
  const v = headers['content-type'];
  return typeof v === 'string' ? v : Array.isArray(v) ? (v[0] ?? null) : null;
}
