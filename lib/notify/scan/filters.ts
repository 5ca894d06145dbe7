import { globMatch } from '../../core/glob';
import type { EventKind, Filter, InstanceTarget, NotifyConfig } from '../types';

function side(include: readonly string[], exclude: readonly string[], values: readonly string[]): boolean {
  if (include.length > 0 && !include.some((p) => values.some((v) => globMatch(p, v)))) return false;
  return !exclude.some((p) => values.some((v) => globMatch(p, v)));
}

export function passes(filter: Filter, target: InstanceTarget, taskName: string, event: EventKind): boolean {
  return (
    filter.events.includes(event) &&
    side(filter.tasksInclude, filter.tasksExclude, [taskName]) &&
    side(filter.instancesInclude, filter.instancesExclude, [target.instanceId, target.name])
  );
}

/**
 * Destination ids for one event, each with the routes that lead to it: global filter, then each of the
 * instance's routes (or the default routes) with its own filter.
 */
export function routesFor(
  config: NotifyConfig,
  target: InstanceTarget,
  taskName: string,
  event: EventKind,
): Map<string, string[]> {
  const out = new Map<string, string[]>();
  if (!passes(config.filter, target, taskName, event)) return out;
  for (const name of target.routes.length > 0 ? target.routes : config.defaultRoutes) {
    const route = config.routes.get(name);
    if (!route || !passes(route.filter, target, taskName, event)) continue;
    for (const d of route.destinations) out.set(d, [...(out.get(d) ?? []), name]);
  }
  return out;
}

/** Destination ids for one event ({@link routesFor} without the routes). */
export function destinationsFor(
  config: NotifyConfig,
  target: InstanceTarget,
  taskName: string,
  event: EventKind,
): string[] {
  return [...routesFor(config, target, taskName, event).keys()];
}
