import { claimAhead, claimDue } from './claimDue';
import { emptyDeliverResult, type Claimed, type DeliverContext, type DeliverResult } from './deliveryContext';
import { groupClaims } from './groupClaims';
import { listBacklog, type Backlog } from './listBacklog';
import { maxAgeOf, settleRetry } from './outbox';
import type { Versioned } from '../../state/types';
import { keys, outboxOf, rateOf } from '../records';
import { sendToDestination } from './sendToDestination';
import { keepTaskOrder } from './taskOrder';
import { settleAll } from './settle';
import type { ResolvedDestination } from '../types';

export type { DeliverContext, DeliverResult } from './deliveryContext';

/**
 * The delivery phase: list the outbox once, claim what is due (conditional writes with a lease), group
 * it per (destination, instance) for chat platforms, send within rate limits and the invocation's time,
 * and settle each item — `delivered` only after the destination accepted it. A destination that
 * accepts a message catches up at once: its items still backing off are claimed and sent in the same
 * run; one that keeps failing is down for the rest of the run and its other items are deferred.
 *
 * Destinations are sent to in parallel. A failure (of the store) ends that destination's part only:
 * the run must not end while another one is still sending, and what the others did is counted. Claims
 * it left unsettled are taken again once their lease runs out.
 */
export async function deliverOutbox(ctx: DeliverContext): Promise<DeliverResult> {
  const result = emptyDeliverResult();
  const backlog = await listBacklog(ctx);
  const claimedDue = await claimDue(ctx, backlog.due, result);
  const destOf = (c: Claimed): string => c.record.notification.destinationId;
  const dests = [...new Set([...claimedDue.map(destOf), ...backlog.ahead.keys()])].filter((d) =>
    ctx.destinations.has(d),
  );
  const rates = dests.length > 0 ? await ctx.store.getMany(dests.map((d) => keys.rate(d))) : new Map();
  const now = ctx.now();
  const askedUntil = (d: string): number => rateOf(rates.get(keys.rate(d))).notBefore ?? 0;
  // A destination that asked to wait (Retry-After) gets nothing before then, due items included.
  const waiting = claimedDue.filter((c) => askedUntil(destOf(c)) > now);
  const maxAgeMs = maxAgeOf(ctx.config);
  const later = (c: Claimed) =>
    settleRetry(c.record, { at: askedUntil(destOf(c)), attempts: c.record.attempts }, now, maxAgeMs);
  await settleAll(ctx, waiting, later, result);
  const due = claimedDue.filter((c) => askedUntil(destOf(c)) <= now);
  const probes = await claimProbes(ctx, backlog, due, (d) => askedUntil(d) > now, result);
  const claimed = await keepTaskOrder(ctx, [...due, ...probes], backlog, result);
  if (claimed.length > 0) await sendAll(ctx, claimed, backlog, rates, result);
  // What later runs still have to do: the pending items listed, less what this run settled (held stay).
  const settled = result.sent + result.dead + result.silenced + result.superseded;
  result.pending = Math.max(0, backlog.pending.count - settled);
  result.leased = backlog.leased;
  result.pendingAtLeast = backlog.pending.atLeast;
  return result;
}

/** A well-formed item whose destination's `Retry-After` (kept on the item) is over at `now`. */
function probeable(item: Versioned, now: number): boolean {
  const record = outboxOf(item);
  return record !== undefined && (record.notBefore ?? 0) <= now;
}

/**
 * One probe per destination that has a backlog but nothing due (its items all backing off): its
 * soonest item, claimed ahead of time, unless the destination asked to wait (`Retry-After`). So the
 * first run after an outage finds out and catches up, however far the backoff has grown; a destination
 * still down costs that run at most `DELIVERY.downAfterFailures` POSTs.
 */
async function claimProbes(
  ctx: DeliverContext,
  backlog: Backlog,
  due: readonly Claimed[],
  waiting: (destinationId: string) => boolean,
  result: DeliverResult,
): Promise<Claimed[]> {
  const now = ctx.now();
  const busy = new Set(due.map((c) => c.record.notification.destinationId));
  const probes = [...backlog.ahead]
    .filter(([dest]) => !busy.has(dest) && ctx.destinations.has(dest) && !waiting(dest))
    .map(([, items]) => items.find((i) => probeable(i, now)))
    .filter((i): i is Versioned => i !== undefined);
  return probes.length > 0 ? claimAhead(ctx, probes, result) : [];
}

/** Sends each destination's claimed items (and its catch-up), destinations in parallel. */
async function sendAll(
  ctx: DeliverContext,
  claimed: readonly Claimed[],
  backlog: Backlog,
  rateRecords: ReadonlyMap<string, Versioned>,
  result: DeliverResult,
): Promise<void> {
  const byDest = groupClaims(claimed, ctx.destinations);
  await Promise.all(
    [...byDest].map(async ([destId, groups]) => {
      const dest = ctx.destinations.get(destId) as ResolvedDestination;
      const catchUp = async () => {
        const more = await claimAhead(ctx, backlog.ahead.get(destId) ?? [], result);
        const ordered = await keepTaskOrder(ctx, more, backlog, result);
        return groupClaims(ordered, ctx.destinations).get(destId) ?? [];
      };
      try {
        const work = { groups, catchUp, pendingFor: backlog.pendingFor };
        await sendToDestination(ctx, dest, work, rateRecords.get(keys.rate(destId)), result);
      } catch (e) {
        const error = e instanceof Error ? e.name : 'error';
        ctx.log({ level: 'error', msg: 'delivery to destination failed', destination: destId, error });
      }
    }),
  );
}
