/**
 * Where a message goes in its thread: the customer's order, not the order Parley happened to store things in.
 *
 * A thread is ordered by (`sort_at`, `sort_seq`, `id`), columns of `messages` (migrations/1764400000000-thread-order.ts):
 * - a customer's message: `sort_at` is the platform's own time for it, so a webhook redelivered late (Parley or
 *   Redis was down, the platform retried) or delivered out of order lands where the customer wrote it;
 *   `sort_seq` breaks ties within that time by the platform's counter where it has one (Telegram's `date` is in
 *   whole seconds, its `message_id` grows within a chat), else by arrival (milliseconds since the epoch);
 * - a reply or a note: `sort_at` is when the agent wrote it (the database's default, now()), `sort_seq` 0.
 *
 * Chatwoot orders by its own `created_at` (storage time) and pages by id, which is the out-of-order display its
 * users report for late WhatsApp webhooks (chatwoot#12661, #14739); Rocket.Chat orders by `ts`, and accepts a
 * sender's `ts` only within 10 s of its own clock (further off, it uses its own time, or refuses the message).
 * Parley takes the platform's time as Chatwoot's users ask, because a late delivery is the case to get right,
 * and bounds it as Rocket.Chat does, because a platform's clock is not ours:
 * - never more than `MAX_AHEAD_MS` after arrival: a message cannot have been written after it arrived, and a
 *   platform clock ahead of ours would otherwise put a customer's message after the replies that answer it;
 * - never more than `MAX_LATE_MS` before arrival: the longest any of our platforms keeps redelivering (the
 *   WhatsApp Cloud API retries for up to 7 days; Telegram keeps updates for 24 hours), so an older time is a
 *   wrong clock, not a late delivery.
 * A time outside that window is clamped to its edge: messages from a clock that is wildly off keep their
 * arrival order among themselves, and land at most 10 s after, or 7 days before, their arrival.
 *
 * The ordering key is exposed to clients as `orderKey` (compare as strings) and paged by an opaque cursor.
 */
export const MAX_AHEAD_MS = 10_000;
export const MAX_LATE_MS = 7 * 24 * 3600_000;

export interface ThreadPlace {
  sortAt: Date;
  /** A bigint column: a decimal string, as PostgreSQL hands it back. */
  sortSeq: string;
}

/** A customer's message: the platform's time (within the window around arrival) and counter, or its arrival. */
export function inboundPlace(e: { sentAt?: Date; sequence?: number }, receivedAt: Date): ThreadPlace {
  const arrival = receivedAt.getTime();
  const platform = e.sentAt?.getTime();
  const at = platform === undefined || Number.isNaN(platform) ? arrival : Math.min(Math.max(platform, arrival - MAX_LATE_MS), arrival + MAX_AHEAD_MS);
  // sort_at keeps milliseconds (timestamptz(3)), like a JavaScript Date: the cursor round-trips exactly.
  return { sortAt: new Date(at), sortSeq: String(e.sequence ?? arrival) };
}

/** A string that sorts like the thread: zero-padded time and counter, then the id. */
export function orderKey(m: { sortAt: Date; sortSeq: string; id: string }): string {
  return `${String(m.sortAt.getTime()).padStart(15, '0')}.${m.sortSeq.padStart(19, '0')}.${m.id}`;
}
