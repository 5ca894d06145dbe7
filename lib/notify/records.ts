import { createHash } from 'node:crypto';
import { ConfigError } from '../config/errors';
import type { EventKind, Notification } from './types';

/** Per instance: where the next scan starts and whether the first-scan baseline is done. */
export interface CursorRecord {
  readonly [k: string]: unknown;
  /** ISO time the last successful scan started. */
  readonly lastScanAt: string;
  readonly baselineDone: boolean;
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

export const OUTBOX_STATES = ['pending', 'delivered', 'dead', 'silenced'] as const;
export type OutboxState = (typeof OUTBOX_STATES)[number];

/**
 * One notification for one destination: `pending` → (claimed) → `delivered` | `dead`, or `pending` →
 * `silenced` when a silence covers it as it comes due (never sent later). Quiet hours keep it pending,
 * due when they end.
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

export const keys = {
  cursor: (projectId: string, instanceId: string) => `cursor#${projectId}#${instanceId}`,
  seen: (projectId: string, instanceId: string, taskId: string) => `seen#${projectId}#${instanceId}#${taskId}`,
  outbox: (id: string) => `outbox#${id}`,
  rate: (destinationId: string) => `rate#${destinationId}`,
  /** The one record holding the operator API's silences. */
  silences: 'silences#api',
  /** Held for `TEST_INTERVAL_MS` after a test notification to the destination. */
  testGate: (destinationId: string) => `test#${destinationId}`,
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
