import type { Versioned } from '../../state/types';
import { type OutboxRecord, outboxOf } from '../records';
import { claimAhead } from './claimDue';
import type { Claimed, DeliverContext, DeliverResult } from './deliveryContext';
import { type Backlog, taskKey } from './listBacklog';
import { eventOrder, maxAgeOf, settleRetry, settleSuperseded, supersedes } from './outbox';
import { settle, settleAll } from './settle';

/**
 * Keeps each task's events in the order they happened at each destination, before anything of the
 * claimed set is sent. For every task with an item claimed: its earlier items still pending for the
 * same destination (backing off after an outage, say) are claimed too, so they go out first in the
 * same run; an earlier item the later one makes moot ({@link supersedes}) is settled `superseded`
 * instead of sent. An earlier item this run cannot take (another run's lease, quiet hours) holds the
 * later ones back: they go back to pending, due when it is, without counting an attempt. Returns the
 * claims to send; `groupClaims` puts them in event order.
 */
export async function keepTaskOrder(
  ctx: DeliverContext,
  claimed: readonly Claimed[],
  backlog: Backlog,
  result: DeliverResult,
): Promise<Claimed[]> {
  const byTask = new Map<string, Claimed[]>();
  for (const c of claimed) {
    const k = taskKey(c.record.notification);
    byTask.set(k, [...(byTask.get(k) ?? []), c]);
  }
  const out: Claimed[] = [];
  for (const mine of byTask.values()) out.push(...(await orderTask(ctx, mine, backlog, result)));
  return out;
}

/** One task's claims at one destination, with its earlier pending items taken, superseded or waited for. */
async function orderTask(
  ctx: DeliverContext,
  mine: readonly Claimed[],
  backlog: Backlog,
  result: DeliverResult,
): Promise<Claimed[]> {
  const latest = mine.reduce((a, b) => (eventOrder(a.record, b.record) >= 0 ? a : b));
  const held = new Set(mine.map((c) => c.key));
  const isEarlier = (r: OutboxRecord | undefined): boolean => r !== undefined && eventOrder(r, latest.record) < 0;
  const earlier = backlog.ofTask(latest.record.notification).filter((i) => !held.has(i.key) && isEarlier(outboxOf(i)));
  const taken = earlier.length > 0 ? await claimAhead(ctx, earlier, result) : [];
  const blocking = await stillPending(ctx, earlier, new Set(taken.map((c) => c.key)));
  const inOrder = [...mine, ...taken].sort((a, b) => eventOrder(a.record, b.record));
  const kept: Claimed[] = [];
  for (const c of inOrder.reverse()) {
    const by = kept.find((k) => supersedes(k.record.notification, c.record.notification));
    if (!by) {
      kept.unshift(c);
      continue;
    }
    await settle(ctx, c, settleSuperseded(c.record, by.record.notification.id, ctx.now()), result);
    result.superseded++;
  }
  const first = blocking[0];
  if (!first) return kept;
  // An earlier event this run cannot take: what comes after it waits for it (no attempt counted).
  const waits = kept.filter((c) => eventOrder(c.record, first.record) > 0);
  const now = ctx.now();
  const at = Math.max(now, first.due ?? now);
  const later = (c: Claimed) => settleRetry(c.record, { at, attempts: c.record.attempts }, now, maxAgeOf(ctx.config));
  await settleAll(ctx, waits, later, result);
  return kept.filter((c) => !waits.includes(c));
}

/**
 * The earlier items this run did not take that are still pending (another run holds them, or quiet
 * hours do), re-read, in event order; those settled since the listing no longer hold anything back.
 */
async function stillPending(
  ctx: DeliverContext,
  earlier: readonly Versioned[],
  taken: ReadonlySet<string>,
): Promise<{ readonly record: OutboxRecord; readonly due: number | undefined }[]> {
  const left = earlier.filter((i) => !taken.has(i.key));
  if (left.length === 0) return [];
  const fresh = await ctx.store.getMany(left.map((i) => i.key));
  return [...fresh.values()]
    .map((i) => ({ record: outboxOf(i), due: i.due }))
    .filter((x): x is { record: OutboxRecord; due: number | undefined } => x.record?.state === 'pending')
    .sort((a, b) => eventOrder(a.record, b.record));
}
