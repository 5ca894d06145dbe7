import type { CredentialsProvider } from '../../signing/credentials';
import type { StateStore } from '../../state/types';
import type { LogFn } from '../log';
import type { OutboxRecord } from '../records';
import type { TimeBudget } from '../timeBudget';
import type { NotifyConfig, ResolvedDestination } from '../types';
import type { Resolver } from './urlPolicy';

/** What the delivery phase works with; built once per run by the notifier. */
export interface DeliverContext {
  readonly config: NotifyConfig;
  readonly store: StateStore;
  readonly destinations: ReadonlyMap<string, ResolvedDestination>;
  /** Business clock (epoch ms): ages, leases, backoff times. */
  readonly now: () => number;
  /** Waits (backoff, rate limits); tests inject one that advances their clock. */
  readonly sleep: (ms: number) => Promise<void>;
  /** The invocation's time: whether a claim or a POST still fits, and how long a lease lasts. */
  readonly budget: TimeBudget;
  readonly random: () => number;
  readonly runId: string;
  readonly log: LogFn;
  readonly fetch?: typeof fetch;
  /** The invocation's cloud credentials (an `smn` destination signs with them). */
  readonly credentials?: CredentialsProvider;
  /** DNS for the public-address check before each POST (tests inject one). @default the system resolver */
  readonly resolve?: Resolver;
}

/**
 * What the delivery phase did. Mutable: destinations are sent to in parallel and each adds what it did
 * as it goes, so a destination that fails midway still counts what it had done.
 */
export interface DeliverResult {
  /** Notifications accepted by their destination. */
  sent: number;
  /** HTTP messages accepted (a grouped message carries several notifications). */
  messages: number;
  /** POSTs that repeated an earlier failed attempt. */
  retried: number;
  /**
   * Notifications left for later runs: the pending items the run's listing saw (held by quiet hours,
   * backing off, or leased by another run included), less those it delivered or gave up. Counted as
   * it goes, then set once the phase is done.
   */
  pending: number;
  /** Of `pending`, those another run held the lease of when this one listed (one that died included). */
  leased: number;
  /** `pending` is a lower bound: the listing was cut at `BACKLOG_COUNT_LIMIT`. */
  pendingAtLeast: boolean;
  /** Notifications given up (max age reached or a permanent error). */
  dead: number;
  /** Claims lost to another run after the lease ran out (never expected; logged). */
  leaseLost: number;
  /** Notifications a silence covered as they came due: recorded as silenced, never sent. */
  silenced: number;
  /** Notifications held by their routes' quiet hours, due again when those end. */
  held: number;
  /** Notifications a later event of their task made moot before delivery: recorded, never sent. */
  superseded: number;
}

/** Nothing delivered yet. */
export function emptyDeliverResult(): DeliverResult {
  return {
    sent: 0,
    messages: 0,
    retried: 0,
    pending: 0,
    leased: 0,
    pendingAtLeast: false,
    dead: 0,
    leaseLost: 0,
    silenced: 0,
    held: 0,
    superseded: 0,
  };
}

/** An outbox item this run holds: its key, the version its claim wrote, and the claimed record. */
export interface Claimed {
  readonly key: string;
  readonly version: number;
  readonly record: OutboxRecord;
}
