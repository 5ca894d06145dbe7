import { CHANNELS } from '../channels';
import type { Claimed } from './deliveryContext';
import type { ResolvedDestination } from '../types';

/**
 * The held items as messages: per destination (oldest first), and for chat platforms further one
 * message per (project, instance), so a burst of failures on one instance is one post, not twenty.
 * Items of an unknown destination are left out.
 */
export function groupClaims(
  claimed: readonly Claimed[],
  destinations: ReadonlyMap<string, ResolvedDestination>,
): Map<string, Claimed[][]> {
  const byDest = new Map<string, Claimed[][]>();
  for (const c of [...claimed].sort(oldestFirst)) {
    const n = c.record.notification;
    const dest = destinations.get(n.destinationId);
    if (!dest) continue;
    const groups = byDest.get(dest.id) ?? [];
    byDest.set(dest.id, groups);
    const sameInstance = (g: Claimed[]): boolean =>
      g[0]?.record.notification.projectId === n.projectId && g[0]?.record.notification.instanceId === n.instanceId;
    const g = CHANNELS[dest.type].groups ? groups.find(sameInstance) : undefined;
    if (g) g.push(c);
    else groups.push([c]);
  }
  return byDest;
}

function oldestFirst(a: Claimed, b: Claimed): number {
  const x = a.record;
  const y = b.record;
  return x.createdAt - y.createdAt || x.notification.task.created_at.localeCompare(y.notification.task.created_at);
}
