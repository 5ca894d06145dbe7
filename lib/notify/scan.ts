import type { DmsClient } from '../dms/client';
import { collectTasks } from '../dms/paginate';
import type { DmsTask } from '../dms/types';
import type { StateStore, Versioned } from '../state/types';
import { DELIVERY } from './constants';
import { detect, mayNotify } from './detect';
import { destinationsFor } from './filters';
import { mapLimit } from '../core/mapLimit';
import { keys, notificationId, type CursorRecord, type OutboxRecord, type SeenRecord } from './records';
import type { InstanceTarget, Notification, NotifyConfig } from './types';

const HOUR = 3600_000;
/** Margin on the listing window, for clock differences and an inclusive/exclusive `begin_time`. */
const WINDOW_MARGIN_MS = 10 * 60_000;

export interface ScanContext {
  readonly config: NotifyConfig;
  readonly store: StateStore;
  readonly now: () => number;
  /** Absolute deadline (real epoch ms) for the DMS calls of this scan. */
  readonly deadline: number;
  /**
   * Collects cursor writes to store together after the scan phase (`writeCursors`) instead of one by
   * one. Safe because a cursor only narrows the next listing window: a run that dies before the batch
   * lists the same tasks again, and the outbox and seen records (already stored) de-duplicate them.
   * Not used for a baseline scan, whose cursor is what marks the baseline done.
   */
  readonly deferCursor?: (key: string, value: CursorRecord) => void;
}

export interface ScanResult {
  readonly tasksSeen: number;
  readonly newFailures: number;
  readonly stuck: number;
  readonly baselined: number;
  /** Outbox items created (new notifications × destinations). */
  readonly queued: number;
}

/** `YYYYMMDDHHmmss`, UTC, as `begin_time` wants it. */
export function formatDmsTime(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

/** Store writes of one instance in flight at once (a DynamoDB request each; the file store groups them). */
const WRITE_CONCURRENCY = 16;

/**
 * The instance's cursor. `known` (read for the whole run before scanning) is enough when it says the
 * baseline is done: `baselineDone` never goes back, and an older `lastScanAt` only widens the listing
 * window. Otherwise it is read again, so a run racing one that just finished the baseline does not
 * baseline (and so silence) what that run has since started notifying.
 */
async function readCursor(store: StateStore, key: string, config: NotifyConfig, known: Versioned | undefined): Promise<Versioned | undefined> {
  const done = (known?.value as CursorRecord | undefined)?.baselineDone === true;
  return done || !config.baseline ? known : store.get(key);
}

/** What `listInstance` found, for `recordInstance`. */
export interface ListedInstance {
  readonly target: InstanceTarget;
  /** Business time the scan started: the cursor's next `lastScanAt`. */
  readonly now: number;
  readonly cursor: CursorRecord | undefined;
  /** Tasks created within the listing window. */
  readonly inWindow: readonly DmsTask[];
}

/**
 * Scans one instance: `listInstance`, then `recordInstance`.
 */
export async function scanInstance(ctx: ScanContext, client: DmsClient, target: InstanceTarget, known?: Versioned): Promise<ScanResult> {
  return recordInstance(ctx, await listInstance(ctx, client, target, known));
}

/**
 * First half of a scan: the DMS listing (and the cursor, when `known` is not enough). Writes nothing,
 * so the notifier may list the next instance while this one's records are being stored.
 */
export async function listInstance(ctx: ScanContext, client: DmsClient, target: InstanceTarget, known?: Versioned): Promise<ListedInstance> {
  const { config, store } = ctx;
  const now = ctx.now();
  const cursorKey = keys.cursor(target.projectId, target.instanceId);
  const cursor = (await readCursor(store, cursorKey, config, known))?.value as CursorRecord | undefined;
  const lastScan = cursor ? Date.parse(cursor.lastScanAt) : NaN;
  // Look back `lookbackHours` before the last successful scan (catch-up after an outage), bounded by maxCatchUpHours.
  const from = Math.max(now - config.maxCatchUpHours * HOUR, (Number.isNaN(lastScan) ? now : Math.min(lastScan, now)) - config.lookbackHours * HOUR);
  const begin = from - WINDOW_MARGIN_MS;
  const { tasks } = await collectTasks(client, { instanceId: target.instanceId, beginTime: formatDmsTime(begin), deadline: ctx.deadline, maxPages: 200 });
  // Do not trust the server to filter: a task created before the window is out of scope.
  const inWindow = tasks.filter((t) => {
    const created = Date.parse(t.created_at);
    return Number.isNaN(created) || created >= begin;
  });
  return { target, now, cursor, inWindow };
}

/**
 * Second half of a scan: what the listed tasks call for, stored. Order of writes is what makes a crash
 * safe: outbox items first (put-if-absent by webhook-id, so re-running creates nothing twice), then the
 * tasks' seen records, then the cursor. A crash anywhere re-detects the same events next run and loses
 * nothing.
 */
export async function recordInstance(ctx: ScanContext, listed: ListedInstance): Promise<ScanResult> {
  const { config, store } = ctx;
  const { target, now, cursor, inWindow } = listed;
  const cursorKey = keys.cursor(target.projectId, target.instanceId);
  const candidates = inWindow.filter((t) => mayNotify(t, config, now));
  const seenMap = candidates.length > 0 ? await store.getMany(candidates.map((t) => keys.seen(target.projectId, target.instanceId, t.id))) : new Map<string, Versioned>();
  const baselineMode = config.baseline && !cursor?.baselineDone;
  let newFailures = 0;
  let stuck = 0;
  let baselined = 0;
  const seenWrites: { key: string; value: SeenRecord }[] = [];
  const outboxWrites: { key: string; value: OutboxRecord }[] = [];
  for (const task of candidates) {
    const key = keys.seen(target.projectId, target.instanceId, task.id);
    const seen = seenMap.get(key)?.value as SeenRecord | undefined;
    const d = detect(task, seen, config, now);
    if (!d) continue;
    const mark: SeenRecord = d.event === 'failed' ? { ...seen, failed: task.status } : { ...seen, stuck: true };
    if (baselineMode) {
      baselined++;
      seenWrites.push({ key, value: { ...mark, baseline: true } });
      continue;
    }
    if (d.event === 'failed') newFailures++;
    else stuck++;
    for (const destinationId of destinationsFor(config, target, task.name, d.event)) {
      const id = notificationId(target.projectId, target.instanceId, task.id, d.event, destinationId);
      const notification: Notification = {
        id,
        destinationId,
        event: d.event,
        projectId: target.projectId,
        region: target.region,
        instanceId: target.instanceId,
        instanceName: target.name,
        engine: target.engine,
        task: { id: task.id, name: task.name, status: task.status, user_name: task.user_name, created_at: task.created_at, updated_at: task.updated_at },
        detectedAt: new Date(now).toISOString(),
        ...(d.stuckMinutes !== undefined ? { stuckMinutes: d.stuckMinutes } : {}),
      };
      outboxWrites.push({ key: keys.outbox(id), value: { notification, state: 'pending', attempts: 0, createdAt: now, nextAttemptAt: now } });
    }
    seenWrites.push({ key, value: mark });
  }
  // Each step starts only once the one before it is stored; within a step the writes are independent.
  const outboxExpires = now + config.maxAgeHours * HOUR + DELIVERY.keepDoneMs;
  const created = await mapLimit(outboxWrites, WRITE_CONCURRENCY, (w) => store.create(w.key, w.value, { due: now, expiresAt: outboxExpires }));
  const queued = created.filter(Boolean).length;
  // Seen records outlive the widest window in which the task can be listed again.
  const seenExpires = now + (config.maxCatchUpHours + config.lookbackHours + 24) * HOUR;
  await mapLimit(seenWrites, WRITE_CONCURRENCY, (w) => store.put(w.key, w.value, { expiresAt: seenExpires }));
  const next: CursorRecord = { lastScanAt: new Date(now).toISOString(), baselineDone: true };
  if (ctx.deferCursor && !baselineMode) ctx.deferCursor(cursorKey, next);
  else await store.put(cursorKey, next);
  return { tasksSeen: inWindow.length, newFailures, stuck, baselined, queued };
}

/** Stores the cursors a scan phase deferred (see `ScanContext.deferCursor`); the file store commits them as one group. */
export async function writeCursors(store: StateStore, cursors: ReadonlyMap<string, CursorRecord>): Promise<void> {
  await mapLimit([...cursors], 32, ([key, value]) => store.put(key, value));
}
