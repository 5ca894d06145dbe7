import type { DmsClient } from '../../dms/client';
import { collectTasks, type StopReason } from '../../dms/paginate';
import { DmsApiError } from '../../dms/errors';
import type { DmsTask } from '../../dms/types';
import { VANISHED_STATUS } from './detect';
import type { StateStore, Versioned } from '../../state/types';
import { type CursorRecord, cursorOf, keys, type OpenStuckTask } from '../records';
import type { InstanceTarget, NotifyConfig } from '../types';

const HOUR = 3600_000;
/** Margin on the listing window, for clock differences and an inclusive/exclusive `begin_time`. */
const WINDOW_MARGIN_MS = 10 * 60_000;
/** Pages of one instance's task listing read at most. */
const MAX_PAGES = 200;
/** Open stuck tasks looked up one by one per scan at most (a GET each); the rest wait for the next scan. */
const MAX_LOOKUPS = 20;

/** What scanning one instance works with. */
export interface ScanContext {
  readonly config: NotifyConfig;
  readonly store: StateStore;
  /** Business clock (epoch ms): the listing window, detection, record times. */
  readonly now: () => number;
  /** Absolute deadline (wall-clock epoch ms) for the DMS calls of this scan. */
  readonly deadline: number;
}

/** What `listInstance` found, for the record phase. */
export interface ListedInstance {
  readonly target: InstanceTarget;
  /** Business time the scan started: the cursor's next `lastScanAt`. */
  readonly now: number;
  readonly cursor: CursorRecord | undefined;
  /**
   * Tasks created within the listing window, then the open stuck tasks the listing did not show:
   * as `GET .../tasks/{id}` answered, or, where it answered 404, with status {@link VANISHED_STATUS}.
   */
  readonly inWindow: readonly DmsTask[];
  /** Open stuck tasks not looked up this scan (a lookup failed, or beyond the per-scan bound): kept open. */
  readonly unchecked: readonly OpenStuckTask[];
  /**
   * Why the listing stopped short, when it did (`stalled`: neither paging name advanced; `max-pages`):
   * tasks may be missing, so the scan says so and keeps the cursor where it was.
   */
  readonly incomplete?: StopReason;
}

/** `YYYYMMDDHHmmss`, UTC, as `begin_time` wants it. */
export function formatDmsTime(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

/**
 * The instance's cursor. `known` (read for the whole run before scanning) is enough when it says the
 * baseline is done: `baselineDone` never goes back, and an older `lastScanAt` only widens the listing
 * window. Otherwise it is read again, so a run racing one that just finished the baseline does not
 * baseline (and so silence) what that run has since started notifying.
 */
async function readCursor(
  store: StateStore,
  key: string,
  config: NotifyConfig,
  known: Versioned | undefined,
): Promise<Versioned | undefined> {
  const done = cursorOf(known)?.baselineDone === true;
  return done || !config.baseline ? known : store.get(key);
}

/**
 * Start of the listing window: `lookbackHours` before the last successful scan (catch-up after an
 * outage), at most `maxCatchUpHours` back, less a margin.
 */
function windowStart(config: NotifyConfig, cursor: CursorRecord | undefined, now: number): number {
  const lastScan = cursor ? Date.parse(cursor.lastScanAt) : Number.NaN;
  const since = Number.isNaN(lastScan) ? now : Math.min(lastScan, now);
  const from = Math.max(now - config.maxCatchUpHours * HOUR, since - config.lookbackHours * HOUR);
  return from - WINDOW_MARGIN_MS;
}

/**
 * The scan's DMS part: the task listing of one instance (and its cursor, when `known` is not enough).
 * Writes nothing, so the notifier may list the next instance while this one's records are being stored.
 */
export async function listInstance(
  ctx: ScanContext,
  client: DmsClient,
  target: InstanceTarget,
  known?: Versioned,
): Promise<ListedInstance> {
  const { config, store } = ctx;
  const now = ctx.now();
  const cursorKey = keys.cursor(target.projectId, target.instanceId);
  const cursor = cursorOf(await readCursor(store, cursorKey, config, known));
  const begin = windowStart(config, cursor, now);
  const listing = { instanceId: target.instanceId, beginTime: formatDmsTime(begin), deadline: ctx.deadline };
  const { tasks, incomplete, stopReason } = await collectTasks(client, { ...listing, maxPages: MAX_PAGES });
  // Do not trust the server to filter: a task created before the window is out of scope.
  const inWindow = tasks.filter((t) => {
    const created = Date.parse(t.created_at);
    return Number.isNaN(created) || created >= begin;
  });
  const listed = new Set(tasks.map((t) => t.id));
  const missing = (cursor?.openStuck ?? []).filter((t) => !listed.has(t.id));
  const { found, unchecked } = await lookUp(client, target.instanceId, missing, now, ctx.deadline);
  const more = incomplete ? { incomplete: stopReason } : {};
  return { target, now, cursor, inWindow: [...inWindow, ...found], unchecked, ...more };
}

/**
 * Looks up open stuck tasks the listing did not show (it lists only tasks created within its window,
 * and a task record can be deleted): the task as upstream has it now, or on a 404 a stand-in with
 * status {@link VANISHED_STATUS}. Another failure leaves the task unchecked (open) for the next scan.
 */
async function lookUp(
  client: DmsClient,
  instanceId: string,
  missing: readonly OpenStuckTask[],
  now: number,
  deadline: number,
): Promise<{ found: DmsTask[]; unchecked: OpenStuckTask[] }> {
  const found: DmsTask[] = [];
  const unchecked: OpenStuckTask[] = missing.slice(MAX_LOOKUPS);
  for (const open of missing.slice(0, MAX_LOOKUPS)) {
    try {
      const { body } = await client.showTask(instanceId, open.id, { deadline });
      const task = body.tasks.find((t) => t.id === open.id);
      if (task) found.push(task);
      else unchecked.push(open);
    } catch (e) {
      if (!(e instanceof DmsApiError) || e.status !== 404) {
        unchecked.push(open);
        continue;
      }
      const gone = new Date(now).toISOString();
      found.push({ ...open, user_id: '', params: '', status: VANISHED_STATUS, updated_at: gone });
    }
  }
  return { found, unchecked };
}
