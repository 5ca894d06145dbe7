import type { CredentialsProvider } from '../signing/credentials';
import { randomUUID } from 'node:crypto';
import type { AppConfig } from '../config/types';
import { sleep } from '../core/sleep';
import type { DmsClient } from '../dms/client';
import type { RequestBudgetStats } from '../dms/requestBudget';
import { StateStoreError } from '../state/errors';
import type { StateStore } from '../state/types';
import { deliverOutbox } from './deliver/deliver';
import { emptyDeliverResult, type DeliverContext, type DeliverResult } from './deliver/deliveryContext';
import { defaultLog, errorName, type LogFn } from './log';
import { coverageOf, coverageWarning, planTargets, scanCapacity, type Coverage } from './scan/plan';
import { storeCursors } from './scan/recordInstance';
import { emptyScanTotals, scanTargets } from './scan/scan';
import { TimeBudget } from './timeBudget';
import type { NotifyConfig, ResolvedDestination } from './types';

export { defaultLog } from './log';

export interface RunDependencies {
  readonly app: AppConfig;
  readonly config: NotifyConfig;
  readonly store: StateStore;
  readonly destinations: ReadonlyMap<string, ResolvedDestination>;
  /** A DMS client per configured project id. */
  readonly clientFor: (projectId: string) => DmsClient;
  /**
   * The request budgets the clients draw on (`RequestBudgets`), read before and after the run for
   * the summary's `throttled` and `budgetWaitMs`. @default none (both reported as 0)
   */
  readonly budgets?: { totals(): RequestBudgetStats };
  /** Real time left in the invocation (`context.getRemainingTimeInMillis`). */
  readonly remainingMs: () => number;
  /** Business clock. @default Date.now */
  readonly now?: () => number;
  /** @default a timer */
  readonly sleep?: (ms: number) => Promise<void>;
  /** @default Math.random */
  readonly random?: () => number;
  /** One JSON line per entry. @default console.log / console.error */
  readonly log?: LogFn;
  readonly fetch?: typeof fetch;
  /** The invocation's cloud credentials, for `smn` destinations (`InvocationSecrets.credentials`). */
  readonly credentials?: CredentialsProvider;
  /**
   * Scan phase stops starting instances when less than this is left, to keep time for delivery.
   * @default sized from the backlog (`TimeBudget`): 10 s plus 500 ms per notification waiting or
   * queued, at most 40% of the starting remaining time
   */
  readonly deliveryReserveMs?: number;
  /**
   * The store as a failed run's `error` names it (`describeStore`: kind, host and port, table or
   * path; never a credential). @default none (the error names its operation only)
   */
  readonly storeLabel?: string;
  /**
   * The run's id, in its summary line and delivery context: the platform's invocation id
   * (FunctionGraph's `getRequestID()`, Lambda's `awsRequestId`), so the run is found beside the
   * platform's own log lines. @default a random UUID
   */
  readonly runId?: string;
}

/** What every run returns and logs (one line, `msg: "notify run"`). */
export interface RunSummary {
  readonly runId: string;
  readonly trigger: string;
  readonly instancesScanned: number;
  /** Instances the run planned to scan (configured and discovered): the fleet it watches. */
  readonly instancesWatched: number;
  /** Watched instances never scanned successfully, this run included. */
  readonly neverScanned: number;
  /** Age of the oldest successful scan among the watched instances after this run (s); 0: all scanned now. */
  readonly oldestScanAgeSeconds: number;
  /**
   * Instances a run of this length scans at most at the request budget (one request each): beyond it,
   * some are left for the next run, and a warning says what to change.
   */
  readonly scanCapacity: number;
  /** Not scanned this run (time ran out); the next run catches up from their cursor. */
  readonly instancesSkipped: number;
  /** Scans that failed (DMS error, timeout); their cursor did not move. */
  readonly instancesFailed: number;
  /** Scans whose listing stopped short (log line "instance listing incomplete"): tasks may be missing. */
  readonly instancesIncomplete: number;
  readonly tasksSeen: number;
  readonly newFailures: number;
  readonly stuck: number;
  /** Reminders of tasks still stuck, and recovered notices of stuck tasks that succeeded, queued this run. */
  readonly reminders: number;
  readonly recovered: number;
  readonly baselined: number;
  readonly queued: number;
  readonly sent: number;
  readonly messages: number;
  readonly retried: number;
  /**
   * Notifications left for later runs once this one is done: the outbox's pending items, whatever
   * their due time (quiet hours past max age included), and those another run holds the lease of. A
   * lower bound when `pendingAtLeast` is set (over 5,000).
   */
  readonly pending: number;
  readonly pendingAtLeast?: true;
  /** Of `pending`, held by another run's lease when this one listed: a run still sending, or a killed one. */
  readonly leased: number;
  readonly dead: number;
  /** Recorded as silenced this run (never sent), and held by quiet hours (sent when they end). */
  readonly silenced: number;
  readonly held: number;
  /** Made moot by a later event of their task before delivery (a stuck notice whose recovered was due): never sent. */
  readonly superseded: number;
  /** DMS answers throttled by the API gateway (429 `APIGW.0308`) during the run, retried ones included. */
  readonly throttled: number;
  /** Time the run's DMS calls waited for the request budget, summed over calls (concurrent waits add up). */
  readonly budgetWaitMs: number;
  /**
   * Present when the state store does not persist (`false`: a restart of its server loses every
   * record, e.g. a DCS single-node instance) or could not tell; absent when it persists.
   */
  readonly storePersists?: false;
  /** What the store said about its persistence, when `storePersists` is not known to be true. */
  readonly storePersistence?: string;
  readonly durationMs: number;
  /**
   * Why the run, or its delivery phase, failed as a whole (`StateStoreError getMany at redis
   * 10.0.0.5:6379`): the error's name, the store operation and where the store is. Absent when it did not.
   */
  readonly error?: string;
}

/**
 * One scheduled run, in phases: plan (the instances, least recently scanned first), scan (list and
 * record each, bounded concurrency, no new scan once the time left is needed for delivery), store the
 * cursors the scans returned, then deliver the outbox. Never throws for one instance or one
 * destination; the summary says what happened. Every run ends with its summary line: one that fails
 * as a whole (the store down while planning) logs it with `error`, then throws.
 */
export async function runNotifier(deps: RunDependencies, trigger = 'schedule'): Promise<RunSummary> {
  const started = performance.now();
  const now = deps.now ?? Date.now;
  const log = deps.log ?? defaultLog;
  const runId = deps.runId ?? randomUUID();
  const { config, store, clientFor } = deps;
  const reserve = deps.deliveryReserveMs !== undefined ? { deliveryReserveMs: deps.deliveryReserveMs } : {};
  const budget = new TimeBudget(deps.remainingMs, reserve);
  const requests = budgetUse(deps.budgets);

  let totals = emptyScanTotals();
  // Nothing known of the fleet when the run fails before its plan.
  let coverage: Coverage & { scanCapacity: number } = {
    instancesWatched: 0,
    neverScanned: 0,
    oldestScanAgeSeconds: 0,
    scanCapacity: scanCapacity(budget, deps.app.requestsPerSecond),
  };
  let delivery: Delivery = { result: emptyDeliverResult() };
  let failure: { readonly error: unknown } | undefined;
  const persistence = await storePersistence(store, log);
  try {
    const plan = await planTargets({ app: deps.app, store, clientFor, budget, log, now });
    const scanned = await scanTargets({ config, store, now, budget, clientFor, log, ...plan });
    totals = scanned.totals;
    await storeCursors(store, scanned.cursors, log);
    coverage = { ...coverage, ...coverageOf(plan, scanned.scanned, now()) };
    const warning = coverageWarning(
      coverage,
      totals.instancesSkipped,
      coverage.scanCapacity,
      deps.app.requestsPerSecond,
    );
    if (warning) log(warning);
    delivery = await deliverSafely({ ...deliveryContext(deps, budget, runId), now, log });
  } catch (error) {
    failure = { error };
  }
  const { throttled, budgetWaitMs } = requests();
  const { sent, messages, retried, pending, leased, dead, silenced, held, superseded } = delivery.result;
  const durationMs = Math.round(performance.now() - started);
  const delivered = {
    sent,
    messages,
    retried,
    pending,
    ...(delivery.result.pendingAtLeast ? { pendingAtLeast: true as const } : {}),
    leased,
    dead,
    silenced,
    held,
    superseded,
  };
  const failed = failure?.error ?? delivery.error;
  const error = failed === undefined ? {} : { error: describeFailure(failed, deps.storeLabel) };
  const summary: RunSummary = {
    runId,
    trigger,
    ...totals,
    ...coverage,
    ...delivered,
    throttled,
    budgetWaitMs,
    ...persistence,
    durationMs,
    ...error,
  };
  log({ level: failed === undefined ? 'info' : 'error', msg: 'notify run', ...summary });
  // The summary line first, then the platform sees the failure too (its error metrics and alarms).
  if (failure) throw failure.error;
  return summary;
}

/**
 * A failure as the summary names it: the error's name, and for the state store its operation and
 * where it is (never its message, which may quote a key or a URL; never a credential).
 */
function describeFailure(e: unknown, storeLabel: string | undefined): string {
  if (!(e instanceof StateStoreError)) return errorName(e);
  return `${e.name} ${e.operation}${storeLabel ? ` at ${storeLabel}` : ''}`;
}

/**
 * What the summary says about the store's persistence (read once per store, at its first use): a
 * warning line when it does not persist, since a restart then loses what is queued and the next scan
 * baselines every instance (announcing only what is within `baselineGraceMinutes`).
 */
async function storePersistence(
  store: StateStore,
  log: LogFn,
): Promise<Pick<RunSummary, 'storePersists' | 'storePersistence'>> {
  const p = await store.persistence?.();
  if (!p || p.persists === true) return {};
  if (p.persists === undefined) return { storePersistence: p.detail };
  log({ level: 'warn', msg: 'state store does not persist', detail: p.detail });
  return { storePersists: false, storePersistence: p.detail };
}

/**
 * What the run's DMS calls took from the request budgets: call it once the DMS phases are done (the
 * counters are the process's; one run at a time per process, as Lambda and FunctionGraph run them).
 */
function budgetUse(budgets: RunDependencies['budgets']): () => { throttled: number; budgetWaitMs: number } {
  const before = budgets?.totals();
  return () => {
    const after = budgets?.totals();
    if (!before || !after) return { throttled: 0, budgetWaitMs: 0 };
    return {
      throttled: after.throttled - before.throttled,
      budgetWaitMs: Math.round(after.waitedMs - before.waitedMs),
    };
  };
}

/** The delivery phase's context from the run's dependencies (defaults filled in). */
function deliveryContext(
  deps: RunDependencies,
  budget: TimeBudget,
  runId: string,
): Omit<DeliverContext, 'now' | 'log'> {
  const { config, store, destinations } = deps;
  const waits = { sleep: deps.sleep ?? sleep, random: deps.random ?? Math.random };
  const credentials = deps.credentials ? { credentials: deps.credentials } : {};
  const fetchFn = deps.fetch ? { fetch: deps.fetch } : {};
  return { config, store, destinations, budget, runId, ...waits, ...fetchFn, ...credentials };
}

/** What the delivery phase did, and the error that ended it early, if one did. */
interface Delivery {
  readonly result: DeliverResult;
  readonly error?: unknown;
}

/** The delivery phase; a failure of the phase as a whole is logged, and the run reports nothing delivered. */
async function deliverSafely(ctx: DeliverContext): Promise<Delivery> {
  try {
    return { result: await deliverOutbox(ctx) };
  } catch (error) {
    ctx.log({ level: 'error', msg: 'delivery phase failed', error: errorName(error) });
    return { result: emptyDeliverResult(), error };
  }
}
