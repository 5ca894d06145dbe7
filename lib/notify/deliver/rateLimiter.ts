/**
 * A sliding one-minute window per destination, plus a least gap between messages for platforms with a
 * per-second limit (Slack's "about one per second"). Seeded from and saved to the store so
 * back-to-back runs share it.
 */
export class RateLimiter {
  readonly #perMinute: number;
  readonly #spacingMs: number;
  #sent: number[];

  constructor(perMinute: number, spacingMs = 0, sent: readonly number[] = []) {
    this.#perMinute = perMinute;
    this.#spacingMs = spacingMs;
    this.#sent = [...sent].sort((a, b) => a - b);
  }

  /** Milliseconds to wait before the next send may start at `now`. */
  waitMs(now: number): number {
    this.#sent = this.#sent.filter((t) => t > now - 60_000);
    const last = this.#sent[this.#sent.length - 1];
    const spacing = last !== undefined ? Math.max(0, last + this.#spacingMs - now) : 0;
    const oldest = this.#sent[this.#sent.length - this.#perMinute];
    const window = this.#sent.length >= this.#perMinute && oldest !== undefined ? oldest + 60_000 - now : 0;
    return Math.max(spacing, window);
  }

  record(at: number): void {
    this.#sent.push(at);
  }

  /** Sends inside the last minute (what is saved for the next run). */
  recent(now: number): number[] {
    return this.#sent.filter((t) => t > now - 60_000);
  }
}
