import { sleep } from '../core/sleep';

/**
 * The `error_code` of the API gateway's throttling answer (HTTP 429, "The throttling threshold has
 * been reached"). Only this code slows the shared budget: another 429 may be a limit of one
 * resource, not of the account.
 */
export const THROTTLED_ERROR_CODE = 'APIGW.0308';

/**
 * Requests per second one account sends to one region by default. Huawei's API signing guide gives
 * 200 requests per second per API by default, publishes no figure for DMS, and its messages name
 * per-user per-minute policies too; several deployments (and the console, and other tools) may share
 * one account. A tenth of the documented figure leaves room for about ten such users and still scans
 * 200 instances in about ten seconds; a lower real limit is found by the slowdown on `APIGW.0308`.
 */
export const DEFAULT_REQUESTS_PER_SECOND = 20;

/**
 * When a budget spaces requests out.
 * - `always`: every request waits for its slot at the rate (a scan over many instances keeps to the
 *   rate on its own).
 * - `after-throttle`: requests go at once until upstream throttles (429 `APIGW.0308`); from then on the
 *   pause and the lowered rate apply to every caller, until the rate has climbed back to full. For
 *   interactive calls: one instance's own bucket never capped the account's total anyway (every warm
 *   instance has its own), and waiting on it made a warm `list` answer at 2 x a bare request.
 */
export const PACINGS = ['always', 'after-throttle'] as const;
export type Pacing = (typeof PACINGS)[number];

/** Options of a {@link RequestBudget}. */
export interface RequestBudgetOptions {
  /** When requests are spaced out (see {@link Pacing}). @default 'always' */
  readonly pacing?: Pacing;
  /** Sustained requests per second when nothing was throttled. @default DEFAULT_REQUESTS_PER_SECOND (20) */
  readonly requestsPerSecond?: number;
  /**
   * Requests an idle budget lets through at once. A quarter second's worth keeps a short walk (a few
   * pages) free of waits while any one second sees at most 1.25 times the rate, and few requests are
   * in flight when a limit is hit (each of them may be answered 429).
   * @default Math.max(1, Math.ceil(requestsPerSecond / 4))
   */
  readonly burst?: number;
  /** Pause after a throttled answer without `Retry-After`. @default 1000 */
  readonly defaultPauseMs?: number;
  /** Longest pause, whatever `Retry-After` says (a call's deadline is usually shorter anyway). @default 60000 */
  readonly maxPauseMs?: number;
  /** The rate is multiplied by this on each throttle (once per pause). @default 0.5 */
  readonly slowdown?: number;
  /** The rate never drops below this. @default 0.5 */
  readonly minRequestsPerSecond?: number;
  /**
   * After a pause the rate climbs back linearly, by half the full rate over this time (so from half
   * to full in 30 s): slow enough that a per-minute policy is not hit again at once. `Infinity`: never.
   * @default 30000
   */
  readonly recoveryMs?: number;
  /** Wall clock (epoch ms, as deadlines are). @default Date.now */
  readonly now?: () => number;
  /** Injected for tests (a fake clock). @default a timer that the signal can cut short */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** What a budget has done since it was made (cumulative; a run reports the difference). */
export interface RequestBudgetStats {
  /** Tokens handed out. */
  readonly granted: number;
  /** Throttled answers reported with `throttled()`. */
  readonly throttled: number;
  /** Time callers spent waiting in `acquire`, summed over callers (concurrent waits add up). */
  readonly waitedMs: number;
}

/**
 * A token bucket for every DMS request of one account in one region, shared by all its callers so
 * that a scan with many workers keeps to one rate instead of each worker retrying on its own. Slots
 * are handed out in order (a virtual schedule, no polling). A throttled answer pauses the whole
 * budget for `Retry-After` (or a default) and lowers its rate; the rate then recovers gradually.
 *
 * @example
 * const budget = new RequestBudget({ requestsPerSecond: 20 });
 * if (!(await budget.acquire(signal, deadline))) throw new Error('no token before the deadline');
 */
export class RequestBudget {
  readonly requestsPerSecond: number;
  readonly burst: number;
  readonly pacing: Pacing;
  readonly #o: Required<Omit<RequestBudgetOptions, 'requestsPerSecond' | 'burst' | 'pacing'>>;
  /** Theoretical arrival time of the next request (GCRA): slots are `1 / rate` apart from it. */
  #tat = Number.NEGATIVE_INFINITY;
  #pausedUntil = Number.NEGATIVE_INFINITY;
  /** Rate set by the last throttle, and the time its recovery starts (the end of that pause). */
  #lowered: { rate: number; since: number } | undefined;
  /** Bumped whenever a throttle moves the schedule, so sleepers queue again behind the pause. */
  #generation = 0;
  #granted = 0;
  #throttled = 0;
  #waitedMs = 0;

  constructor(options: RequestBudgetOptions = {}) {
    const rate = options.requestsPerSecond ?? DEFAULT_REQUESTS_PER_SECOND;
    if (!(rate > 0) || !Number.isFinite(rate)) throw new RangeError('requestsPerSecond must be a positive number');
    this.requestsPerSecond = rate;
    this.burst = Math.max(1, Math.floor(options.burst ?? Math.ceil(rate / 4)));
    this.pacing = options.pacing ?? 'always';
    this.#o = {
      defaultPauseMs: options.defaultPauseMs ?? 1000,
      maxPauseMs: options.maxPauseMs ?? 60_000,
      slowdown: options.slowdown ?? 0.5,
      minRequestsPerSecond: Math.min(rate, options.minRequestsPerSecond ?? 0.5),
      recoveryMs: options.recoveryMs ?? 30_000,
      now: options.now ?? Date.now,
      sleep: options.sleep ?? sleep,
    };
  }

  /** The rate in force at `now`: the full rate, or the lowered one on its way back up. */
  rateAt(now: number = this.#o.now()): number {
    const low = this.#lowered;
    if (!low) return this.requestsPerSecond;
    const climbed = (Math.max(0, now - low.since) / this.#o.recoveryMs) * (this.requestsPerSecond / 2);
    return Math.min(this.requestsPerSecond, low.rate + climbed);
  }

  /**
   * Whether upstream throttled recently: the budget is paused, or its rate is still below the full
   * rate after a throttle. An `after-throttle` budget spaces requests out only while this holds.
   */
  throttledRecently(now: number = this.#o.now()): boolean {
    return now < this.#pausedUntil || this.rateAt(now) < this.requestsPerSecond;
  }

  /** Milliseconds until a caller asking now would get its token (0: at once). */
  msUntilNextToken(now: number = this.#o.now()): number {
    if (this.pacing === 'after-throttle' && !this.throttledRecently(now)) return 0;
    return Math.max(0, this.#nextSlot(now) - now);
  }

  /**
   * Waits for a token. Resolves `true` once the caller may send, or `false` at once, taking nothing,
   * when the token would come after `deadline` (epoch ms); rejects with the signal's reason when it
   * aborts (before or during the wait).
   */
  async acquire(signal?: AbortSignal, deadline = Number.POSITIVE_INFINITY): Promise<boolean> {
    if (signal?.aborted) throw signal.reason;
    const started = this.#o.now();
    if (this.pacing === 'after-throttle' && !this.throttledRecently(started)) {
      this.#granted++;
      return true;
    }
    try {
      for (;;) {
        const now = this.#o.now();
        const at = this.#nextSlot(now);
        if (at > deadline) return false;
        this.#take(at);
        if (at <= now) {
          this.#granted++;
          return true;
        }
        const generation = this.#generation;
        await this.#o.sleep(at - now, signal);
        if (generation === this.#generation) {
          this.#granted++;
          return true;
        }
        // A throttle came while this caller slept: its slot may be inside the pause; queue again.
      }
    } finally {
      this.#waitedMs += Math.max(0, this.#o.now() - started);
    }
  }

  /**
   * Reports a throttled answer (`APIGW.0308`): the budget pauses for `retryAfterMs` (capped; a default
   * when absent) and, unless it is already paused (an answer to a request sent before the pause),
   * lowers its rate.
   */
  throttled(retryAfterMs?: number): void {
    this.#throttled++;
    const now = this.#o.now();
    const pauseMs = Math.min(this.#o.maxPauseMs, Math.max(0, retryAfterMs ?? this.#o.defaultPauseMs));
    const until = now + pauseMs;
    const inPause = now < this.#pausedUntil;
    if (inPause && until <= this.#pausedUntil) return;
    const rate = inPause
      ? this.rateAt(now)
      : Math.max(this.#o.minRequestsPerSecond, this.rateAt(now) * this.#o.slowdown);
    this.#pausedUntil = until;
    this.#lowered = { rate, since: until };
    // The first slot after the pause is its end, then one per interval: no burst into a fresh limit.
    this.#tat = until + this.#tolerance(rate);
    this.#generation++;
  }

  /** Counters since the budget was made. */
  stats(): RequestBudgetStats {
    return { granted: this.#granted, throttled: this.#throttled, waitedMs: this.#waitedMs };
  }

  /** How far ahead of the schedule a burst may run, in ms, at `rate`. */
  #tolerance(rate: number): number {
    return ((this.burst - 1) * 1000) / rate;
  }

  #nextSlot(now: number): number {
    return Math.max(now, this.#pausedUntil, this.#tat - this.#tolerance(this.rateAt(now)));
  }

  #take(at: number): void {
    this.#tat = Math.max(this.#tat, at) + 1000 / this.rateAt(at);
  }
}
