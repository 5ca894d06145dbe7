/**
 * How one destination is doing in this run, from the answers it gave: a success makes it healthy
 * (its not-yet-due backlog may go out now), and `downAfter` consecutive failed POSTs make it down for
 * the rest of the run (its remaining items are deferred without a POST). Kept per run, not stored: the
 * next run starts by asking again.
 */
export class DestinationHealth {
  readonly #downAfter: number;
  #failures = 0;
  #succeeded = false;
  #retryInMs = 0;

  /** @param downAfter consecutive failed POSTs after which the destination counts as down */
  constructor(downAfter: number) {
    this.#downAfter = downAfter;
  }

  /** A POST it accepted. */
  accepted(): void {
    this.#failures = 0;
    this.#succeeded = true;
  }

  /** A POST it refused for good (a 4xx): it answers, so it is not down, but nothing says it accepts. */
  refused(): void {
    this.#failures = 0;
  }

  /** A POST that failed in a way worth retrying (5xx, 429, timeout, network error). */
  failed(): void {
    this.#failures++;
  }

  /** {@link accepted}, {@link refused} or {@link failed}, by the outcome of a POST. */
  record(outcome: 'delivered' | 'permanent' | 'retry'): void {
    if (outcome === 'delivered') this.accepted();
    else if (outcome === 'permanent') this.refused();
    else this.failed();
  }

  /**
   * The destination's latest `Retry-After` in this run: once it is down its deferred items wait that
   * long (else not at all: the next run probes it with its first due item), and no probe comes sooner.
   */
  retryIn(ms: number): void {
    this.#retryInMs = ms;
  }

  /** See {@link retryIn}. @default 0 */
  get retryInMs(): number {
    return this.#retryInMs;
  }

  /** Down for the rest of the run: no more POSTs to it. */
  get down(): boolean {
    return this.#failures >= this.#downAfter;
  }

  /** It accepted a message in this run and is not down since: its backlog may go out now. */
  get healthy(): boolean {
    return this.#succeeded && !this.down;
  }
}
