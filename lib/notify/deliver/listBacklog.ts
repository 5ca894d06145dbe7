import type { Versioned } from '../../state/types';
import type { PendingCount } from '../channels/types';
import { DELIVERY } from '../constants';
import type { DeliverContext } from './deliveryContext';
import { claimable, claimableAhead, leasedElsewhere } from './outbox';
import { readRecord } from '../records';
import type { Notification } from '../types';

/**
 * Outbox items one listing reads at most: the items a run claims (`DELIVERY.maxItemsPerRun`) come
 * first, the rest is read to count what is pending. Beyond it the counts are lower bounds.
 */
export const BACKLOG_COUNT_LIMIT = 5 * DELIVERY.maxItemsPerRun;

/** The outbox as one listing showed it at the start of the delivery phase. */
export interface Backlog {
  /** Due now (oldest due first), at most `DELIVERY.maxItemsPerRun`: what the run claims. */
  readonly due: readonly Versioned[];
  /**
   * Pending but due later (backing off after failures, or deferred), by destination: what the
   * catch-up of a destination that accepts a message in this run takes.
   */
  readonly ahead: ReadonlyMap<string, readonly Versioned[]>;
  /** Pending items, those another run holds the lease of included. */
  readonly pending: PendingCount;
  /**
   * Of {@link pending}, those another run holds the lease of: a run still sending, or one that died
   * (SIGKILL) and whose lease has not ended yet. The next run after the lease takes them over.
   */
  readonly leased: number;
  /** Of {@link pending}, those of one destination and instance (for the grouped message's title). */
  pendingFor(n: Notification): PendingCount;
  /**
   * The listed pending items of `n`'s task for `n`'s destination (due, backing off, held or leased
   * alike): what keeps that task's events in order ({@link keepTaskOrder}).
   */
  ofTask(n: Notification): readonly Versioned[];
}

/** One task at one destination: its events reach it in order. */
export const taskKey = (n: Notification): string => `${n.destinationId}\n${n.projectId}\n${n.instanceId}\n${n.task.id}`;

/** Held by quiet hours at `now`: not for a catch-up (it would only be held again). */
const heldAt = (n: Notification, now: number): boolean => n.heldUntil !== undefined && Date.parse(n.heldUntil) > now;

const instanceKey = (n: Notification): string => `${n.destinationId}\n${n.projectId}\n${n.instanceId}`;

/**
 * Every live item, whatever its due time: an item held by quiet hours is due when they end, which can
 * be later than its max age from now (its max age moves on by the hold); a backing-off one within its
 * max age; a claimed one when its lease ends. Settled items are not listed at all.
 */
const EVERY_DUE_TIME = Number.MAX_SAFE_INTEGER;

/**
 * Lists the outbox once: items due now and, behind them, pending items not due yet, held by quiet
 * hours, or leased by another run, up to {@link BACKLOG_COUNT_LIMIT} (due ones first). The listing
 * may be stale; every claim re-reads its item.
 */
export async function listBacklog(ctx: DeliverContext): Promise<Backlog> {
  const now = ctx.now();
  const listed = await ctx.store.listDue(EVERY_DUE_TIME, BACKLOG_COUNT_LIMIT);
  const atLeast = listed.length >= BACKLOG_COUNT_LIMIT;
  const due: Versioned[] = [];
  const ahead = new Map<string, Versioned[]>();
  const byInstance = new Map<string, number>();
  const byTask = new Map<string, Versioned[]>();
  const addTask = (item: Versioned, n: Notification): void => {
    byTask.set(taskKey(n), [...(byTask.get(taskKey(n)) ?? []), item]);
  };
  let count = 0;
  let leased = 0;
  let aheadCount = 0;
  for (const item of listed) {
    const read = readRecord.outbox(item);
    if (!read.ok) {
      // Never claimed nor counted; kept until it expires, so it is reported by every run until then.
      ctx.log({ level: 'warn', msg: 'malformed record', key: item.key, problem: read.malformed.problem });
      continue;
    }
    const record = claimable(item, now) ?? claimableAhead(item, now);
    if (!record) {
      if (leasedElsewhere(item, now)) {
        count++;
        leased++;
        addTask(item, read.record.notification);
      }
      continue;
    }
    count++;
    addTask(item, read.record.notification);
    const n = record.notification;
    byInstance.set(instanceKey(n), (byInstance.get(instanceKey(n)) ?? 0) + 1);
    if (claimable(item, now)) {
      if (due.length < DELIVERY.maxItemsPerRun) due.push(item);
    } else if (aheadCount < DELIVERY.maxItemsPerRun && !heldAt(n, now)) {
      aheadCount++;
      ahead.set(n.destinationId, [...(ahead.get(n.destinationId) ?? []), item]);
    }
  }
  return {
    due,
    ahead,
    pending: { count, atLeast },
    leased,
    pendingFor: (n) => ({ count: byInstance.get(instanceKey(n)) ?? 0, atLeast }),
    ofTask: (n) => byTask.get(taskKey(n)) ?? [],
  };
}
