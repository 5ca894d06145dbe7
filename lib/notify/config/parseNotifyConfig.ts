import { NAME_PATTERN } from '../../config/constants';
import { ConfigError } from '../../config/errors';
import { GLOB_LIMITS, globProblem } from '../../core/glob';
import {
  onlyKeys,
  readBoolean,
  readMemberList,
  readNumber,
  readObject,
  readOptionalObject,
  readStringList,
} from '../../config/readers';
import type { AppConfig } from '../../config/types';
import { parseStoreConfig } from '../../state/parseStoreConfig';
import { parseQuietHours, QUIET_WINDOW_KEYS } from '../deliver/parseQuietHours';
import { FILTER_KEYS, parseFilter } from '../scan/parseFilter';
import { DESTINATION_KEYS, parseDestination } from '../channels/destinationConfig';
import { NOTIFY_DEFAULTS } from '../constants';
import { parseSilence } from '../silences/parseSilence';
import type { Silence } from '../silences/silences';
import type { DestinationConfig, NotifyConfig, RouteConfig } from '../types';

/** Statuses a notification can be about, and statuses a task can be stuck in. */
const FAILURE_STATUSES = ['FAILED', 'CANCELLED', 'DELETED'] as const;
const STUCK_STATUSES = ['CREATED', 'EXECUTING'] as const;

/** The settings of the `notify` section and its parts (the JSON Schema's test compares its own with these). */
export const NOTIFY_KEYS = {
  notify: [
    'destinations',
    'routes',
    'defaultRoutes',
    'filter',
    'statuses',
    'stuckAfterMinutes',
    'stuckStatuses',
    'silences',
    'repeatAfterMinutes',
    'maxReminders',
    'lookbackHours',
    'maxCatchUpHours',
    'baseline',
    'baselineGraceMinutes',
    'maxAgeHours',
    'concurrency',
    'maxGroupItems',
    'store',
    'allowInsecureWebhooks',
  ],
  destination: DESTINATION_KEYS,
  route: ['destinations', 'filter', 'quietHours'],
  quietWindow: QUIET_WINDOW_KEYS,
  filter: FILTER_KEYS,
  stuckAfter: ['default', 'tasks'],
} as const;

/** `notify.silences`: ids unique. */
function parseSilences(v: unknown): Silence[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw new ConfigError('notify.silences', 'must be an array of silences');
  const seen = new Set<string>();
  return v.map((s, i) => {
    const silence = parseSilence(s, `notify.silences[${i}]`, { source: 'config' });
    if (seen.has(silence.id)) throw new ConfigError(`notify.silences[${i}].id`, `"${silence.id}" is used twice`);
    seen.add(silence.id);
    return silence;
  });
}

const STUCK_RANGE = { min: 1, max: 60 * 24 * 30 } as const;

/**
 * `stuckAfterMinutes`: a number (every task), or `{"default": 120, "tasks": {"<glob>": minutes}}` where
 * the longest glob matching a task's name wins.
 */
function parseStuckAfter(v: unknown): Pick<NotifyConfig, 'stuckAfterMinutes' | 'stuckAfterByTask'> {
  const path = 'notify.stuckAfterMinutes';
  if (v === undefined || typeof v === 'number') {
    return {
      stuckAfterMinutes: readNumber(v, path, NOTIFY_DEFAULTS.stuckAfterMinutes, STUCK_RANGE),
      stuckAfterByTask: [],
    };
  }
  const o = readObject(v, path);
  onlyKeys(o, path, NOTIFY_KEYS.stuckAfter);
  const tasks = readOptionalObject(o.tasks, `${path}.tasks`);
  const entries = Object.entries(tasks);
  if (entries.length > GLOB_LIMITS.maxPatterns) {
    throw new ConfigError(`${path}.tasks`, `must have at most ${GLOB_LIMITS.maxPatterns} task-name globs`);
  }
  const stuckAfterByTask = entries.map(([pattern, minutes]) => {
    const problem = globProblem(pattern);
    if (problem) throw new ConfigError(`${path}.tasks`, `a task-name glob ${problem}`);
    return { pattern, minutes: readNumber(minutes, `${path}.tasks.${pattern}`, 0, STUCK_RANGE) };
  });
  return {
    stuckAfterMinutes: readNumber(o.default, `${path}.default`, NOTIFY_DEFAULTS.stuckAfterMinutes, STUCK_RANGE),
    stuckAfterByTask,
  };
}

type Raw = Record<string, unknown>;

function parseDestinations(o: Raw): Map<string, DestinationConfig> {
  const destinations = new Map<string, DestinationConfig>();
  for (const [id, d] of Object.entries(readOptionalObject(o.destinations, 'notify.destinations'))) {
    destinations.set(id, parseDestination(id, d, `notify.destinations.${id}`));
  }
  return destinations;
}

function parseRoute(name: string, v: unknown, destinations: ReadonlyMap<string, DestinationConfig>): RouteConfig {
  const path = `notify.routes.${name}`;
  if (!NAME_PATTERN.test(name)) throw new ConfigError(path, `route name "${name}" must match ${NAME_PATTERN}`);
  const ro = readObject(v, path);
  onlyKeys(ro, path, NOTIFY_KEYS.route);
  const dests = readStringList(ro.destinations, `${path}.destinations`);
  if (dests.length === 0) throw new ConfigError(`${path}.destinations`, 'must name at least one destination');
  dests.forEach((d, i) => {
    if (!destinations.has(d)) throw new ConfigError(`${path}.destinations[${i}]`, `unknown destination "${d}"`);
  });
  const quietHours = parseQuietHours(ro.quietHours, `${path}.quietHours`);
  return { name, destinations: dests, filter: parseFilter(ro.filter, `${path}.filter`), quietHours };
}

/** The routes; with destinations and no routes, one `default` route that sends everything everywhere. */
function parseRoutes(o: Raw, destinations: ReadonlyMap<string, DestinationConfig>): Map<string, RouteConfig> {
  const routes = new Map<string, RouteConfig>();
  for (const [name, r] of Object.entries(readOptionalObject(o.routes, 'notify.routes'))) {
    routes.set(name, parseRoute(name, r, destinations));
  }
  if (routes.size === 0 && destinations.size > 0) {
    const filter = parseFilter(undefined, 'notify.routes.default.filter');
    routes.set('default', { name: 'default', destinations: [...destinations.keys()], filter, quietHours: [] });
  }
  return routes;
}

/** Every route an instance or `defaultRoutes` names must exist. */
function checkRouteNames(app: AppConfig, routes: ReadonlyMap<string, RouteConfig>, defaultRoutes: string[]): void {
  defaultRoutes.forEach((r, i) => {
    if (!routes.has(r)) throw new ConfigError(`notify.defaultRoutes[${i}]`, `unknown route "${r}"`);
  });
  for (const [projectId, p] of app.projects) {
    p.instances.forEach((inst, n) => {
      inst.routes.forEach((r, i) => {
        if (routes.has(r)) return;
        const known = [...routes.keys()].join(', ') || 'none';
        const at = `projects.${projectId}.instances[${n}].routes[${i}]`;
        throw new ConfigError(at, `unknown route "${r}" (notify.routes has: ${known})`);
      });
    });
  }
}

/**
 * Validates the `notify` section (README, "Notifications") against the rest of the configuration:
 * routes must name known destinations, instances must name known routes. Throws `ConfigError`
 * naming the first bad setting. Secret references are checked for shape only; `resolveDestinations`
 * reads them.
 *
 * The shared settings and the notifier's project settings (`discover`, instance `routes`) are read by
 * `parseConfig` (inside the cold start); `http` belongs to the HTTP functions and is not read here.
 *
 * @example
 * const notify = parseNotifyConfig(parseConfig(readConfigDocument()));
 */
export function parseNotifyConfig(app: AppConfig, env: NodeJS.ProcessEnv = process.env): NotifyConfig {
  const o = readObject(app.notify ?? {}, 'notify');
  onlyKeys(o, 'notify', NOTIFY_KEYS.notify);
  const destinations = parseDestinations(o);
  const routes = parseRoutes(o, destinations);
  const defaultRoutes = readStringList(o.defaultRoutes, 'notify.defaultRoutes', [...routes.keys()]);
  checkRouteNames(app, routes, defaultRoutes);
  const statuses = readMemberList(
    o.statuses,
    'notify.statuses',
    FAILURE_STATUSES,
    NOTIFY_DEFAULTS.statuses,
    'must be FAILED, CANCELLED or DELETED',
  );
  const stuckStatuses = readMemberList(
    o.stuckStatuses,
    'notify.stuckStatuses',
    STUCK_STATUSES,
    NOTIFY_DEFAULTS.stuckStatuses,
    'must be CREATED or EXECUTING',
  );
  const numberAt = (key: string, fallback: number, min: number, max: number, integer = true): number =>
    readNumber(o[key], `notify.${key}`, fallback, { min, max, integer });
  const lookbackHours = numberAt('lookbackHours', NOTIFY_DEFAULTS.lookbackHours, 1, 24 * 30);
  return {
    destinations,
    routes,
    defaultRoutes,
    filter: parseFilter(o.filter, 'notify.filter'),
    statuses,
    ...parseStuckAfter(o.stuckAfterMinutes),
    stuckStatuses,
    silences: parseSilences(o.silences),
    repeatAfterMinutes: numberAt('repeatAfterMinutes', NOTIFY_DEFAULTS.repeatAfterMinutes, 1, 60 * 24 * 30),
    maxReminders: numberAt('maxReminders', NOTIFY_DEFAULTS.maxReminders, 0, 100),
    lookbackHours,
    maxCatchUpHours: numberAt(
      'maxCatchUpHours',
      Math.max(NOTIFY_DEFAULTS.maxCatchUpHours, lookbackHours),
      lookbackHours,
      24 * 90,
    ),
    baseline: readBoolean(o.baseline, 'notify.baseline', NOTIFY_DEFAULTS.baseline),
    baselineGraceMinutes: numberAt('baselineGraceMinutes', NOTIFY_DEFAULTS.baselineGraceMinutes, 0, 60 * 24 * 7),
    maxAgeHours: numberAt('maxAgeHours', NOTIFY_DEFAULTS.maxAgeHours, 0.01, 24 * 30, false),
    concurrency: numberAt('concurrency', NOTIFY_DEFAULTS.concurrency, 1, 256),
    maxGroupItems: numberAt('maxGroupItems', NOTIFY_DEFAULTS.maxGroupItems, 1, 200),
    store: parseStoreConfig(o.store, env),
    allowInsecureWebhooks: readBoolean(o.allowInsecureWebhooks, 'notify.allowInsecureWebhooks', false),
  };
}
