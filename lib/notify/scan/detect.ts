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

/**
 * What a task calls for now, given what was already recorded for it: a failure once (any configured
 * status); a stuck notice once; then, while it stays stuck, a reminder every `repeatAfterMinutes` up to
 * `maxReminders`; and a recovered notice once if it then succeeds. Reminders and the recovered notice
 * follow only a stuck notice that was queued (not one recorded by a baseline scan).
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
  if (!config.stuckStatuses.includes(task.status) || seen?.failed) return undefined;
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
  // A success can only be a recovery if the task ran long enough to have been announced as stuck.
  if (task.status === 'SUCCESS') {
    const updated = Date.parse(task.updated_at);
    return (Number.isNaN(updated) ? now : updated) - created >= threshold;
  }
  return config.stuckStatuses.includes(task.status) && now - created >= threshold;
}
