import { quietUntil } from './quietHours';
import { listSilences } from '../silences/silenceService';
import { type Silence, silenceFor } from '../silences/silences';
import type { DeliverContext } from './deliveryContext';
import type { Notification } from '../types';

/** What happens to a due item before it is claimed. */
export type Gate =
  | { readonly kind: 'send' }
  | { readonly kind: 'silenced'; readonly silence: Silence }
  | { readonly kind: 'held'; readonly until: number };

/**
 * The silences in force for this delivery phase: the configuration's and the operator API's (one
 * store read). Read after listing what is due and before claiming, so a silence created before an
 * item is claimed holds it back; one created after the claim lets that one send go out (once). A
 * malformed stored silence is logged and never matched.
 */
export async function silencesInForce(
  ctx: Pick<DeliverContext, 'config' | 'store' | 'now' | 'log'>,
): Promise<Silence[]> {
  const { silences, malformed } = await listSilences(ctx.store, ctx.config.silences, ctx.now());
  for (const m of malformed) ctx.log({ level: 'warn', msg: 'malformed record', key: m.key, problem: m.problem });
  return [...silences];
}

/**
 * The quiet time holding `n` at `now`: only when every route that led to it is quiet, and then until
 * the first of them is not. Items without routes (queued by an older version) and routes no longer
 * configured are never held.
 */
export function heldUntil(ctx: Pick<DeliverContext, 'config'>, n: Notification, now: number): number | undefined {
  const routes = n.routes ?? [];
  if (routes.length === 0) return undefined;
  let until: number | undefined;
  for (const name of routes) {
    const windows = ctx.config.routes.get(name)?.quietHours ?? [];
    const end = quietUntil(windows, now);
    if (end === undefined) return undefined;
    until = until === undefined ? end : Math.min(until, end);
  }
  return until;
}

/** Silenced first (a silence wins over quiet hours: nothing would be sent later), then held, else send. */
export function gate(
  ctx: Pick<DeliverContext, 'config'>,
  silences: readonly Silence[],
  n: Notification,
  now: number,
): Gate {
  const silence = silenceFor(silences, n, now);
  if (silence) return { kind: 'silenced', silence };
  const until = heldUntil(ctx, n, now);
  return until === undefined ? { kind: 'send' } : { kind: 'held', until };
}
