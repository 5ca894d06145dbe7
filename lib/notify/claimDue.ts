import { mapLimit } from '../core/mapLimit';
import type { Versioned } from '../state/types';
import { DELIVERY } from './constants';
import type { Claimed, DeliverContext, DeliverResult } from './deliveryContext';
import { claim, claimable, maxAgeOf, pastMaxAge, settleDead } from './outbox';
import { settle } from './settle';

/** Claims in flight at once (a conditional write each). */
const CLAIM_CONCURRENCY = 8;

/**
 * Claims every due outbox item: re-read, then a conditional write on the version just read, so two
 * runs never both win. Items of a destination no longer configured, or past their max age, die here.
 * Once the time left is too short, the rest stays due for the next run (counted as pending).
 */
export async function claimDue(ctx: DeliverContext, result: DeliverResult): Promise<Claimed[]> {
  const due = await ctx.store.listDue(ctx.now(), DELIVERY.maxItemsPerRun);
  const claimed: Claimed[] = [];
  await mapLimit(due, CLAIM_CONCURRENCY, async (listed) => {
    if (!ctx.budget.mayStartWork()) {
      result.pending++;
      return;
    }
    const c = await claimOne(ctx, await ctx.store.get(listed.key), result);
    if (c) claimed.push(c);
  });
  return claimed;
}

/** One item: claimed, or settled at once, or left alone (not due any more, taken by another run). */
async function claimOne(
  ctx: DeliverContext,
  fresh: Versioned | undefined,
  result: DeliverResult,
): Promise<Claimed | undefined> {
  const now = ctx.now();
  const record = claimable(fresh, now);
  if (!fresh || !record) return undefined;
  if (!ctx.destinations.has(record.notification.destinationId)) {
    const held = { key: fresh.key, version: fresh.version, record };
    await settle(ctx, held, settleDead(record, 'destination no longer configured', record.attempts, ctx.now()), result);
    return undefined;
  }
  const maxAgeMs = maxAgeOf(ctx.config);
  const write = claim(record, ctx.runId, now + ctx.budget.leaseMs(), maxAgeMs);
  if (!(await ctx.store.update(fresh.key, fresh.version, write.record, write.options))) return undefined;
  const c: Claimed = { key: fresh.key, version: fresh.version + 1, record: write.record };
  if (!pastMaxAge(record, now, maxAgeMs)) return c;
  const reason = `max age reached (${record.lastError ?? 'not delivered'})`;
  await settle(ctx, c, settleDead(c.record, reason, record.attempts, ctx.now()), result);
  return undefined;
}
