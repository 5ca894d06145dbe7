import type { DmsTask } from '../dms/types';
import type { SeenRecord } from './records';
import type { EventKind, NotifyConfig } from './types';

export interface Detected {
  readonly task: DmsTask;
  readonly event: EventKind;
  /** For `stuck`: minutes since creation. */
  readonly stuckMinutes?: number;
}

/**
 * What a task calls for now, given what was already recorded for it: a failure once (any configured
 * status), a stuck notice once (and nothing more unless it later fails).
 */
export function detect(
  task: DmsTask,
  seen: SeenRecord | undefined,
  config: NotifyConfig,
  now: number,
): Detected | undefined {
  if (config.statuses.includes(task.status)) return seen?.failed ? undefined : { task, event: 'failed' };
  if (config.stuckStatuses.includes(task.status) && !seen?.stuck && !seen?.failed) {
    const created = Date.parse(task.created_at);
    if (Number.isNaN(created)) return undefined;
    const minutes = Math.floor((now - created) / 60_000);
    if (minutes >= config.stuckAfterMinutes) return { task, event: 'stuck', stuckMinutes: minutes };
  }
  return undefined;
}

/** Cheap pre-check (no state needed) of whether a task could produce an event. */
export function mayNotify(task: DmsTask, config: NotifyConfig, now: number): boolean {
  if (config.statuses.includes(task.status)) return true;
  if (!config.stuckStatuses.includes(task.status)) return false;
  const created = Date.parse(task.created_at);
  return !Number.isNaN(created) && now - created >= config.stuckAfterMinutes * 60_000;
}
