import type { DataSource, EntityManager } from 'typeorm';
import { queryReturning } from '../database/sql';
import { recordEvents } from '../events/outbox';

/** How many conversations one sweep transaction wakes. */
const BATCH = 200;

/**
 * Snoozed conversations come back at their time. Each snooze has a delayed job (see lifecycle.listener.ts); the
 * UPDATE's guard (still snoozed, and due) is what makes the wake happen once, whichever worker runs a job, however
 * many jobs there are (a re-snooze leaves the earlier job to find the guard false), and whether it is a job or
 * the sweep that gets there first. The sweep catches snoozes whose job Redis lost.
 */
export class SnoozeWaker {
  constructor(private readonly ds: DataSource) {}

  /**
   * Wakes one conversation if its snooze has ended. Answers how many milliseconds remain when it is still
   * snoozed until exactly `at` (a job that ran early by the clocks' difference), else 0.
   */
  async wake(conversationId: string, at?: Date): Promise<{ woken: boolean; remainingMs: number }> {
    const woken = await this.ds.transaction(async (m) => {
      const rows = await queryReturning<{ id: string }>(
        m,
        `UPDATE conversations SET status = 'open', snoozed_until = NULL, updated_at = now()
         WHERE id = $1 AND status = 'snoozed' AND snoozed_until <= now() RETURNING id`,
        [conversationId],
      );
      await this.record(m, rows);
      return rows.length > 0;
    });
    if (woken || !at) return { woken, remainingMs: 0 };
    const [row] = await this.ds.query(
      `SELECT greatest(0, extract(epoch FROM snoozed_until - now()) * 1000)::float8 AS remaining FROM conversations
       WHERE id = $1 AND status = 'snoozed' AND snoozed_until = $2`,
      [conversationId, at],
    );
    return { woken, remainingMs: row ? Math.ceil(row.remaining) : 0 };
  }

  /** Wakes every conversation whose snooze has ended, in batches; rows another worker holds are left to it. */
  async wakeDue(): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.ds.transaction(async (m) => {
        const rows = await queryReturning<{ id: string }>(
          m,
          `WITH due AS (SELECT id FROM conversations WHERE status = 'snoozed' AND snoozed_until <= now() ORDER BY snoozed_until LIMIT ${BATCH} FOR UPDATE SKIP LOCKED)
           UPDATE conversations c SET status = 'open', snoozed_until = NULL, updated_at = now() FROM due WHERE c.id = due.id RETURNING c.id`,
          [],
        );
        await this.record(m, rows);
        return rows.length;
      });
      total += n;
      if (n < BATCH) return total;
    }
  }

  private async record(m: EntityManager, rows: Array<{ id: string }>): Promise<void> {
    await recordEvents(
      m,
      rows.map((r) => ({
        type: 'conversation.status_changed' as const,
        conversationId: r.id,
        data: { from: 'snoozed', to: 'open', byAgentId: null, reason: 'snooze_ended' as const },
      })),
    );
  }
}
