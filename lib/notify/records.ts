import { createHash } from 'node:crypto';
import { ConfigError } from '../config/errors';
import { fail, readMember, readObject, readString, readStringList } from '../config/readers';
import type { Versioned } from '../state/types';
import { EVENT_KINDS, type EventKind, type Notification, type TaskSnapshot } from './types';

/** A task announced as stuck and not ended yet, as the cursor keeps it (what a notice about it needs). */
export interface OpenStuckTask {
  readonly [k: string]: unknown;
  readonly id: string;
  readonly name: string;
  readonly user_name: string;
  readonly created_at: string;
}

/** Per instance: where the next scan starts and whether the first-scan baseline is done. */
export interface CursorRecord {
  readonly [k: string]: unknown;
  /** ISO time the last successful scan started. */
  readonly lastScanAt: string;
  readonly baselineDone: boolean;
  /**
   * Tasks announced as stuck and not ended: the next scan looks up each one the listing no longer
   * shows (out of its window, or deleted), so its end or its disappearance still gets a notice.
   */
  readonly openStuck?: readonly OpenStuckTask[];
}

/** Per task: what was already notified (or recorded as baseline), so a later scan adds nothing. */
export interface SeenRecord {
  readonly [k: string]: unknown;
  /** Status that was notified as a failure (or baselined). */
  readonly failed?: string;
  readonly stuck?: boolean;
  readonly baseline?: boolean;
  /** Epoch ms the stuck notice was queued (absent when the stuck state was only baselined). */
  readonly stuckAt?: number;
  /** Reminders queued so far, and when the last one was. */
  readonly reminders?: number;
  readonly remindedAt?: number;
  /** The recovered notice was queued. */
  readonly recovered?: boolean;
}

export const OUTBOX_STATES = ['pending', 'delivered', 'dead', 'silenced', 'superseded'] as const;
export type OutboxState = (typeof OUTBOX_STATES)[number];

/**
 * One notification for one destination: `pending` → (claimed) → `delivered` | `dead`, or `pending` →
 * `silenced` when a silence covers it as it comes due (never sent later), or `pending` → `superseded`
 * when a later event of its task for the same destination made it moot before it was delivered (a
 * `stuck` or reminder whose `recovered` is already due; see docs/notifications.md). Quiet hours keep it
 * pending, due when they end.
 */
export interface OutboxRecord {
  readonly [k: string]: unknown;
  readonly notification: Notification;
  readonly state: OutboxState;
  /** POSTs made so far. */
  readonly attempts: number;
  /** Epoch ms the item was queued; it dies `maxAgeHours` later if still undelivered. */
  readonly createdAt: number;
  /** Run holding the claim, and until when (epoch ms). Another run may take the item after that. */
  readonly claimedBy?: string;
  readonly claimedUntil?: number;
  readonly nextAttemptAt?: number;
  /** The destination's `Retry-After` ends then (epoch ms): the item is not sent as an early probe before. */
  readonly notBefore?: number;
  readonly lastError?: string;
  readonly doneAt?: number;
  /** The silence that held it back (state `silenced`). */
  readonly silencedBy?: string;
  /** The notification id of the later event that made it moot (state `superseded`). */
  readonly supersededBy?: string;
  /** Time spent held by quiet hours, in all: added to its max age so a hold never kills it. */
  readonly heldMs?: number;
}

/**
 * A stored value that is not the record its key says (written by hand, by a much older version, cut
 * short): reported with what is wrong, never used as if it were valid, never a crash of the run.
 */
export interface MalformedRecord {
  readonly key: string;
  /** The first wrong field and what is wrong with it, e.g. `state: must be one of pending, …`. */
  readonly problem: string;
}

/** What a typed reader answers: the record, or why it is malformed (the caller decides what that means). */
export type RecordRead<T> =
  | { readonly ok: true; readonly record: T }
  | { readonly ok: false; readonly malformed: MalformedRecord };

/**
 * Reads a stored `value` (of `key`) with `parse`, written with the configuration's readers
 * (`readObject`, `readString`, …): their `ConfigError` becomes a malformed result naming the field.
 */
export function readStored<T>(
  key: string,
  value: unknown,
  parse: (value: unknown, path: string) => T,
  path = 'value',
): RecordRead<T> {
  try {
    return { ok: true, record: parse(value, path) };
  } catch (e) {
    if (e instanceof ConfigError) return { ok: false, malformed: { key, problem: `${e.path}: ${e.problem}` } };
    throw e;
  }
}

const text = (v: unknown, path: string): string => (typeof v === 'string' ? v : fail(path, 'must be a string'));
const optionalText = (v: unknown, path: string): string | undefined => (v === undefined ? v : text(v, path));
const optionalNumber = (v: unknown, path: string): number | undefined =>
  v === undefined || (typeof v === 'number' && Number.isFinite(v)) ? v : fail(path, 'must be a number');
const number = (v: unknown, path: string): number => optionalNumber(v, path) ?? fail(path, 'is required');
const bool = (v: unknown, path: string): boolean | undefined =>
  v === undefined || typeof v === 'boolean' ? v : fail(path, 'must be true or false');

function readTask(v: unknown, path: string): TaskSnapshot {
  const o = readObject(v, path);
  return {
    id: readString(o.id, `${path}.id`),
    name: text(o.name, `${path}.name`),
    status: text(o.status, `${path}.status`),
    user_name: text(o.user_name, `${path}.user_name`),
    created_at: text(o.created_at, `${path}.created_at`),
    updated_at: text(o.updated_at, `${path}.updated_at`),
  };
}

/** A stored notification (inside an outbox record), field by field. */
export function readNotification(v: unknown, path: string): Notification {
  const o = readObject(v, path);
  const at = (k: string): string => `${path}.${k}`;
  return {
    id: readString(o.id, at('id')),
    destinationId: readString(o.destinationId, at('destinationId')),
    event: readMember(o.event, at('event'), EVENT_KINDS),
    projectId: readString(o.projectId, at('projectId')),
    region: text(o.region, at('region')),
    instanceId: readString(o.instanceId, at('instanceId')),
    instanceName: text(o.instanceName, at('instanceName')),
    engine: text(o.engine, at('engine')),
    task: readTask(o.task, at('task')),
    detectedAt: text(o.detectedAt, at('detectedAt')),
    stuckMinutes: optionalNumber(o.stuckMinutes, at('stuckMinutes')),
    reminder: optionalNumber(o.reminder, at('reminder')),
    maxReminders: optionalNumber(o.maxReminders, at('maxReminders')),
    ranMinutes: optionalNumber(o.ranMinutes, at('ranMinutes')),
    routes: o.routes === undefined ? undefined : readStringList(o.routes, at('routes')),
    heldUntil: optionalText(o.heldUntil, at('heldUntil')),
    test: o.test === undefined || o.test === true ? o.test : fail(at('test'), 'must be true when present'),
  };
}

/** A stored outbox record, field by field (`ConfigError` naming the first wrong one). */
export function readOutboxValue(v: unknown, path: string): OutboxRecord {
  const o = readObject(v, path);
  const at = (k: string): string => `${path}.${k}`;
  return {
    notification: readNotification(o.notification, at('notification')),
    state: readMember(o.state, at('state'), OUTBOX_STATES),
    attempts: number(o.attempts, at('attempts')),
    createdAt: number(o.createdAt, at('createdAt')),
    claimedBy: optionalText(o.claimedBy, at('claimedBy')),
    claimedUntil: optionalNumber(o.claimedUntil, at('claimedUntil')),
    nextAttemptAt: optionalNumber(o.nextAttemptAt, at('nextAttemptAt')),
    notBefore: optionalNumber(o.notBefore, at('notBefore')),
    lastError: optionalText(o.lastError, at('lastError')),
    doneAt: optionalNumber(o.doneAt, at('doneAt')),
    silencedBy: optionalText(o.silencedBy, at('silencedBy')),
    supersededBy: optionalText(o.supersededBy, at('supersededBy')),
    heldMs: optionalNumber(o.heldMs, at('heldMs')),
  };
}

const isText = (v: unknown): v is string => typeof v === 'string';

/**
 * A cursor's open stuck tasks, skipping any entry that is not one: a bad entry costs the notice of
 * that one task's end, never the cursor (and so the instance's listing window).
 */
export function readOpenStuck(v: unknown): OpenStuckTask[] {
  if (!Array.isArray(v)) return [];
  const out: OpenStuckTask[] = [];
  for (const e of v) {
    if (e === null || typeof e !== 'object') continue;
    const { id, name, user_name, created_at } = e;
    if (isText(id) && isText(name) && isText(user_name) && isText(created_at))
      out.push({ id, name, user_name, created_at });
  }
  return out;
}

/** A stored cursor record. */
export function readCursorValue(v: unknown, path: string): CursorRecord {
  const o = readObject(v, path);
  const openStuck = readOpenStuck(o.openStuck);
  return {
    lastScanAt: text(o.lastScanAt, `${path}.lastScanAt`),
    baselineDone: bool(o.baselineDone, `${path}.baselineDone`) ?? fail(`${path}.baselineDone`, 'is required'),
    ...(openStuck.length > 0 ? { openStuck } : {}),
  };
}

/** A stored seen record (every field optional: what was recorded for the task so far). */
export function readSeenValue(v: unknown, path: string): SeenRecord {
  const o = readObject(v, path);
  const at = (k: string): string => `${path}.${k}`;
  return {
    failed: optionalText(o.failed, at('failed')),
    stuck: bool(o.stuck, at('stuck')),
    baseline: bool(o.baseline, at('baseline')),
    stuckAt: optionalNumber(o.stuckAt, at('stuckAt')),
    reminders: optionalNumber(o.reminders, at('reminders')),
    remindedAt: optionalNumber(o.remindedAt, at('remindedAt')),
    recovered: bool(o.recovered, at('recovered')),
  };
}

/** Per destination: its recent send times (the next run's rate limiter) and its `Retry-After`. */
export interface RateRecord {
  readonly [k: string]: unknown;
  /** Epoch ms of the sends within the last minute. */
  readonly sent: readonly number[];
  /** The destination asked not to be sent to before this time (epoch ms). */
  readonly notBefore?: number;
}

/** A stored rate record. */
export function readRateValue(v: unknown, path: string): RateRecord {
  const o = readObject(v, path);
  const sent = Array.isArray(o.sent) ? o.sent : fail(`${path}.sent`, 'must be an array');
  return {
    sent: sent.map((t, i) => number(t, `${path}.sent[${i}]`)),
    notBefore: optionalNumber(o.notBefore, `${path}.notBefore`),
  };
}

/** The typed readers of the notifier's records: what the notifier and `ops` read back, never a cast. */
export const readRecord = {
  outbox: (item: Versioned): RecordRead<OutboxRecord> => readStored(item.key, item.value, readOutboxValue),
  cursor: (item: Versioned): RecordRead<CursorRecord> => readStored(item.key, item.value, readCursorValue),
  seen: (item: Versioned): RecordRead<SeenRecord> => readStored(item.key, item.value, readSeenValue),
  rate: (item: Versioned): RecordRead<RateRecord> => readStored(item.key, item.value, readRateValue),
} as const;

/** The record of `item` when it is a well-formed outbox record; `undefined` when absent or malformed. */
export function outboxOf(item: Versioned | undefined): OutboxRecord | undefined {
  const read = item && readRecord.outbox(item);
  return read?.ok ? read.record : undefined;
}

/**
 * The cursor of `item`. A malformed one reads as a cursor whose baseline is done and whose last scan
 * is unknown: the scan notifies rather than baselines (hides) what it finds, its window starts from
 * now less `lookbackHours`, and the record phase writes a valid cursor over it.
 */
export function cursorOf(item: Versioned | undefined): CursorRecord | undefined {
  const read = item && readRecord.cursor(item);
  if (!read) return undefined;
  return read.ok ? read.record : { lastScanAt: '', baselineDone: true };
}

/**
 * The rate record of `item`. A malformed one reads as no sends and no `Retry-After` (as if absent: the
 * limiter starts from this run's sends); the run's end writes a valid one over it.
 */
export function rateOf(item: Versioned | undefined): RateRecord {
  const read = item && readRecord.rate(item);
  return read?.ok ? read.record : { sent: [] };
}

/**
 * The seen record of `item`. A malformed one reads as nothing recorded: the task's event may be
 * detected again, and the outbox's put-if-absent on the stable notification id keeps it from being
 * queued twice while its record lives; the record phase writes a valid seen record over it.
 */
export function seenOf(item: Versioned | undefined): SeenRecord | undefined {
  const read = item && readRecord.seen(item);
  return read?.ok ? read.record : undefined;
}

export const keys = {
  cursor: (projectId: string, instanceId: string) => `cursor#${projectId}#${instanceId}`,
  seen: (projectId: string, instanceId: string, taskId: string) => `seen#${projectId}#${instanceId}#${taskId}`,
  /** Use {@link outboxKey} for a notification's; `keys.outbox('')` is the prefix the history scans. */
  outbox: (id: string) => `outbox#${id}`,
  rate: (destinationId: string) => `rate#${destinationId}`,
  /** The one record holding the operator API's silences. */
  silences: 'silences#api',
  /** Held for `TEST_INTERVAL_MS` after a test notification to the destination. */
  testGate: (destinationId: string) => `test#${destinationId}`,
  /** What the self-check's paging probe found for a DMS endpoint host and project. */
  paging: (host: string, projectId: string) => `paging#${host}#${projectId}`,
  /** A fleet page session, by the hash of its nonce (`lib/ops/page/sessionRecords.ts`). */
  session: (sessionId: string) => `session#${sessionId}`,
  /** The fleet page's sign-in attempts of one client (a hash of its address) and of everyone. */
  signInClient: (clientHash: string) => `signin#client#${clientHash}`,
  signInAll: 'signin#all',
} as const;

/**
 * The `webhook-id` of a notification: stable for (project, instance, task, event, destination), and for
 * a reminder its number too, so a retry — by this run, a later run, or a second run racing it — always
 * carries the same id and each reminder has its own.
 */
export function notificationId(
  projectId: string,
  instanceId: string,
  taskId: string,
  event: EventKind,
  destinationId: string,
  reminder?: number,
): string {
  const what = reminder === undefined ? event : `${event}#${reminder}`;
  const h = createHash('sha256')
    .update([projectId, instanceId, taskId, what, destinationId].join('\n'))
    .digest('base64url');
  return `msg_${h.slice(0, 32)}`;
}

/**
 * The PagerDuty `dedup_key` of a task at a destination: stable for (project, instance, task,
 * destination) and the same for every event of that task, so a trigger, its reminders and the
 * `recovered` resolve all address one incident.
 */
export function incidentKey(projectId: string, instanceId: string, taskId: string, destinationId: string): string {
  const h = createHash('sha256').update([projectId, instanceId, taskId, destinationId].join('\n')).digest('base64url');
  return `dms_${h.slice(0, 32)}`;
}

/**
 * The outbox key of one notification: the scan writes it, the fleet page and the task view read it
 * (the one place that derives it from what it is about).
 */
export function outboxKey(
  projectId: string,
  instanceId: string,
  taskId: string,
  event: EventKind,
  destinationId: string,
  reminder?: number,
): string {
  return keys.outbox(notificationId(projectId, instanceId, taskId, event, destinationId, reminder));
}
