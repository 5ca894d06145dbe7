import type { DmsTask } from '../../dms/types';
import type { Versioned } from '../../state/types';
import { detect, mayNotify, stuckAfterFor, type Detected } from './detect';
import { routesFor } from './filters';
import type { ListedInstance } from './listInstance';
import { queue, type OutboxWrite } from '../deliver/outbox';
import { keys, notificationId, type SeenRecord, seenOf } from '../records';
import type { EventKind, InstanceTarget, Notification, NotifyConfig } from '../types';

/** What one instance's listed tasks call for: the writes of the record phase, and what they count. */
export interface Findings {
  /** New outbox items (new notifications × destinations), to be created put-if-absent. */
  readonly outbox: readonly { readonly key: string; readonly write: OutboxWrite }[];
  /** Seen records of the tasks that called for something (notified or baselined). */
  readonly seen: readonly { readonly key: string; readonly value: SeenRecord }[];
  /** The first scan of an instance: events recorded as seen, only those within the grace window notified. */
  readonly baseline: boolean;
  /** Each event detected (not in a baseline): its kind and how many outbox items follow it in `outbox`. */
  readonly events: readonly { readonly kind: EventKind; readonly items: number }[];
  readonly baselined: number;
}

/** What the record phase counts: events this run queued, and tasks recorded as baseline. */
export interface EventCounts {
  readonly newFailures: number;
  readonly stuck: number;
  readonly reminders: number;
  readonly recovered: number;
  readonly baselined: number;
}

/**
 * The events this run is the one to count: those whose first outbox item this run created
 * (`created[i]`, the put-if-absent result of `outbox[i]`), and those no destination wants (nothing to
 * race for). Of two runs racing over the same new failure only the one whose create of that item won
 * counts it; a re-run after a crash does not count it again.
 */
export function countEvents(f: Pick<Findings, 'events' | 'baselined'>, created: readonly boolean[]): EventCounts {
  const counts = { newFailures: 0, stuck: 0, reminders: 0, recovered: 0, baselined: f.baselined };
  let at = 0;
  for (const e of f.events) {
    const mine = e.items === 0 || created[at] === true;
    at += e.items;
    if (!mine) continue;
    if (e.kind === 'failed') counts.newFailures++;
    else if (e.kind === 'stuck') counts.stuck++;
    else if (e.kind === 'reminder') counts.reminders++;
    else counts.recovered++;
  }
  return counts;
}

/** Tasks that could call for something without looking at state; only their seen records are read. */
export function candidatesOf(listed: ListedInstance, config: NotifyConfig): DmsTask[] {
  return listed.inWindow.filter((t) => mayNotify(t, config, listed.now));
}

/** The seen record key of a listed task. */
export function seenKey(target: InstanceTarget, task: DmsTask): string {
  return keys.seen(target.projectId, target.instanceId, task.id);
}

const MINUTE = 60_000;

/**
 * Whether a baseline scan still announces `d`: a failure whose last update, or a task that became
 * stuck (created + its threshold), within the last `baselineGraceMinutes`. So the first scan after
 * the store came back empty (or of a new deployment) records old history quietly and still sends what
 * is recent, under the same ids (webhook-id, PagerDuty dedup key) it would always have had: a
 * receiver that already got it de-duplicates.
 */
export function withinGrace(d: Detected, config: NotifyConfig, now: number): boolean {
  if (config.baselineGraceMinutes <= 0) return false;
  const since = (at: string): number => Date.parse(at);
  let from = Number.NaN;
  if (d.event === 'failed')
    from = Number.isNaN(since(d.task.updated_at)) ? since(d.task.created_at) : since(d.task.updated_at);
  else if (d.event === 'stuck') from = since(d.task.created_at) + stuckAfterFor(config, d.task.name) * MINUTE;
  return !Number.isNaN(from) && from >= now - config.baselineGraceMinutes * MINUTE;
}

/**
 * Detection (pure): for each candidate, given its seen record, the event it calls for now and the
 * outbox items and seen record that event needs. In a baseline scan events are only marked seen,
 * except those {@link withinGrace}, which are announced as in any scan.
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
  let baselined = 0;
  const events: { kind: EventKind; items: number }[] = [];
  const seen: Findings['seen'][number][] = [];
  const outbox: Findings['outbox'][number][] = [];
  for (const task of candidates) {
    const key = seenKey(target, task);
    const was = seenOf(seenRecords.get(key));
    const d = detect(task, was, config, now);
    if (!d) continue;
    const mark = markOf(was, d, task, now);
    if (baseline && !withinGrace(d, config, now)) {
      baselined++;
      // Not announced: no `stuckAt`, so no reminders and no recovered notice follow.
      const { stuckAt: _notAnnounced, ...quiet } = mark;
      seen.push({ key, value: { ...quiet, baseline: true } });
      continue;
    }
    const destinations = routesFor(config, target, task.name, d.event);
    for (const [destinationId, routes] of destinations) {
      const n = { ...notificationOf(target, d, destinationId, now, config.maxReminders), routes };
      outbox.push({ key: keys.outbox(n.id), write: queue(n, now, maxAgeMs) });
    }
    events.push({ kind: d.event, items: destinations.size });
    seen.push({ key, value: mark });
  }
  return { outbox, seen, baseline, events, baselined };
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
