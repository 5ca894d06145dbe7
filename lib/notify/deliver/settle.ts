import type { Claimed, DeliverContext, DeliverResult } from './deliveryContext';
import type { OutboxWrite } from './outbox';

/**
 * Stores a transition of a held item, conditional on the version its claim wrote (a run that lost the
 * lease writes nothing), and counts it: back to pending, or settled (a dead item is logged, as is a
 * settlement another run got to first).
 */
export async function settle(
  ctx: DeliverContext,
  c: Claimed,
  write: OutboxWrite,
  result: DeliverResult,
): Promise<void> {
  const stored = await ctx.store.update(c.key, c.version, write.record, write.options);
  const { state } = write.record;
  if (state === 'pending') {
    if (stored) result.pending++;
    else result.leaseLost++;
    return;
  }
  const n = c.record.notification;
  if (!stored) {
    result.leaseLost++;
    ctx.log({ level: 'warn', msg: 'outbox claim lost before recording', id: n.id, state });
  }
  if (state !== 'dead') return;
  result.dead++;
  const { attempts, lastError: reason } = write.record;
  const where = { destination: n.destinationId, event: n.event, instance: n.instanceId, task: n.task.id };
  ctx.log({ level: 'error', msg: 'notification dead', id: n.id, ...where, attempts, reason });
}

/** {@link settle} for every item of a group, in parallel. */
export async function settleAll(
  ctx: DeliverContext,
  group: readonly Claimed[],
  next: (c: Claimed) => OutboxWrite,
  result: DeliverResult,
): Promise<void> {
  await Promise.all(group.map((c) => settle(ctx, c, next(c), result)));
}
