import type { DmsTask } from '../dms/types';
import type { Versioned } from '../state/types';
import { detect, mayNotify, type Detected } from './detect';
import { routesFor } from './filters';
import type { ListedInstance } from './listInstance';
import { queue, type OutboxWrite } from './outbox';
import { keys, notificationId, type SeenRecord } from './records';
import type { InstanceTarget, Notification, NotifyConfig } from './types';

/** What one instance's listed tasks call for: the writes of the record phase, and what they count. */
export interface Findings {
  /** New outbox items (new notifications × destinations), to be created put-if-absent. */
  readonly outbox: readonly { readonly key: string; readonly write: OutboxWrite }[];
  /** Seen records of the tasks that called for something (notified or baselined). */
  readonly seen: readonly { readonly key: string; readonly value: SeenRecord }[];
  /** The first scan of an instance: events recorded as seen, nothing notified. */
  readonly baseline: boolean;
  readonly newFailures: number;
  readonly stuck: number;
  readonly reminders: number;
  readonly recovered: number;
  readonly baselined: number;
}

/** Tasks that could call for something without looking at state; only their seen records are read. */
export function candidatesOf(listed: ListedInstance, config: NotifyConfig): DmsTask[] {
  return listed.inWindow.filter((t) => mayNotify(t, config, listed.now));
}

/** The seen record key of a listed task. */
export function seenKey(target: InstanceTarget, task: DmsTask): string {
  return keys.seen(target.projectId, target.instanceId, task.id);
}

/**
 * Detection (pure): for each candidate, given its seen record, the event it calls for now and the
 * outbox items and seen record that event needs. In a baseline scan events are only marked seen.
 */
export function findingsOf(
  listed: ListedInstance,
  candidates: readonly DmsTask[],
  seenRecords: ReadonlyMap<string, Versioned>,
  config: NotifyConfig,
  maxAgeMs: number,
): Findings {
  const { target, now, cursor } = listed;
  const baseline = config.baseline && !cursor?.baselineDone;
  const counts = { newFailures: 0, stuck: 0, reminders: 0, recovered: 0, baselined: 0 };
  const seen: Findings['seen'][number][] = [];
  const outbox: Findings['outbox'][number][] = [];
  for (const task of candidates) {
    const key = seenKey(target, task);
    const was = seenRecords.get(key)?.value as SeenRecord | undefined;
    const d = detect(task, was, config, now);
    if (!d) continue;
    const mark = markOf(was, d, task, now);
    if (baseline) {
      counts.baselined++;
      // Not announced: no `stuckAt`, so no reminders and no recovered notice follow.
      const { stuckAt: _notAnnounced, ...quiet } = mark;
      seen.push({ key, value: { ...quiet, baseline: true } });
      continue;
    }
    if (d.event === 'failed') counts.newFailures++;
    else if (d.event === 'stuck') counts.stuck++;
    else if (d.event === 'reminder') counts.reminders++;
    else counts.recovered++;
    for (const [destinationId, routes] of routesFor(config, target, task.name, d.event)) {
      const n = { ...notificationOf(target, d, destinationId, now, config.maxReminders), routes };
      outbox.push({ key: keys.outbox(n.id), write: queue(n, now, maxAgeMs) });
    }
    seen.push({ key, value: mark });
  }
  return { outbox, seen, baseline, ...counts };
}

/** The seen record once `d` is recorded: what keeps the next scan from calling for it again. */
function markOf(was: SeenRecord | undefined, d: Detected, task: DmsTask, now: number): SeenRecord {
  switch (d.event) {
    case 'failed':
      return { ...was, failed: task.status };
    case 'stuck':
      return { ...was, stuck: true, stuckAt: now };
    case 'reminder':
      return { ...was, reminders: d.reminder ?? 1, remindedAt: now };
    case 'recovered':
      return { ...was, recovered: true };
  }
}

/** The notification of one detected event for one destination; its id is stable across runs. */
function notificationOf(
  target: InstanceTarget,
  d: Detected,
  destinationId: string,
  now: number,
  maxReminders: number,
): Notification {
  const { task } = d;
  const { projectId, instanceId } = target;
  return {
    id: notificationId(projectId, instanceId, task.id, d.event, destinationId, d.reminder),
    destinationId,
    event: d.event,
    projectId,
    region: target.region,
    instanceId,
    instanceName: target.name,
    engine: target.engine,
    task: {
      id: task.id,
      name: task.name,
      status: task.status,
      user_name: task.user_name,
      created_at: task.created_at,
      updated_at: task.updated_at,
    },
    detectedAt: new Date(now).toISOString(),
    ...(d.stuckMinutes !== undefined ? { stuckMinutes: d.stuckMinutes } : {}),
    ...(d.reminder !== undefined ? { reminder: d.reminder, maxReminders } : {}),
    ...(d.ranMinutes !== undefined ? { ranMinutes: d.ranMinutes } : {}),
  };
}
