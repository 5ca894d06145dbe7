import { DELIVERY } from './constants';

/** Least delivery reserve when none is configured: one POST at its default timeout (10 s). */
const MIN_DELIVERY_RESERVE_MS = 10_000;
/**
 * Delivery time kept per notification in the backlog, above the least reserve: about a POST's round
 * trip and the per-second spacing of the slowest default destinations (Slack and Teams, 1 s; grouped
 * messages carry up to 20 items, so this over-reserves for most backlogs).
 */
const DELIVERY_RESERVE_PER_ITEM_MS = 500;
/**
 * Largest share of the starting remaining time the backlog may reserve: the scan keeps the rest. It was
 * the flat reserve before; a run with no backlog now scans for all but {@link MIN_DELIVERY_RESERVE_MS}.
 */
const MAX_DELIVERY_RESERVE_SHARE = 0.4;
/**
 * Longest invocation a lease has to outlive: FunctionGraph's maximum timeout (259,200 s; Lambda's is
 * 900 s). A lease shorter than the run could expire mid-run and let another run send the same item.
 */
const MAX_INVOCATION_MS = 259_200_000;
/** Added to a lease so that a run at its very end still records what it sent. */
const LEASE_SLACK_MS = 60_000;

/** Options of {@link TimeBudget}. */
export interface TimeBudgetOptions {
  /**
   * Time kept for the delivery phase: the scan phase starts no instance once less than this is left.
   * @default sized from the backlog seen ({@link TimeBudget.noteBacklog}): 10 s plus 500 ms per
   * notification waiting or queued, at most 40% of the remaining time when the budget is made
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
  /** See {@link TimeBudgetOptions.stopMarginMs}. */
  readonly stopMarginMs: number;
  /** Real time left when the budget was made (the run's length, near enough). */
  readonly startRemainingMs: number;
  readonly #remainingMs: () => number;
  readonly #wallClock: () => number;
  readonly #fixedReserveMs: number | undefined;
  #backlog = 0;

  /** @param remainingMs real time left in the invocation (the platform's reader) */
  constructor(remainingMs: () => number, options: TimeBudgetOptions = {}) {
    this.#remainingMs = remainingMs;
    this.#wallClock = options.wallClock ?? Date.now;
    this.stopMarginMs = options.stopMarginMs ?? DELIVERY.reserveMs;
    this.startRemainingMs = remainingMs();
    this.#fixedReserveMs = options.deliveryReserveMs;
  }

  /**
   * Counts notifications the delivery phase will have to send: those waiting in the outbox when the
   * run starts, and those the scan queues. The delivery reserve grows with them.
   */
  noteBacklog(items: number): void {
    if (items > 0) this.#backlog += items;
  }

  /** Notifications counted by {@link noteBacklog}. */
  get backlog(): number {
    return this.#backlog;
  }

  /** See {@link TimeBudgetOptions.deliveryReserveMs}: the configured one, else sized from the backlog now. */
  get deliveryReserveMs(): number {
    if (this.#fixedReserveMs !== undefined) return this.#fixedReserveMs;
    const wanted = MIN_DELIVERY_RESERVE_MS + this.#backlog * DELIVERY_RESERVE_PER_ITEM_MS;
    return Math.max(MIN_DELIVERY_RESERVE_MS, Math.min(wanted, this.startRemainingMs * MAX_DELIVERY_RESERVE_SHARE));
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
   * How long a claim holds an outbox item: the time this run may still live (whatever the platform's
   * maximum, up to FunctionGraph's 259,200 s) plus one minute, so another run takes the item over only
   * once this one is surely gone.
   */
  leaseMs(): number {
    return Math.min(this.#remainingMs(), MAX_INVOCATION_MS) + LEASE_SLACK_MS;
  }
}
