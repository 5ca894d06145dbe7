import type { AppConfig } from '../../config/types';
import type { DmsClient } from '../../dms/client';
import type { StateStore, Versioned } from '../../state/types';
import { configuredTargets, instancesOf } from './discover';
import { errorName, type LogFn } from '../log';
import { cursorOf, keys, readRecord } from '../records';
import type { TimeBudget } from '../timeBudget';
import type { InstanceTarget } from '../types';

/**
 * Outbox items waiting at the start that are counted for the delivery reserve, at most: at 500 ms each,
 * the reserve reaches its cap (40% of the run) long before.
 */
const BACKLOG_PROBE_LIMIT = 1000;

/** What the plan phase works with. */
export interface PlanInput {
  readonly app: AppConfig;
  readonly store: StateStore;
  readonly clientFor: (projectId: string) => DmsClient;
  readonly budget: TimeBudget;
  readonly log: LogFn;
  /** Business clock (the outbox's due times). @default Date.now */
  readonly now?: () => number;
}

/** The run's targets in scan order, and their cursors (read once, for ordering and for the scans). */
export interface Plan {
  readonly queue: readonly InstanceTarget[];
  readonly cursors: ReadonlyMap<string, Versioned>;
}

/** When a target was last scanned (ISO time), `''` when never. */
function lastScanOf(cursors: ReadonlyMap<string, Versioned>, t: InstanceTarget): string {
  return cursorOf(cursors.get(keys.cursor(t.projectId, t.instanceId)))?.lastScanAt ?? '';
}

/**
 * The plan phase: the instances to scan (configured and discovered, per project), least recently
 * scanned first, so a run cut short by time never starves the same instances. It also counts the
 * notifications already waiting in the outbox, so the time budget keeps enough for their delivery.
 */
export async function planTargets(input: PlanInput): Promise<Plan> {
  const targets = await targetsOf(input);
  const [cursors, waiting] = await Promise.all([
    input.store.getMany(targets.map((t) => keys.cursor(t.projectId, t.instanceId))),
    waitingNotifications(input),
  ]);
  input.budget.noteBacklog(waiting);
  for (const item of cursors.values()) {
    const read = readRecord.cursor(item);
    if (!read.ok) input.log({ level: 'warn', msg: 'malformed record', key: item.key, problem: read.malformed.problem });
  }
  const queue = [...targets].sort((a, b) => lastScanOf(cursors, a).localeCompare(lastScanOf(cursors, b)));
  return { queue, cursors };
}

/** Outbox items due now (up to {@link BACKLOG_PROBE_LIMIT}); 0 when the store cannot say (logged). */
async function waitingNotifications(input: PlanInput): Promise<number> {
  try {
    return (await input.store.listDue((input.now ?? Date.now)(), BACKLOG_PROBE_LIMIT)).length;
  } catch (e) {
    input.log({ level: 'warn', msg: 'outbox backlog unknown', error: errorName(e) });
    return 0;
  }
}

/** Configured and discovered instances; a failing discovery only loses that project's discovered part. */
async function targetsOf(input: PlanInput): Promise<InstanceTarget[]> {
  const targets: InstanceTarget[] = [];
  for (const project of input.app.projects.values()) {
    try {
      const client = input.clientFor(project.projectId);
      targets.push(...(await instancesOf(project, client, { deadline: input.budget.deadline() })));
    } catch (e) {
      input.log({ level: 'warn', msg: 'instance discovery failed', project: project.projectId, error: errorName(e) });
      targets.push(...configuredTargets(project));
    }
  }
  return targets;
}

/** How much of the watched fleet is covered once a run is done (in its summary). */
export interface Coverage {
  /** Instances the run planned to scan (configured and discovered). */
  readonly instancesWatched: number;
  /** Of them, never scanned successfully, this run included. */
  readonly neverScanned: number;
  /**
   * Age of the oldest successful scan among the watched instances once this run is done (seconds):
   * 0 when this run scanned every one. Instances never scanned are counted apart.
   */
  readonly oldestScanAgeSeconds: number;
}

/** The fleet's coverage after a run that scanned `scanned` (cursor keys) of `plan`'s queue. */
export function coverageOf(plan: Plan, scanned: ReadonlySet<string>, now: number): Coverage {
  let neverScanned = 0;
  let oldest = now;
  for (const t of plan.queue) {
    if (scanned.has(keys.cursor(t.projectId, t.instanceId))) continue;
    const last = lastScanOf(plan.cursors, t);
    if (last === '') neverScanned++;
    else oldest = Math.min(oldest, Date.parse(last));
  }
  const oldestScanAgeSeconds = Math.max(0, Math.round((now - oldest) / 1000));
  return { instancesWatched: plan.queue.length, neverScanned, oldestScanAgeSeconds };
}

/**
 * Instances a run of this length scans at most, at `requestsPerSecond` and one DMS request per
 * instance (a scan that pages takes more): the time before the delivery reserve, at the budget's rate.
 */
export function scanCapacity(budget: TimeBudget, requestsPerSecond: number): number {
  const scanMs = budget.startRemainingMs - budget.deliveryReserveMs - budget.stopMarginMs;
  return Math.max(0, Math.floor((scanMs / 1000) * requestsPerSecond));
}

/**
 * The warning of a run that did not scan every watched instance: how many, how old the oldest scan
 * is, what this run length and budget can scan, and what to change. `undefined` when all were scanned.
 */
export function coverageWarning(
  coverage: Coverage,
  skipped: number,
  capacity: number,
  requestsPerSecond: number,
): Record<string, unknown> | undefined {
  if (skipped === 0) return undefined;
  return {
    level: 'warn',
    msg: 'not every watched instance was scanned this run',
    instancesWatched: coverage.instancesWatched,
    instancesSkipped: skipped,
    neverScanned: coverage.neverScanned,
    oldestScanAgeSeconds: coverage.oldestScanAgeSeconds,
    scanCapacity: capacity,
    requestsPerSecond,
    advice:
      `a run of this length scans about ${capacity} instances at ${requestsPerSecond} DMS requests/s: ` +
      'raise the function timeout up to the schedule interval, raise requestsPerSecond if the account’s API ' +
      'quota allows, or split the watched instances between deployments',
  };
}
