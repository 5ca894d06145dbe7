import { DELIVERY } from './constants';

/** Least delivery reserve when none is configured. */
const MIN_DELIVERY_RESERVE_MS = 10_000;
/** Share of the starting remaining time kept for delivery when none is configured. */
const DELIVERY_RESERVE_SHARE = 0.4;
/** Longest invocation a lease has to outlive (FunctionGraph's and Lambda's maximum). */
const MAX_INVOCATION_MS = 15 * 60_000;
/** Added to a lease so that a run at its very end still records what it sent. */
const LEASE_SLACK_MS = 60_000;

/** Options of {@link TimeBudget}. */
export interface TimeBudgetOptions {
  /**
   * Time kept for the delivery phase: the scan phase starts no instance once less than this is left.
   * @default 40% of the remaining time when the budget is made, at least 10 s
   */
  readonly deliveryReserveMs?: number;
  /** Stop starting new work (a claim, a POST) when less than this is left. @default DELIVERY.reserveMs */
  readonly stopMarginMs?: number;
  /** Wall clock for absolute deadlines; the DMS client compares them with `Date.now`. @default Date.now */
  readonly wallClock?: () => number;
}

/**
 * The one place that turns the invocation's remaining time into decisions: when the scan phase stops
 * starting instances, the deadline of each DMS call, whether a claim or a POST still fits, and how long
 * a claim's lease lasts. Three clocks meet here and stay apart: the remaining time (the platform's),
 * the wall clock (absolute deadlines), and, outside this class, the business clock `now` of records.
 *
 * @example
 * const budget = new TimeBudget(() => context.getRemainingTimeInMillis());
 * if (budget.mayStartScan()) await listInstance({ ..., deadline: budget.scanDeadline() }, ...);
 */
export class TimeBudget {
  /** See {@link TimeBudgetOptions.deliveryReserveMs}; fixed when the budget is made. */
  readonly deliveryReserveMs: number;
  /** See {@link TimeBudgetOptions.stopMarginMs}. */
  readonly stopMarginMs: number;
  readonly #remainingMs: () => number;
  readonly #wallClock: () => number;

  /** @param remainingMs real time left in the invocation (the platform's reader) */
  constructor(remainingMs: () => number, options: TimeBudgetOptions = {}) {
    this.#remainingMs = remainingMs;
    this.#wallClock = options.wallClock ?? Date.now;
    this.stopMarginMs = options.stopMarginMs ?? DELIVERY.reserveMs;
    this.deliveryReserveMs =
      options.deliveryReserveMs ?? Math.max(MIN_DELIVERY_RESERVE_MS, remainingMs() * DELIVERY_RESERVE_SHARE);
  }

  /** Real time left in the invocation (ms). */
  remainingMs(): number {
    return this.#remainingMs();
  }

  /** Wall-clock epoch ms by which a call must have ended: the invocation's end less the stop margin. */
  deadline(): number {
    return this.#wallClock() + this.#remainingMs() - this.stopMarginMs;
  }

  /** Deadline of one scan's DMS calls: half the delivery reserve before {@link deadline}. */
  scanDeadline(): number {
    return this.deadline() - this.deliveryReserveMs / 2;
  }

  /** Whether the scan phase may start another instance (the delivery reserve is still untouched). */
  mayStartScan(): boolean {
    return this.#remainingMs() >= this.deliveryReserveMs;
  }

  /** Whether new delivery work (a claim) may start: more than the stop margin is left. */
  mayStartWork(): boolean {
    return this.#remainingMs() >= this.stopMarginMs;
  }

  /** Whether a POST with timeout `timeoutMs`, started after waiting `waitMs`, ends before the stop margin. */
  fitsPost(timeoutMs: number, waitMs = 0): boolean {
    return this.#remainingMs() - waitMs > timeoutMs + this.stopMarginMs;
  }

  /**
   * How long a claim holds an outbox item: the time this run may still live (at most 15 min) plus one
   * minute, so another run takes the item over only once this one is surely gone.
   */
  leaseMs(): number {
    return Math.min(this.#remainingMs(), MAX_INVOCATION_MS) + LEASE_SLACK_MS;
  }
}
