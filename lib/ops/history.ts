import { ID_PATTERN } from '../config/constants';
import { ISO_TIME_RULE, parseIsoTime } from '../core/isoTime';
import * as ERROR_CODES from '../http/errorCodes';
import { ValidationError } from '../http/errors';
import type { NormalizedRequest } from '../http/normalizeEvent';
import { keys, OUTBOX_STATES, type OutboxRecord, type OutboxState, outboxOf } from '../notify/records';
import { EVENT_KINDS, type EventKind } from '../notify/types';
import { InvalidCursorError } from '../state/errors';
import type { StateStore } from '../state/types';
import { singleQuery } from '../http/singleQuery';

export const HISTORY_QUERY_PARAMS = ['project', 'instance', 'task', 'state', 'event', 'since', 'limit', 'cursor'];
/** Outbox records read per page (`limit`): 1 to 100, 50 when absent. */
const LIMIT = { min: 1, max: 100, default: 50 } as const;
const REASON_MAX = 200;

export interface HistoryQuery {
  readonly project?: string;
  readonly instance?: string;
  readonly task?: string;
  readonly state?: OutboxState;
  readonly event?: EventKind;
  /** Epoch ms: items queued at or after it. */
  readonly since?: number;
  readonly limit: number;
  /** The store's cursor (decoded). */
  readonly cursor?: string;
}

/** One outbox item as the history shows it: no URL, no secret, the receiver's answer in short. */
export interface HistoryItem {
  readonly id: string;
  readonly state: OutboxState;
  readonly event: EventKind;
  readonly destination: string;
  readonly project_id: string;
  readonly region: string;
  readonly instance: { readonly id: string; readonly name: string };
  readonly task: { readonly id: string; readonly name: string; readonly status: string };
  readonly reminder?: number;
  readonly detected_at: string;
  readonly queued_at: string;
  readonly attempts: number;
  readonly next_attempt_at?: string;
  readonly done_at?: string;
  readonly held_until?: string;
  readonly silenced_by?: string;
  /** What the destination answered last: its HTTP status when there was one, and a short reason. */
  readonly receiver?: { readonly status?: number; readonly reason: string };
  /** A test notification (`POST /ops/v1/destinations/{id}/test`), about no real task. */
  readonly test?: true;
}

function text(q: Map<string, string>, name: string, pattern: RegExp, rule: string): string | undefined {
  const v = q.get(name);
  if (v === undefined) return undefined;
  if (!pattern.test(v)) throw new ValidationError(name, ERROR_CODES.invalidHistoryFilter, rule);
  return v;
}

function member<T extends string>(q: Map<string, string>, name: string, members: readonly T[]): T | undefined {
  const v = q.get(name);
  if (v === undefined) return undefined;
  if (!(members as readonly string[]).includes(v)) {
    throw new ValidationError(name, ERROR_CODES.invalidHistoryFilter, `must be one of ${members.join(', ')}`);
  }
  return v as T;
}

/** A page cursor: the store's own, base64url-encoded (so any store's cursor is one URL-safe token). */
export function encodeCursor(storeCursor: string): string {
  return Buffer.from(storeCursor, 'utf8').toString('base64url');
}

function decodeCursor(v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  if (!/^[A-Za-z0-9_-]{1,1400}$/.test(v)) {
    throw new ValidationError('cursor', ERROR_CODES.invalidCursor, 'must be a next_cursor this API returned');
  }
  return Buffer.from(v, 'base64url').toString('utf8');
}

/** Validates `GET /ops/v1/history`'s query. */
export function validateHistoryQuery(req: NormalizedRequest): HistoryQuery {
  const q = singleQuery(req, HISTORY_QUERY_PARAMS);
  const idRule = `must match ${ID_PATTERN}`;
  const nameRule = 'must be an id or a name of 1 to 128 printable characters';
  const NAME = /^[!-~]{1,128}$/;
  const sinceText = q.get('since');
  const since = sinceText === undefined ? undefined : parseIsoTime(sinceText);
  if (sinceText !== undefined && since === undefined) {
    throw new ValidationError('since', ERROR_CODES.invalidHistoryFilter, ISO_TIME_RULE);
  }
  const limitText = q.get('limit');
  const limit = limitText === undefined ? LIMIT.default : Number(limitText);
  if (!/^\d{1,3}$/.test(limitText ?? '1') || limit < LIMIT.min || limit > LIMIT.max) {
    throw new ValidationError(
      'limit',
      ERROR_CODES.invalidLimit,
      `must be an integer from ${LIMIT.min} to ${LIMIT.max}`,
    );
  }
  return {
    project: text(q, 'project', ID_PATTERN, idRule),
    instance: text(q, 'instance', NAME, nameRule),
    task: text(q, 'task', NAME, nameRule),
    state: member(q, 'state', OUTBOX_STATES),
    event: member(q, 'event', EVENT_KINDS),
    since,
    limit,
    cursor: decodeCursor(q.get('cursor')),
  };
}

function matches(r: OutboxRecord, q: HistoryQuery): boolean {
  const n = r.notification;
  return (
    (q.project === undefined || n.projectId === q.project) &&
    (q.instance === undefined || n.instanceId === q.instance || n.instanceName === q.instance) &&
    (q.task === undefined || n.task.id === q.task || n.task.name === q.task) &&
    (q.state === undefined || r.state === q.state) &&
    (q.event === undefined || n.event === q.event) &&
    (q.since === undefined || r.createdAt >= q.since)
  );
}

const iso = (t: number | undefined): string | undefined => (t === undefined ? undefined : new Date(t).toISOString());

/** The receiver's last answer from the recorded reason (reasons never hold a URL: see `postMessage`). */
function receiverOf(r: OutboxRecord): HistoryItem['receiver'] {
  if (r.lastError === undefined) return undefined;
  const status = /\bHTTP (\d{3})\b/.exec(r.lastError)?.[1];
  const reason = r.lastError.length > REASON_MAX ? `${r.lastError.slice(0, REASON_MAX - 1)}…` : r.lastError;
  return { ...(status ? { status: Number(status) } : {}), reason };
}

export function historyItem(r: OutboxRecord): HistoryItem {
  const n = r.notification;
  // Absent fields are `undefined`, which the JSON answer leaves out.
  return {
    id: n.id,
    state: r.state,
    event: n.event,
    destination: n.destinationId,
    project_id: n.projectId,
    region: n.region,
    instance: { id: n.instanceId, name: n.instanceName },
    task: { id: n.task.id, name: n.task.name, status: n.task.status },
    reminder: n.reminder,
    detected_at: n.detectedAt,
    queued_at: new Date(r.createdAt).toISOString(),
    attempts: r.attempts,
    next_attempt_at: r.state === 'pending' ? iso(r.nextAttemptAt) : undefined,
    done_at: iso(r.doneAt),
    held_until: n.heldUntil,
    silenced_by: r.silencedBy,
    receiver: receiverOf(r),
    test: n.test,
  };
}

/** Queued time descending, then id: a total order, the same on every store. */
export function newestFirst(a: OutboxRecord, b: OutboxRecord): number {
  if (a.createdAt !== b.createdAt) return b.createdAt - a.createdAt;
  const x = a.notification.id;
  const y = b.notification.id;
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * One page of the history: `limit` outbox records read in the store's order, those matching the
 * filters returned newest first by queued time (so a page may be short, even empty, with a
 * `next_cursor`: follow it until absent; pages themselves follow the store's key order).
 */
export async function readHistory(
  store: StateStore,
  q: HistoryQuery,
): Promise<{ items: HistoryItem[]; next_cursor?: string }> {
  let page: Awaited<ReturnType<StateStore['scan']>>;
  try {
    page = await store.scan(keys.outbox(''), q.limit, q.cursor);
  } catch (e) {
    if (e instanceof InvalidCursorError) {
      throw new ValidationError('cursor', ERROR_CODES.invalidCursor, 'must be a next_cursor this API returned');
    }
    throw e;
  }
  // A malformed record is left out (it is no notification anyone can act on; the notifier reports it).
  // Newest first within what was read (the store's key order is the id's, which says nothing of time).
  const items = page.items
    .map(outboxOf)
    .filter((r): r is OutboxRecord => r !== undefined && matches(r, q))
    .sort(newestFirst)
    .map(historyItem);
  return page.cursor === undefined ? { items } : { items, next_cursor: encodeCursor(page.cursor) };
}
