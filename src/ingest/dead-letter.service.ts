import type { DataSource } from 'typeorm';
import { z } from 'zod';
import type { WebhookRequest } from '../../connectors/contract';
import type { ChannelService } from '../channels/channel.service';
import { Channel } from '../database/entities';
import { queryReturning } from '../database/sql';
import type { DeadLetterKind } from '../database/entities/dead-letter.entity';
import { conflict, invalid, malformed, notFound } from '../errors/domain-errors';
import { inboundJobSchema, type Queues } from '../queues/queues';
import { enqueueInbound, parseForQueue, type QueuedInbound } from './ingest-webhook';

export const DEAD_LETTER_KINDS = ['unparseable', 'failed', 'original'] as const satisfies readonly DeadLetterKind[];

export const listDeadLettersSchema = z.object({
  kind: z.enum(DEAD_LETTER_KINDS).optional(),
  channelId: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
  /** The `nextCursor` of the previous page. */
  cursor: z.string().max(200).optional(),
});

/** How much of a body a list shows. */
const PREVIEW_BYTES = 1024;

/** One dead letter as the service reads it: the body only when asked for (it may be megabytes). */
export interface DeadLetterRecord {
  id: string;
  channel: { id: string; type: string; name: string };
  kind: DeadLetterKind;
  error: string;
  contentType: string | null;
  size: number;
  /** The first bytes of the body (all of it for `get`). */
  head: Buffer;
  messageId: string | null;
  signatureVerified: boolean;
  receivedAt: Date;
  replayedAt: Date | null;
  replayedBy: string | null;
  /** received_at to the microsecond (a Date keeps milliseconds): the cursor's key. */
  receivedKey: string;
}

const COLUMNS = `d.id, d.channel_id, c.type AS channel_type, c.name AS channel_name, d.kind, d.error, d.content_type, octet_length(d.body) AS size,
  d.message_id, d.signature_verified, d.received_at, d.replayed_at, d.replayed_by,
  to_char(d.received_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS received_key`;

/**
 * Dead letters for admins: what Parley acknowledged but could not store as it came (see ingest-webhook.ts and
 * inbound.job.ts). A replay runs an `unparseable` body through the channel's connector again, as if just
 * received, or puts a `failed` job back on the queue; the signature is not checked again, because it was checked
 * when the body arrived (`signature_verified`), and the platform's signature may since have expired.
 */
export class DeadLetterService {
  constructor(
    private readonly ds: DataSource,
    private readonly channels: ChannelService,
    private readonly queues: Pick<Queues, 'inbound'>,
  ) {}

  /** Newest first, paged by an opaque cursor. */
  async list(f: z.infer<typeof listDeadLettersSchema>): Promise<{ items: DeadLetterRecord[]; nextCursor: string | null }> {
    const where: string[] = [];
    const params: unknown[] = [];
    const param = (v: unknown) => `$${params.push(v)}`;
    if (f.kind) where.push(`d.kind = ${param(f.kind)}`);
    if (f.channelId) where.push(`d.channel_id = ${param(f.channelId)}`);
    if (f.cursor) {
      const after = decodeCursor(f.cursor);
      where.push(`(d.received_at, d.id) < (${param(after.receivedAt)}::timestamptz, ${param(after.id)}::uuid)`);
    }
    const rows = await this.ds.query(
      `SELECT ${COLUMNS}, substring(d.body from 1 for ${PREVIEW_BYTES}) AS head
       FROM dead_letters d JOIN channels c ON c.id = d.channel_id
       ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY d.received_at DESC, d.id DESC LIMIT ${param(f.limit + 1)}`,
      params,
    );
    const items = rows.slice(0, f.limit).map(record);
    const last = items[items.length - 1];
    return { items, nextCursor: rows.length > f.limit && last ? encodeCursor(last) : null };
  }

  async get(id: string): Promise<DeadLetterRecord> {
    const [row] = await this.ds.query(`SELECT ${COLUMNS}, d.body AS head FROM dead_letters d JOIN channels c ON c.id = d.channel_id WHERE d.id = $1`, [id]);
    if (!row) throw notFound('dead letter not found');
    return record(row);
  }

  async discard(id: string): Promise<void> {
    const deleted = await queryReturning(this.ds, `DELETE FROM dead_letters WHERE id = $1 RETURNING id`, [id]);
    if (!deleted.length) throw notFound('dead letter not found');
  }

  /**
   * Stored again as if just received: its events are queued (with their usual dedupe ids, so what was stored
   * meanwhile is not stored twice) and it is marked replayed. Still unparseable: `invalid`, with the error.
   */
  async replay(id: string, agentId: string): Promise<{ deadLetter: DeadLetterRecord; queued: number }> {
    const dl = await this.get(id);
    if (dl.kind === 'original') throw conflict('this is the original of a message that was stored cleaned: there is nothing to replay');
    if (dl.replayedAt) throw conflict('this dead letter was already replayed');
    if (!dl.signatureVerified) throw conflict('the signature of this body was never verified: it cannot be replayed');
    const channel = await this.ds.getRepository(Channel).findOneBy({ id: dl.channel.id });
    if (!channel || channel.deletedAt) throw conflict('the channel of this dead letter was deleted');

    const jobs = dl.kind === 'unparseable' ? this.reparse(channel, dl) : rebuildJob(dl);
    const [claimed] = await queryReturning(
      this.ds,
      `UPDATE dead_letters SET replayed_at = now(), replayed_by = $2 WHERE id = $1 AND replayed_at IS NULL RETURNING id`,
      [id, agentId],
    );
    if (!claimed) throw conflict('this dead letter was already replayed');
    try {
      await enqueueInbound(this.queues, jobs);
    } catch (err) {
      await this.ds.query(`UPDATE dead_letters SET replayed_at = NULL, replayed_by = NULL WHERE id = $1`, [id]);
      throw err;
    }
    return { deadLetter: await this.get(id), queued: jobs.length };
  }

  private reparse(channel: Channel, dl: DeadLetterRecord): QueuedInbound[] {
    const request: WebhookRequest = {
      method: 'POST',
      headers: dl.contentType ? { 'content-type': dl.contentType } : {},
      query: {},
      rawBody: dl.head,
    };
    const parsed = parseForQueue(this.channels.connectorFor(channel), channel.id, request, dl.receivedAt);
    if ('error' in parsed) throw invalid(`still unparseable: ${parsed.error}`);
    return parsed.jobs;
  }
}

/** A `failed` dead letter holds the job's data: the same job again, under an id of its own (the old one is taken). */
function rebuildJob(dl: DeadLetterRecord): QueuedInbound[] {
  let data: unknown;
  try {
    data = JSON.parse(dl.head.toString('utf8'));
  } catch {
    throw invalid('the stored job is not JSON');
  }
  const parsed = inboundJobSchema.safeParse(data);
  if (!parsed.success) throw invalid(`the stored job does not match the event schema: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  return [{ data: data as QueuedInbound['data'], jobId: `replay-${dl.id}` }];
}

function record(row: Record<string, any>): DeadLetterRecord {
  return {
    id: row.id,
    channel: { id: row.channel_id, type: row.channel_type, name: row.channel_name },
    kind: row.kind,
    error: row.error,
    contentType: row.content_type,
    size: Number(row.size),
    head: row.head,
    messageId: row.message_id,
    signatureVerified: row.signature_verified,
    receivedAt: row.received_at,
    replayedAt: row.replayed_at,
    replayedBy: row.replayed_by,
    receivedKey: row.received_key,
  };
}

function encodeCursor(d: DeadLetterRecord): string {
  return Buffer.from(`${d.receivedKey}|${d.id}`).toString('base64url');
}

function decodeCursor(cursor: string): { receivedAt: string; id: string } {
  const [receivedAt, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (!receivedAt || Number.isNaN(Date.parse(receivedAt)) || !z.uuid().safeParse(id).success) throw malformed('invalid cursor');
  return { receivedAt, id };
}
