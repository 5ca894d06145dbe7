import type { DmsTask } from '../../dms/types';
import { globMatch } from '../../core/glob';
import type { SeenRecord } from '../records';
import type { EventKind, NotifyConfig } from '../types';

const MINUTE = 60_000;

export interface Detected {
  readonly task: DmsTask;
  readonly event: EventKind;
  /** For `stuck` and `reminder`: minutes since creation. */
  readonly stuckMinutes?: number;
  /** For `reminder`: its number, 1 for the first. */
  readonly reminder?: number;
  /** For `recovered`: minutes from creation to the last update. */
  readonly ranMinutes?: number;
}

type Thresholds = Pick<NotifyConfig, 'stuckAfterMinutes' | 'stuckAfterByTask'>;
/** What `mayNotify` reads of the configuration (the fleet page asks it too). */
export type NoticeRules = Thresholds & Pick<NotifyConfig, 'statuses' | 'stuckStatuses'>;

/** The stuck threshold of a task name: the longest matching `stuckAfterByTask` glob, else the default. */
export function stuckAfterFor(config: Thresholds, taskName: string): number {
  let best: { pattern: string; minutes: number } | undefined;
  for (const t of config.stuckAfterByTask) {
    if (globMatch(t.pattern, taskName) && (!best || t.pattern.length > best.pattern.length)) best = t;
  }
  return best ? best.minutes : config.stuckAfterMinutes;
}

function minutesBetween(from: string, to: number): number | undefined {
  const start = Date.parse(from);
  return Number.isNaN(start) ? undefined : Math.floor((to - start) / MINUTE);
}

/** Not a DMS status: the status a notice gives a task announced as stuck whose record is gone (404). */
export const VANISHED_STATUS = 'VANISHED';

/**
 * What a task calls for now, given what was already recorded for it: a failure once (any configured
 * status); a stuck notice once; then, while it stays stuck, a reminder every `repeatAfterMinutes` up to
 * `maxReminders`; and a recovered notice once if it then succeeds. Reminders and the recovered notice
 * follow only a stuck notice that was queued (not one recorded by a baseline scan).
 *
 * A task announced as stuck that ends in any other status than `SUCCESS` (`CANCELLED`, a `DELETED`
 * left out of `statuses`, a status upstream adds later), or whose record vanished
 * ({@link VANISHED_STATUS}), gets a `failed` notice: the operation announced as stuck did not do what
 * it was started for. `failed` rather than a new kind, so every route, filter, silence and PagerDuty
 * severity already written for failures applies, and PagerDuty keeps the incident the stuck notice
 * opened (a `recovered` would resolve it as if the task had succeeded).
 */
export function detect(
  task: DmsTask,
  seen: SeenRecord | undefined,
  config: NotifyConfig,
  now: number,
): Detected | undefined {
  if (config.statuses.includes(task.status)) return seen?.failed ? undefined : { task, event: 'failed' };
  if (task.status === 'SUCCESS') {
    if (seen?.stuckAt === undefined || seen.recovered || seen.failed) return undefined;
    const ran = minutesBetween(task.created_at, Date.parse(task.updated_at));
    return { task, event: 'recovered', ...(ran !== undefined && ran >= 0 ? { ranMinutes: ran } : {}) };
  }
  if (!config.stuckStatuses.includes(task.status)) {
    const announced = seen?.stuckAt !== undefined && !seen.failed && !seen.recovered;
    return announced ? { task, event: 'failed' } : undefined;
  }
  if (seen?.failed) return undefined;
  const minutes = minutesBetween(task.created_at, now);
  if (minutes === undefined) return undefined;
  if (!seen?.stuck) {
    return minutes >= stuckAfterFor(config, task.name) ? { task, event: 'stuck', stuckMinutes: minutes } : undefined;
  }
  if (seen.stuckAt === undefined) return undefined;
  const sent = seen.reminders ?? 0;
  if (sent >= config.maxReminders) return undefined;
  if (now - (seen.remindedAt ?? seen.stuckAt) < config.repeatAfterMinutes * MINUTE) return undefined;
  return { task, event: 'reminder', stuckMinutes: minutes, reminder: sent + 1 };
}

/** Cheap pre-check (no state needed) of whether a task could produce an event. */
export function mayNotify(task: DmsTask, config: NoticeRules, now: number): boolean {
  if (config.statuses.includes(task.status)) return true;
  const threshold = stuckAfterFor(config, task.name) * MINUTE;
  const created = Date.parse(task.created_at);
  if (Number.isNaN(created)) return false;
  // An ended task (success or any other end) calls for something only if it ran long enough to have
  // been announced as stuck: a recovery, or the end of a stuck task.
  if (!config.stuckStatuses.includes(task.status)) {
    const updated = Date.parse(task.updated_at);
    return (Number.isNaN(updated) ? now : updated) - created >= threshold;
  }
  return now - created >= threshold;
}
