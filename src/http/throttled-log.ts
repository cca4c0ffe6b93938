/**
 * One log line per burst of the same failure, not one per request: while PostgreSQL is down every webhook fails
 * the same way, and thousands of identical lines a second bury everything else. The first failure is logged at
 * once; repeats within `windowMs` are counted and reported with the next line logged after the window.
 */
export class ThrottledLog {
  private readonly last = new Map<string, { at: number; suppressed: number }>();

  constructor(
    private readonly windowMs = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Calls `log` (with how many were suppressed since the last line) unless `key` was logged in the window. */
  run(key: string, log: (suppressed: number) => void): void {
    const now = this.now();
    const entry = this.last.get(key);
    if (entry && now - entry.at < this.windowMs) {
      entry.suppressed++;
      return;
    }
    // Bounded: keys are a few fixed strings per call site, but never let a caller's mistake grow this forever.
    if (!entry && this.last.size >= 100) this.last.clear();
    this.last.set(key, { at: now, suppressed: 0 });
    log(entry?.suppressed ?? 0);
  }
}
