import { claimDue } from './claimDue';
import { emptyDeliverResult, type DeliverContext, type DeliverResult } from './deliveryContext';
import { groupClaims } from './groupClaims';
import { keys } from './records';
import { sendToDestination } from './sendToDestination';
import type { ResolvedDestination } from './types';

export type { DeliverContext, DeliverResult } from './deliveryContext';

/**
 * The delivery phase: claim what the outbox holds (conditional writes with a lease), group it per
 * (destination, instance) for chat platforms, send within rate limits and the invocation's time, and
 * settle each item — `delivered` only after the destination accepted it.
 *
 * Destinations are sent to in parallel. A failure (of the store) ends that destination's part only:
 * the run must not end while another one is still sending, and what the others did is counted. Claims
 * it left unsettled are taken again once their lease runs out.
 */
export async function deliverOutbox(ctx: DeliverContext): Promise<DeliverResult> {
  const result = emptyDeliverResult();
  const claimed = await claimDue(ctx, result);
  if (claimed.length === 0) return result;
  const byDest = groupClaims(claimed, ctx.destinations);
  const rateRecords = await ctx.store.getMany([...byDest.keys()].map((d) => keys.rate(d)));
  await Promise.all(
    [...byDest].map(async ([destId, groups]) => {
      const dest = ctx.destinations.get(destId) as ResolvedDestination;
      try {
        await sendToDestination(ctx, dest, groups, rateRecords.get(keys.rate(destId)), result);
      } catch (e) {
        const error = e instanceof Error ? e.name : 'error';
        ctx.log({ level: 'error', msg: 'delivery to destination failed', destination: destId, error });
      }
    }),
  );
  return result;
}
