import { mapLimit } from '../../core/mapLimit';
import type { StateStore, Versioned } from '../../state/types';
import { candidatesOf, countEvents, findingsOf, seenKey, type Findings } from './findings';
import type { ListedInstance, ScanContext } from './listInstance';
import type { LogFn } from '../log';
import { errorName } from '../log';
import { maxAgeOf } from '../deliver/outbox';
import type { DmsTask } from '../../dms/types';
import type { StoredValue } from '../../state/types';
import { keys, type CursorRecord, type OpenStuckTask } from '../records';
import type { NotifyConfig } from '../types';

const HOUR = 3600_000;
/** Store writes of one instance in flight at once (a DynamoDB request each; the file store groups them). */
const WRITE_CONCURRENCY = 16;
/**
 * Cursor writes in flight at once after the scan phase. High, because the file store commits what is
 * in flight as one group and rewrites its whole file per commit: at 32, 10,000 cursors took 313
 * commits of the whole state. The DynamoDB client queues requests beyond its own sockets.
 */
const CURSOR_WRITE_CONCURRENCY = 512;
/** Open stuck tasks kept per instance in its cursor at most. */
const MAX_OPEN_STUCK = 100;

/** What one instance's scan found. */
export interface ScanResult {
  readonly tasksSeen: number;
  readonly newFailures: number;
  readonly stuck: number;
  readonly reminders: number;
  readonly recovered: number;
  readonly baselined: number;
  /** Outbox items created (new notifications × destinations). */
  readonly queued: number;
}

/** A cursor write the caller stores after the scan phase, with the others. */
export interface CursorWrite {
  readonly key: string;
  readonly value: CursorRecord;
}

/** {@link ScanResult}, plus the cursor to store later (absent when it was stored already). */
export interface Recorded extends ScanResult {
  readonly cursor?: CursorWrite;
}

/**
 * The record phase of one listed instance: reads the candidates' seen records, detects, then stores.
 * Order of writes is what makes a crash safe: outbox items first (put-if-absent by webhook-id, so
 * re-running creates nothing twice), then the tasks' seen records, then the cursor. A crash anywhere
 * re-detects the same events next run and loses nothing.
 *
 * The cursor is returned rather than written, to be stored with the others after the scan phase
 * ({@link writeCursors}). Safe because a cursor only narrows the next listing window: a run that dies
 * before then lists the same tasks again, and the outbox and seen records (already stored)
 * de-duplicate them. A baseline scan's cursor is written at once: it is what marks the baseline done.
 */
export async function recordInstance(ctx: ScanContext, listed: ListedInstance): Promise<Recorded> {
  const { config, store } = ctx;
  const { target, now } = listed;
  const candidates = candidatesOf(listed, config);
  const seenKeys = candidates.map((t) => seenKey(target, t));
  const seen = candidates.length > 0 ? await store.getMany(seenKeys) : new Map<string, Versioned>();
  const f = findingsOf(listed, candidates, seen, config, maxAgeOf(config));
  // Each step starts only once the one before it is stored; within a step the writes are independent.
  const create = (o: Findings['outbox'][number]) => store.create(o.key, o.write.record, o.write.options);
  const created = await mapLimit(f.outbox, WRITE_CONCURRENCY, create);
  // Seen records outlive the widest window in which the task can be listed again.
  const seenExpires = now + (config.maxCatchUpHours + config.lookbackHours + 24) * HOUR;
  await mapLimit(f.seen, WRITE_CONCURRENCY, (w) => store.put(w.key, w.value, { expiresAt: seenExpires }));
  const openStuck = openStuckAfter(candidates, f, seen, config, (t) => seenKey(target, t), listed.unchecked);
  const cursor: CursorWrite = {
    key: keys.cursor(target.projectId, target.instanceId),
    value: {
      lastScanAt: new Date(now).toISOString(),
      baselineDone: true,
      ...(openStuck.length > 0 ? { openStuck } : {}),
    },
  };
  const counts = countEvents(f, created);
  const result: ScanResult = { tasksSeen: listed.inWindow.length, ...counts, queued: created.filter(Boolean).length };
  // An incomplete listing keeps the cursor (and so the next window) where it was.
  if (!f.baseline) return listed.incomplete ? result : { ...result, cursor };
  await store.put(cursor.key, cursor.value);
  return result;
}

/**
 * The instance's open stuck tasks once this scan is stored: candidates still in a stuck status whose
 * seen record (as this scan leaves it) says a stuck notice was queued and nothing ended it, plus those
 * not looked up this scan. Bounded by {@link MAX_OPEN_STUCK}.
 */
function openStuckAfter(
  candidates: readonly DmsTask[],
  f: Findings,
  seen: ReadonlyMap<string, Versioned>,
  config: NotifyConfig,
  keyOf: (t: DmsTask) => string,
  unchecked: readonly OpenStuckTask[],
): OpenStuckTask[] {
  const marks = new Map<string, StoredValue>(f.seen.map((w) => [w.key, w.value]));
  const open: OpenStuckTask[] = [];
  for (const t of candidates) {
    if (!config.stuckStatuses.includes(t.status)) continue;
    const mark = marks.get(keyOf(t)) ?? seen.get(keyOf(t))?.value;
    if (typeof mark?.stuckAt !== 'number' || mark.failed || mark.recovered) continue;
    open.push({ id: t.id, name: t.name, user_name: t.user_name, created_at: t.created_at });
  }
  const ids = new Set(open.map((t) => t.id));
  return [...open, ...unchecked.filter((t) => !ids.has(t.id))].slice(0, MAX_OPEN_STUCK);
}

/** Stores the cursors the scan phase returned; the file store commits them as one group. */
export async function writeCursors(store: StateStore, cursors: readonly CursorWrite[]): Promise<void> {
  await mapLimit(cursors, CURSOR_WRITE_CONCURRENCY, (c) => store.put(c.key, c.value));
}

/**
 * {@link writeCursors}, logging a failure instead of throwing it. Not lost: the next run lists from the
 * older cursors and the seen records de-duplicate.
 */
export async function storeCursors(store: StateStore, cursors: readonly CursorWrite[], log: LogFn): Promise<void> {
  try {
    await writeCursors(store, cursors);
  } catch (e) {
    log({ level: 'warn', msg: 'cursor write failed', cursors: cursors.length, error: errorName(e) });
  }
}
