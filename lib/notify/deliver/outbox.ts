import type { Versioned, WriteOptions } from '../../state/types';
import { DELIVERY } from '../constants';
import { type OutboxRecord, outboxOf } from '../records';
import type { Notification, NotifyConfig } from '../types';

const HOUR = 3600_000;

/**
 * The outbox item's life as pure functions: `queue` (new, pending), `claim` (pending, held by one run
 * until its lease ends), then `settleDelivered`, `settleRetry` (back to pending, due later; dead once
 * past max age) or `settleDead`. Each returns the next record and the store options to write it with;
 * the delivery phase does the conditional writes around them.
 */
export interface OutboxWrite {
  readonly record: OutboxRecord;
  /** `due` lists the item for `listDue` (absent: settled, never listed again); `expiresAt` ends it. */
  readonly options: WriteOptions;
}

/** Age after which an undelivered item dies (`notify.maxAgeHours`). */
export function maxAgeOf(config: Pick<NotifyConfig, 'maxAgeHours'>): number {
  return config.maxAgeHours * HOUR;
}

/** When the item's max age ends: `maxAgeMs` after it was queued, plus the time quiet hours held it. */
function ageLimit(record: OutboxRecord, maxAgeMs: number): number {
  return record.createdAt + (record.heldMs ?? 0) + maxAgeMs;
}

/** Whether the item is past its max age at `now` (business clock). */
export function pastMaxAge(record: OutboxRecord, now: number, maxAgeMs: number): boolean {
  return now >= ageLimit(record, maxAgeMs);
}

/** A live item (pending or claimed) is kept until its max age plus the time its webhook-id is remembered. */
function liveExpiry(record: OutboxRecord, maxAgeMs: number): number {
  return ageLimit(record, maxAgeMs) + DELIVERY.keepDoneMs;
}

/** The record without its claim and its next attempt time (what a settlement starts from). */
function released(record: OutboxRecord): OutboxRecord {
  const { claimedBy: _by, claimedUntil: _until, nextAttemptAt: _next, notBefore: _asked, ...rest } = record;
  return rest;
}

/** A new item, pending and due at once; written put-if-absent so a repeated scan queues nothing twice. */
export function queue(notification: Notification, now: number, maxAgeMs: number): OutboxWrite {
  const record: OutboxRecord = { notification, state: 'pending', attempts: 0, createdAt: now, nextAttemptAt: now };
  return { record, options: { due: now, expiresAt: liveExpiry(record, maxAgeMs) } };
}

/**
 * The record of `item` when a run may claim it at `now`: pending and due. A claimed item is due again
 * when its lease ends (its `due` is the lease's end), so a run that died holding it loses it then.
 */
export function claimable(item: Versioned | undefined, now: number): OutboxRecord | undefined {
  if (!item || item.due === undefined || item.due > now) return undefined;
  const record = outboxOf(item);
  return record?.state === 'pending' ? record : undefined;
}

/**
 * The record of `item` when a run may claim it ahead of its next attempt time: pending and held by no
 * live claim (backing off after failures, or deferred). For the catch-up of a destination that has
 * just accepted a message: its backlog goes out at once instead of at each item's backoff time.
 */
export function claimableAhead(item: Versioned | undefined, now: number): OutboxRecord | undefined {
  if (!item || item.due === undefined) return undefined;
  const record = outboxOf(item);
  if (record?.state !== 'pending') return undefined;
  return record.claimedBy !== undefined && (record.claimedUntil ?? 0) > now ? undefined : record;
}

/** Pending and held by a run's live claim at `now` (this run claims only after listing). */
export function leasedElsewhere(item: Versioned | undefined, now: number): boolean {
  if (!item || item.due === undefined) return false;
  const record = outboxOf(item);
  return record?.state === 'pending' && record.claimedBy !== undefined && (record.claimedUntil ?? 0) > now;
}

/** Held by `runId` until `leaseUntil`: listed again only then, for another run to take over. */
export function claim(record: OutboxRecord, runId: string, leaseUntil: number, maxAgeMs: number): OutboxWrite {
  return {
    record: { ...record, claimedBy: runId, claimedUntil: leaseUntil },
    options: { due: leaseUntil, expiresAt: liveExpiry(record, maxAgeMs) },
  };
}

/** Accepted by its destination after `attempts` POSTs in all; kept (not listed) while its id is remembered. */
export function settleDelivered(record: OutboxRecord, attempts: number, now: number): OutboxWrite {
  return settled(record, 'delivered', { attempts }, now);
}

/** Given up for `reason` (a permanent error, max age, a destination no longer configured). */
export function settleDead(record: OutboxRecord, reason: string, attempts: number, now: number): OutboxWrite {
  return settled(record, 'dead', { lastError: reason, attempts }, now);
}

/**
 * Covered by the silence `silenceId` as it came due: settled, never sent, kept (not listed) like a
 * delivered item, so the history shows it.
 */
export function settleSilenced(record: OutboxRecord, silenceId: string, now: number): OutboxWrite {
  return settled(record, 'silenced', { silencedBy: silenceId }, now);
}

/**
 * Held by quiet hours until `until`: still pending, due then, its max age moved on by the hold. The
 * notification keeps its `detectedAt` and says until when it was held.
 */
export function hold(record: OutboxRecord, until: number, now: number, maxAgeMs: number): OutboxWrite {
  const next: OutboxRecord = {
    ...released(record),
    state: 'pending',
    notification: { ...record.notification, heldUntil: new Date(until).toISOString() },
    nextAttemptAt: until,
    heldMs: (record.heldMs ?? 0) + Math.max(0, until - now),
  };
  return { record: next, options: { due: until, expiresAt: liveExpiry(next, maxAgeMs) } };
}

/**
 * Made moot by the later event `byId` of its task for the same destination before it was delivered
 * ({@link supersedes}): settled, never sent, kept (not listed) so the history shows it.
 */
export function settleSuperseded(record: OutboxRecord, byId: string, now: number): OutboxWrite {
  return settled(record, 'superseded', { supersededBy: byId }, now);
}

/** What a task's event is, for its order and for superseding. */
export type EventOfTask = Pick<Notification, 'event' | 'reminder'>;

/** What {@link eventOrder} reads of an outbox item. */
export interface OrderedEvent {
  readonly createdAt: number;
  readonly notification: EventOfTask;
}

/**
 * Where a task's events fall in the order they happened: queued first, then (queued by one scan) a
 * stuck notice before its reminders by number, before `failed` or `recovered`.
 */
export function eventOrder(a: OrderedEvent, b: OrderedEvent): number {
  const rank = (r: OrderedEvent): number => {
    const n = r.notification;
    if (n.event === 'stuck') return 0;
    if (n.event === 'reminder') return 1 + (n.reminder ?? 0);
    return 1_000;
  };
  return a.createdAt - b.createdAt || rank(a) - rank(b);
}

/**
 * Whether `later`, a later event of the same task for the same destination, makes the undelivered
 * `earlier` moot: `recovered` ends what a `stuck` notice or a reminder announced (for PagerDuty a
 * trigger then its resolve would only open an incident to close it), and a reminder repeats an
 * earlier reminder with newer figures. A `failed` notice, and a stuck notice before a reminder, are
 * never superseded: each says something the later one does not.
 */
export function supersedes(later: EventOfTask, earlier: EventOfTask): boolean {
  if (later.event === 'recovered') return earlier.event === 'stuck' || earlier.event === 'reminder';
  return later.event === 'reminder' && earlier.event === 'reminder' && (later.reminder ?? 0) > (earlier.reminder ?? 0);
}

function settled(
  record: OutboxRecord,
  state: 'delivered' | 'dead' | 'silenced' | 'superseded',
  extra: Partial<OutboxRecord>,
  now: number,
): OutboxWrite {
  const next: OutboxRecord = { ...released(record), ...extra, state, doneAt: now };
  return { record: next, options: { expiresAt: now + DELIVERY.keepDoneMs } };
}

/** When and why an item goes back to pending. */
export interface Retry {
  /** Business time it is due again; capped at the item's max age. */
  readonly at: number;
  /** POSTs made so far in all. */
  readonly attempts: number;
  /** Why it was not delivered (kept as `lastError`); absent when it was only deferred. */
  readonly reason?: string | undefined;
  /** The destination asked (`Retry-After`) not to be sent to before this business time: no early probe. */
  readonly notBefore?: number;
}

/** Back to pending, due at `retry.at`; dead instead when the item is past its max age at `now`. */
export function settleRetry(record: OutboxRecord, retry: Retry, now: number, maxAgeMs: number): OutboxWrite {
  const { at, attempts, reason, notBefore } = retry;
  if (pastMaxAge(record, now, maxAgeMs)) {
    return settleDead(record, `max age reached (${reason ?? 'not delivered'})`, attempts, now);
  }
  const due = Math.min(at, ageLimit(record, maxAgeMs));
  return {
    record: {
      ...released(record),
      state: 'pending',
      attempts,
      nextAttemptAt: due,
      ...(reason ? { lastError: reason } : {}),
      ...(notBefore !== undefined ? { notBefore } : {}),
    },
    options: { due, expiresAt: liveExpiry(record, maxAgeMs) },
  };
}
