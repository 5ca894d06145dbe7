import { claimAhead, claimDue } from './claimDue';
import { emptyDeliverResult, type Claimed, type DeliverContext, type DeliverResult } from './deliveryContext';
import { groupClaims } from './groupClaims';
import { listBacklog, type Backlog } from './listBacklog';
import { keys } from './records';
import { sendToDestination } from './sendToDestination';
import type { ResolvedDestination } from './types';

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
  const claimed = await claimDue(ctx, backlog.due, result);
  if (claimed.length > 0) await sendAll(ctx, claimed, backlog, result);
  // What later runs still have to do: the pending items listed, less what this run settled (held stay).
  result.pending = Math.max(0, backlog.pending.count - result.sent - result.dead - result.silenced);
  result.pendingAtLeast = backlog.pending.atLeast;
  return result;
}

/** Sends each destination's claimed items (and its catch-up), destinations in parallel. */
async function sendAll(
  ctx: DeliverContext,
  claimed: readonly Claimed[],
  backlog: Backlog,
  result: DeliverResult,
): Promise<void> {
  const byDest = groupClaims(claimed, ctx.destinations);
  const rateRecords = await ctx.store.getMany([...byDest.keys()].map((d) => keys.rate(d)));
  await Promise.all(
    [...byDest].map(async ([destId, groups]) => {
      const dest = ctx.destinations.get(destId) as ResolvedDestination;
      const catchUp = async () => {
        const more = await claimAhead(ctx, backlog.ahead.get(destId) ?? [], result);
        return groupClaims(more, ctx.destinations).get(destId) ?? [];
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
