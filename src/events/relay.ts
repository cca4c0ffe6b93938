import type { DataSource, EntityManager } from 'typeorm';
import type { Logger } from '../logging/logger';
import type { DomainEvent, EventListener } from './domain-events';

/** The advisory lock that makes one relay run at a time across all processes (7_342_001: migrations, 7_342_002: the first admin). */
const RELAY_LOCK_KEY = 7_342_003;
/** Dispatched events are kept this long for inspection, then pruned by the sweep. */
const KEEP_DISPATCHED = '1 day';

export type RelayRun =
  /** Another process is relaying right now: it will pick up what is committed while it runs, or try again soon. */
  | { kind: 'busy' }
  /** `waiting`: events exist that a transaction still running keeps back (see the migration's note on txid). */
  | { kind: 'done'; dispatched: number; waiting: boolean };

/**
 * Hands committed events to the listeners, in outbox order, in batches. Each batch is handed and marked
 * dispatched in one transaction: a listener that throws rolls the batch back and it is handed again later
 * (at least once). Listeners read rows through the relay's own transaction, so relaying never needs a second
 * pooled connection.
 */
export class EventRelay {
  constructor(
    private readonly ds: DataSource,
    private readonly listeners: EventListener[],
    private readonly logger: Logger,
    private readonly batchSize = 500,
  ) {}

  async dispatchPending(): Promise<RelayRun> {
    let dispatched = 0;
    for (;;) {
      const batch = await this.ds.transaction((m) => this.dispatchBatch(m));
      if (batch === null) return { kind: 'busy' };
      dispatched += batch.dispatched;
      if (batch.waiting || batch.dispatched < this.batchSize) return { kind: 'done', dispatched, waiting: batch.waiting };
    }
  }

  /** Deletes events dispatched more than a day ago. */
  async prune(): Promise<void> {
    await this.ds.query(`DELETE FROM domain_events WHERE dispatched_at < now() - interval '${KEEP_DISPATCHED}'`);
  }

  /**
   * One batch: the undispatched events in id order, up to the first one whose transaction is not older than
   * every transaction still running (it and those after it wait: an event with a smaller id may still commit).
   */
  private async dispatchBatch(m: EntityManager): Promise<{ dispatched: number; waiting: boolean } | null> {
    const [{ locked }] = await m.query(`SELECT pg_try_advisory_xact_lock($1) AS locked`, [RELAY_LOCK_KEY]);
    if (!locked) return null;
    const rows: Array<{ id: string; type: string; conversation_id: string | null; payload: unknown; created_at: Date; settled: boolean }> = await m.query(
      `SELECT id, type, conversation_id, payload, created_at, txid < pg_snapshot_xmin(pg_current_snapshot()) AS settled
       FROM domain_events WHERE dispatched_at IS NULL ORDER BY id LIMIT $1`,
      [this.batchSize],
    );
    const firstUnsettled = rows.findIndex((r) => !r.settled);
    const ready = firstUnsettled < 0 ? rows : rows.slice(0, firstUnsettled);
    const waiting = firstUnsettled >= 0;
    if (!ready.length) return { dispatched: 0, waiting };
    const events = ready.map(
      (r) => ({ id: String(r.id), type: r.type, conversationId: r.conversation_id, data: r.payload, occurredAt: r.created_at }) as DomainEvent,
    );
    for (const listener of this.listeners) {
      try {
        await listener.handle(events, m);
      } catch (err) {
        this.logger.warn({ listener: listener.name, from: events[0].id, err: (err as Error).message }, 'event listener failed: the batch will be handed again');
        throw err;
      }
    }
    await m.query(`UPDATE domain_events SET dispatched_at = now() WHERE id = ANY($1::bigint[])`, [events.map((e) => e.id)]);
    return { dispatched: events.length, waiting };
  }
}
