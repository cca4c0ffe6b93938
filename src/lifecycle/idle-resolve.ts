import { In, type DataSource } from 'typeorm';
import type { AutoReplyService } from '../auto-replies/auto-reply.service';
import { Conversation } from '../database/entities';
import { queryReturning } from '../database/sql';
import { recordEvents } from '../events/outbox';

const BATCH = 200;

/**
 * Inboxes that ask for it (channels.lifecycle.idleResolveAfterMinutes) resolve conversations nobody wrote in for
 * that long: pending ones (waiting for the customer), and open ones whose last word was ours. An open conversation
 * whose customer's message is unanswered is never resolved behind their back. "Nobody wrote" is measured from
 * the later of the last message and the last change (setting pending counts as the start of the wait).
 *
 * Once only: rows are claimed with FOR UPDATE SKIP LOCKED and the UPDATE keeps its guard, so two sweeps at once
 * resolve each conversation once, with one event and one closing message.
 */
export class IdleResolver {
  constructor(
    private readonly ds: DataSource,
    private readonly autoReplies: AutoReplyService,
  ) {}

  async resolveIdle(): Promise<number> {
    let total = 0;
    for (;;) {
      const { count, messageIds } = await this.ds.transaction(async (m) => {
        const rows = await queryReturning<{ id: string; from: string; closing: boolean }>(
          m,
          `WITH settings AS (
             SELECT id, (lifecycle->>'idleResolveAfterMinutes')::numeric * interval '1 minute' AS idle_after, lifecycle->>'closingMessage' = 'true' AS closing
             FROM channels WHERE deleted_at IS NULL AND jsonb_typeof(lifecycle->'idleResolveAfterMinutes') = 'number'),
           idle AS (
             SELECT c.id, c.status, s.closing FROM conversations c JOIN settings s ON s.id = c.channel_id
             WHERE c.status IN ('open', 'pending') AND c.last_activity_at < now() - s.idle_after AND c.updated_at < now() - s.idle_after
               -- The shortest setting bounds the scan of the partial index on last_activity_at (the per-inbox one cannot).
               AND c.last_activity_at < now() - (SELECT min(idle_after) FROM settings)
               AND (c.status = 'pending' OR c.last_activity_at > coalesce(c.last_inbound_at, '-infinity'))
             ORDER BY c.last_activity_at LIMIT ${BATCH} FOR UPDATE OF c SKIP LOCKED)
           UPDATE conversations c SET status = 'resolved', resolved_at = now(), waiting_since = NULL, updated_at = now()
           FROM idle WHERE c.id = idle.id AND c.status IN ('open', 'pending')
           RETURNING c.id, idle.status AS from, idle.closing`,
          [],
        );
        await recordEvents(
          m,
          rows.map((r) => ({
            type: 'conversation.status_changed' as const,
            conversationId: r.id,
            data: { from: r.from, to: 'resolved', byAgentId: null, reason: 'idle' as const },
          })),
        );
        const closing = rows.filter((r) => r.closing).map((r) => r.id);
        const conversations = closing.length ? await m.findBy(Conversation, { id: In(closing) }) : [];
        const messageIds: string[] = [];
        for (const c of conversations) messageIds.push(await this.autoReplies.write(m, c, 'closing', {}));
        return { count: rows.length, messageIds };
      });
      await this.autoReplies.queue(messageIds);
      total += count;
      if (count < BATCH) return total;
    }
  }
}
