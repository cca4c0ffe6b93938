/**
 * How long a customer at a given place in the waiting queue should expect to wait, from how long recent
 * conversations waited before an agent took them. Pure.
 *
 * Each place ahead is one assignment away; recent assignments say how often one happens: the median gap
 * between consecutive recent assignments (robust to a burst or a lull), or, with too few, the median wait.
 * Rounded up to whole minutes, at least one: "about 6 minutes" promises nothing finer.
 */
export function estimateWaitMinutes(position: number, recent: { assignedAt: Date; waitedMs: number }[]): number | null {
  if (position < 1 || recent.length === 0) return null;
  const sorted = [...recent].sort((a, b) => a.assignedAt.getTime() - b.assignedAt.getTime());
  const gaps = sorted.slice(1).map((r, i) => r.assignedAt.getTime() - sorted[i].assignedAt.getTime());
  const perPlace = gaps.length >= 3 ? median(gaps) : median(sorted.map((r) => r.waitedMs));
  return Math.max(1, Math.ceil((perPlace * position) / 60_000));
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}
