import type { Versioned } from '../state/types';
import { DELIVERY } from './constants';
import type { DeliverContext } from './deliveryContext';
import { claimable, claimableAhead, maxAgeOf } from './outbox';

/** The outbox as one listing showed it at the start of the delivery phase. */
export interface Backlog {
  /** Due now (oldest due first): what the run claims. */
  readonly due: readonly Versioned[];
  /**
   * Pending but due later (backing off after failures, or deferred), by destination: what the
   * catch-up of a destination that accepts a message in this run takes.
   */
  readonly ahead: ReadonlyMap<string, readonly Versioned[]>;
}

/**
 * Lists the outbox once: items due now and, behind them, pending items not due yet. Every live item's
 * `due` lies within its max age (a claim's within its lease), so listing up to max age from now sees
 * them all, within `DELIVERY.maxItemsPerRun` (due ones first). The listing may be stale; every claim
 * re-reads its item.
 */
export async function listBacklog(ctx: DeliverContext): Promise<Backlog> {
  const now = ctx.now();
  const listed = await ctx.store.listDue(now + maxAgeOf(ctx.config), DELIVERY.maxItemsPerRun);
  const due: Versioned[] = [];
  const ahead = new Map<string, Versioned[]>();
  for (const item of listed) {
    if (claimable(item, now)) {
      due.push(item);
      continue;
    }
    const record = claimableAhead(item, now);
    if (!record) continue;
    const dest = record.notification.destinationId;
    ahead.set(dest, [...(ahead.get(dest) ?? []), item]);
  }
  return { due, ahead };
}
