import type { CredentialsProvider } from '../signing/credentials';
import { randomUUID } from 'node:crypto';
import type { AppConfig } from '../config/types';
import { sleep } from '../core/sleep';
import type { DmsClient } from '../dms/client';
import type { RequestBudgetStats } from '../dms/requestBudget';
import type { StateStore } from '../state/types';
import { deliverOutbox } from './deliver/deliver';
import { emptyDeliverResult, type DeliverContext, type DeliverResult } from './deliver/deliveryContext';
import { defaultLog, errorName, type LogFn } from './log';
import { coverageOf, coverageWarning, planTargets, scanCapacity, type Coverage } from './scan/plan';
import { storeCursors } from './scan/recordInstance';
import { scanTargets } from './scan/scan';
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
   * Notifications left for later runs once this one is done: the outbox's pending items (not held by
   * another run), whatever their due time. A lower bound when `pendingAtLeast` is set (over 5,000).
   */
  readonly pending: number;
  readonly pendingAtLeast?: true;
  readonly dead: number;
  /** Recorded as silenced this run (never sent), and held by quiet hours (sent when they end). */
  readonly silenced: number;
  readonly held: number;
  /** DMS answers throttled by the API gateway (429 `APIGW.0308`) during the run, retried ones included. */
  readonly throttled: number;
  /** Time the run's DMS calls waited for the request budget, summed over calls (concurrent waits add up). */
  readonly budgetWaitMs: number;
  readonly durationMs: number;
}

/**
 * One scheduled run, in phases: plan (the instances, least recently scanned first), scan (list and
 * record each, bounded concurrency, no new scan once the time left is needed for delivery), store the
 * cursors the scans returned, then deliver the outbox. Never throws for one instance or one
 * destination; the summary says what happened.
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

  const plan = await planTargets({ app: deps.app, store, clientFor, budget, log, now });
  const scanned = await scanTargets({ config, store, now, budget, clientFor, log, ...plan });
  await storeCursors(store, scanned.cursors, log);
  const coverage: Coverage & { scanCapacity: number } = {
    ...coverageOf(plan, scanned.scanned, now()),
    scanCapacity: scanCapacity(budget, deps.app.requestsPerSecond),
  };
  const warning = coverageWarning(
    coverage,
    scanned.totals.instancesSkipped,
    coverage.scanCapacity,
    deps.app.requestsPerSecond,
  );
  if (warning) log(warning);
  const { throttled, budgetWaitMs } = requests();
  const delivery = await deliverSafely({ ...deliveryContext(deps, budget, runId), now, log });

  const { sent, messages, retried, pending, dead, silenced, held } = delivery;
  const durationMs = Math.round(performance.now() - started);
  const delivered = {
    sent,
    messages,
    retried,
    pending,
    ...(delivery.pendingAtLeast ? { pendingAtLeast: true as const } : {}),
    dead,
    silenced,
    held,
  };
  const summary: RunSummary = {
    runId,
    trigger,
    ...scanned.totals,
    ...coverage,
    ...delivered,
    throttled,
    budgetWaitMs,
    durationMs,
  };
  log({ level: 'info', msg: 'notify run', ...summary });
  return summary;
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

/** The delivery phase; a failure of the phase as a whole is logged, and the run reports nothing delivered. */
async function deliverSafely(ctx: DeliverContext): Promise<DeliverResult> {
  try {
    return await deliverOutbox(ctx);
  } catch (e) {
    ctx.log({ level: 'error', msg: 'delivery phase failed', error: errorName(e) });
    return emptyDeliverResult();
  }
}
