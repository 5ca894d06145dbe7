import { mapLimit } from '../../core/mapLimit';
import type { Versioned } from '../../state/types';
import type { Claimed, DeliverContext, DeliverResult } from './deliveryContext';
import { gate, silencesInForce } from './gate';
import { claim, claimable, claimableAhead, hold, maxAgeOf, pastMaxAge, settleDead, settleSilenced } from './outbox';
import type { OutboxRecord } from '../records';
import type { Silence } from '../silences/silences';
import { settle } from './settle';

/** Claims in flight at once (a conditional write each). */
const CLAIM_CONCURRENCY = 8;

/** Which records a claim may take at `now`: due ones ({@link claimable}) or a catch-up's ({@link claimableAhead}). */
type Claimable = (item: Versioned | undefined, now: number) => OutboxRecord | undefined;

/**
 * Claims the listed outbox items that are due: re-read, then a conditional write on the version just
 * read, so two runs never both win. Items of a destination no longer configured, or past their max
 * age, die here. Once the time left is too short, the rest stays due for the next run (counted as
 * pending).
 */
export function claimDue(ctx: DeliverContext, listed: readonly Versioned[], result: DeliverResult): Promise<Claimed[]> {
  return claimListed(ctx, listed, claimable, result);
}

/**
 * Claims a destination's listed items ahead of their next attempt time (its catch-up once it accepted
 * a message), the same way; an item another run holds, or one settled since it was listed, is left.
 */
export function claimAhead(
  ctx: DeliverContext,
  listed: readonly Versioned[],
  result: DeliverResult,
): Promise<Claimed[]> {
  return claimListed(ctx, listed, claimableAhead, result);
}

async function claimListed(
  ctx: DeliverContext,
  listed: readonly Versioned[],
  may: Claimable,
  result: DeliverResult,
): Promise<Claimed[]> {
  const claimed: Claimed[] = [];
  if (listed.length === 0) return claimed;
  const silences = await silencesInForce(ctx);
  await mapLimit(listed, CLAIM_CONCURRENCY, async (item) => {
    if (!ctx.budget.mayStartWork()) {
      result.pending++;
      return;
    }
    const c = await claimOne(ctx, await ctx.store.get(item.key), may, silences, result);
    if (c) claimed.push(c);
  });
  return claimed;
}

/**
 * One item: claimed, or settled at once (silenced, dead), or held by quiet hours, or left alone (not
 * claimable any more, taken by another run). Each is a conditional write on the version just read.
 */
async function claimOne(
  ctx: DeliverContext,
  fresh: Versioned | undefined,
  may: Claimable,
  silences: readonly Silence[],
  result: DeliverResult,
): Promise<Claimed | undefined> {
  const now = ctx.now();
  const record = may(fresh, now);
  if (!fresh || !record) return undefined;
  if (!ctx.destinations.has(record.notification.destinationId)) {
    const held = { key: fresh.key, version: fresh.version, record };
    await settle(ctx, held, settleDead(record, 'destination no longer configured', record.attempts, ctx.now()), result);
    return undefined;
  }
  const maxAgeMs = maxAgeOf(ctx.config);
  const g = pastMaxAge(record, now, maxAgeMs)
    ? { kind: 'send' as const }
    : gate(ctx, silences, record.notification, now);
  if (g.kind !== 'send') {
    const w = g.kind === 'silenced' ? settleSilenced(record, g.silence.id, now) : hold(record, g.until, now, maxAgeMs);
    if (await ctx.store.update(fresh.key, fresh.version, w.record, w.options)) {
      if (g.kind === 'silenced') result.silenced++;
      else result.held++;
    }
    return undefined;
  }
  const write = claim(record, ctx.runId, now + ctx.budget.leaseMs(), maxAgeMs);
  if (!(await ctx.store.update(fresh.key, fresh.version, write.record, write.options))) return undefined;
  const c: Claimed = { key: fresh.key, version: fresh.version + 1, record: write.record };
  if (!pastMaxAge(record, now, maxAgeMs)) return c;
  const reason = `max age reached (${record.lastError ?? 'not delivered'})`;
  await settle(ctx, c, settleDead(c.record, reason, record.attempts, ctx.now()), result);
  return undefined;
}
