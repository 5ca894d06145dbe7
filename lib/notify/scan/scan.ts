import type { DmsClient } from '../../dms/client';
import type { StateStore, Versioned } from '../../state/types';
import { listInstance, type ListedInstance, type ScanContext } from './listInstance';
import { errorName, type LogFn } from '../log';
import { keys } from '../records';
import { recordInstance, type CursorWrite, type ScanResult } from './recordInstance';
import type { TimeBudget } from '../timeBudget';
import type { InstanceTarget, NotifyConfig } from '../types';

export { formatDmsTime, type ListedInstance, type ScanContext } from './listInstance';
export type { ScanResult } from './recordInstance';

/** What the scan phase works with: the plan's ordered targets and the cursors read for them. */
export interface ScanInput {
  readonly config: NotifyConfig;
  readonly store: StateStore;
  /** Business clock. */
  readonly now: () => number;
  readonly budget: TimeBudget;
  readonly clientFor: (projectId: string) => DmsClient;
  readonly log: LogFn;
  /** Instances to scan, in order. */
  readonly queue: readonly InstanceTarget[];
  /** Cursors read before the scan, by key. */
  readonly cursors: ReadonlyMap<string, Versioned>;
}

/** What the scan phase did, summed over instances, and the cursors to store now. */
export interface ScanTotals {
  instancesScanned: number;
  /** Not scanned this run (time ran out); the next run catches up from their cursor. */
  instancesSkipped: number;
  /** Scans that failed (DMS error, timeout); their cursor did not move. */
  instancesFailed: number;
  /**
   * Scans whose task listing stopped short (neither paging name advanced, or the page bound): what was
   * listed was recorded, tasks may be missing, their cursor did not move.
   */
  instancesIncomplete: number;
  tasksSeen: number;
  newFailures: number;
  stuck: number;
  reminders: number;
  recovered: number;
  baselined: number;
  queued: number;
}

/** Nothing scanned yet (also what a run reports when it failed before its scan). */
export function emptyScanTotals(): ScanTotals {
  return {
    instancesScanned: 0,
    instancesSkipped: 0,
    instancesFailed: 0,
    instancesIncomplete: 0,
    tasksSeen: 0,
    newFailures: 0,
    stuck: 0,
    reminders: 0,
    recovered: 0,
    baselined: 0,
    queued: 0,
  };
}

export interface ScanOutput {
  readonly totals: ScanTotals;
  /** Cursor keys of the instances scanned successfully this run (for the run's coverage). */
  readonly scanned: ReadonlySet<string>;
  /** Cursors of the instances scanned (not baseline scans, already stored), for `writeCursors`. */
  readonly cursors: readonly CursorWrite[];
}

/**
 * The scan phase: list and record the queued instances, `config.concurrency` workers. Each worker
 * lists one instance at a time (so `concurrency` bounds the DMS requests) and records what it found
 * while it lists the next one: at most one instance of its own being recorded. Once the time left is
 * the delivery reserve, no new instance starts; the rest is counted as skipped. Never throws for one
 * instance: a failed scan is logged and counted, and leaves its cursor where it was.
 */
export async function scanTargets(input: ScanInput): Promise<ScanOutput> {
  const totals = emptyScanTotals();
  const cursors = new Map<string, CursorWrite>();
  const scanned = new Set<string>();
  const failed = (target: InstanceTarget, e: unknown): void => {
    totals.instancesFailed++;
    const where = { project: target.projectId, instance: target.instanceId };
    input.log({ level: 'warn', msg: 'instance scan failed', ...where, error: errorName(e) });
  };
  const steps: PipelineSteps<InstanceTarget, Listed> = {
    mayStart: () => input.budget.mayStartScan(),
    first: async (target) => {
      const listed = await listStep(input, target).catch((e: unknown) => void failed(target, e));
      if (listed?.listed.incomplete) {
        totals.instancesIncomplete++;
        const where = { project: target.projectId, instance: target.instanceId };
        input.log({
          level: 'warn',
          msg: 'instance listing incomplete',
          ...where,
          stopReason: listed.listed.incomplete,
        });
      }
      return listed;
    },
    second: async ({ ctx, listed }) => {
      try {
        const { cursor, ...counts } = await recordInstance(ctx, listed);
        add(totals, counts);
        scanned.add(keys.cursor(listed.target.projectId, listed.target.instanceId));
        // What was queued needs delivery time: the scan stops sooner when the backlog grows.
        input.budget.noteBacklog(counts.queued);
        if (cursor) cursors.set(cursor.key, cursor);
      } catch (e) {
        failed(listed.target, e);
      }
    },
  };
  totals.instancesSkipped = await pipelined(input.queue, input.config.concurrency, steps);
  return { totals, scanned, cursors: [...cursors.values()] };
}

/** A listed instance and the context it was listed with (its DMS deadline), for the record step. */
interface Listed {
  readonly ctx: ScanContext;
  readonly listed: ListedInstance;
}

async function listStep(input: ScanInput, target: InstanceTarget): Promise<Listed> {
  const { config, store, now } = input;
  const ctx: ScanContext = { config, store, now, deadline: input.budget.scanDeadline() };
  const known = input.cursors.get(keys.cursor(target.projectId, target.instanceId));
  return { ctx, listed: await listInstance(ctx, input.clientFor(target.projectId), target, known) };
}

function add(totals: ScanTotals, r: ScanResult): void {
  totals.instancesScanned++;
  totals.tasksSeen += r.tasksSeen;
  totals.newFailures += r.newFailures;
  totals.stuck += r.stuck;
  totals.reminders += r.reminders;
  totals.recovered += r.recovered;
  totals.baselined += r.baselined;
  totals.queued += r.queued;
}

/** The two steps of a {@link pipelined} loop. Neither may throw. */
interface PipelineSteps<T, M> {
  /** Whether another item may start; once not, the rest is skipped. */
  readonly mayStart: () => boolean;
  /** Bounded by the worker count; `undefined` drops the item. */
  readonly first: (item: T) => Promise<M | undefined>;
  /** Runs while the same worker's `first` of the next item does. */
  readonly second: (m: M) => Promise<void>;
}

/**
 * `workers` loops over `items`, each running `first` of one item at a time and `second` of its previous
 * item alongside (one at most); `mapLimit` cannot express this overlap. Returns how many items were
 * skipped because `mayStart` said no.
 */
async function pipelined<T, M>(items: readonly T[], workers: number, steps: PipelineSteps<T, M>): Promise<number> {
  let next = 0;
  let skipped = 0;
  const worker = async (): Promise<void> => {
    let second: Promise<void> = Promise.resolve();
    try {
      while (next < items.length) {
        if (!steps.mayStart()) {
          skipped += items.length - next;
          next = items.length;
          return;
        }
        const m = await steps.first(items[next++] as T);
        if (m === undefined) continue;
        await second;
        second = steps.second(m);
      }
    } finally {
      await second;
    }
  };
  await Promise.all(Array.from({ length: Math.min(workers, items.length) }, worker));
  return skipped;
}

/**
 * Scans one instance completely: `listInstance`, then `recordInstance`, then its cursor stored (the
 * scan phase stores cursors together afterwards instead).
 */
export async function scanInstance(
  ctx: ScanContext,
  client: DmsClient,
  target: InstanceTarget,
  known?: Versioned,
): Promise<ScanResult> {
  const { cursor, ...result } = await recordInstance(ctx, await listInstance(ctx, client, target, known));
  if (cursor) await ctx.store.put(cursor.key, cursor.value);
  return result;
}
