import { ConfigError } from '../config/errors';
import { parseSecretRef } from '../config/parseConfig';
import type { AppConfig, SecretRef } from '../config/types';
import { DESTINATION_DEFAULTS, NOTIFY_DEFAULTS } from './constants';
import { DESTINATION_TYPES, EVENT_KINDS, type DestinationConfig, type DestinationType, type EventKind, type Filter, type NotifyConfig, type RouteConfig, type StoreConfig } from './types';

type Raw = Record<string, unknown>;
const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

function obj(v: unknown, path: string): Raw {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new ConfigError(path, 'must be an object');
  return v as Raw;
}

function onlyKeys(v: Raw, path: string, allowed: readonly string[]): void {
  for (const k of Object.keys(v)) if (!allowed.includes(k)) throw new ConfigError(`${path}.${k}`, `unknown setting (allowed: ${allowed.join(', ')})`);
}

function str(v: unknown, path: string, pattern?: RegExp): string {
  if (typeof v !== 'string' || v === '') throw new ConfigError(path, 'must be a non-empty string');
  if (pattern && !pattern.test(v)) throw new ConfigError(path, `"${v}" does not match ${pattern}`);
  return v;
}

function strList(v: unknown, path: string, fallback: readonly string[] = []): string[] {
  if (v === undefined) return [...fallback];
  if (!Array.isArray(v)) throw new ConfigError(path, 'must be an array of strings');
  return v.map((s, i) => str(s, `${path}[${i}]`));
}

function num(v: unknown, path: string, fallback: number, min: number, max: number, integer = true): number {
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || (integer && !Number.isInteger(v)) || v < min || v > max) {
    throw new ConfigError(path, `must be ${integer ? 'an integer' : 'a number'} from ${min} to ${max}`);
  }
  return v;
}

function bool(v: unknown, path: string, fallback: boolean): boolean {
  if (v === undefined) return fallback;
  if (typeof v !== 'boolean') throw new ConfigError(path, 'must be true or false');
  return v;
}

function parseFilter(v: unknown, path: string): Filter {
  const o = v === undefined ? {} : obj(v, path);
  onlyKeys(o, path, ['tasks', 'instances', 'events']);
  const side = (s: unknown, p: string): { include: string[]; exclude: string[] } => {
    const so = s === undefined ? {} : obj(s, p);
    onlyKeys(so, p, ['include', 'exclude']);
    return { include: strList(so.include, `${p}.include`), exclude: strList(so.exclude, `${p}.exclude`) };
  };
  const tasks = side(o.tasks, `${path}.tasks`);
  const instances = side(o.instances, `${path}.instances`);
  const events = strList(o.events, `${path}.events`, EVENT_KINDS).map((e, i) => {
    if (!(EVENT_KINDS as readonly string[]).includes(e)) throw new ConfigError(`${path}.events[${i}]`, `must be one of ${EVENT_KINDS.join(', ')}`);
    return e as EventKind;
  });
  return { tasksInclude: tasks.include, tasksExclude: tasks.exclude, instancesInclude: instances.include, instancesExclude: instances.exclude, events };
}

function parseDestination(id: string, v: unknown, path: string): DestinationConfig {
  if (!NAME.test(id)) throw new ConfigError(path, `destination id "${id}" must match ${NAME}`);
  const o = obj(v, path);
  onlyKeys(o, path, ['type', 'url', 'secret', 'secrets', 'ratePerMinute', 'maxBodyBytes', 'timeoutMs']);
  if (typeof o.type !== 'string' || !(DESTINATION_TYPES as readonly string[]).includes(o.type)) throw new ConfigError(`${path}.type`, `must be one of ${DESTINATION_TYPES.join(', ')}`);
  const type = o.type as DestinationType;
  if (o.url === undefined) throw new ConfigError(`${path}.url`, 'is required (a secret reference: {"env": "NAME"} or {"ssm": "/name"})');
  const url = parseSecretRef(o.url, `${path}.url`);
  if (o.secret !== undefined && o.secrets !== undefined) throw new ConfigError(`${path}.secrets`, 'give "secret" or "secrets", not both');
  let secrets: SecretRef[] = [];
  if (o.secret !== undefined) secrets = [parseSecretRef(o.secret, `${path}.secret`)];
  else if (o.secrets !== undefined) {
    if (!Array.isArray(o.secrets)) throw new ConfigError(`${path}.secrets`, 'must be an array of secret references');
    secrets = o.secrets.map((s, i) => parseSecretRef(s, `${path}.secrets[${i}]`));
  }
  if (type === 'webhook' && secrets.length === 0) throw new ConfigError(`${path}.secrets`, 'a webhook destination needs at least one signing secret (whsec_...)');
  if ((type === 'feishu' || type === 'dingtalk') && secrets.length > 1) throw new ConfigError(`${path}.secrets`, `${type} takes exactly one signing secret`);
  if ((type === 'slack' || type === 'teams' || type === 'wecom') && secrets.length > 0) throw new ConfigError(`${path}.secret`, `${type} is not signed: its URL is the secret`);
  const d = DESTINATION_DEFAULTS[type];
  return {
    id,
    type,
    url,
    secrets,
    ratePerMinute: num(o.ratePerMinute, `${path}.ratePerMinute`, d.ratePerMinute, 1, 6000),
    maxBodyBytes: num(o.maxBodyBytes, `${path}.maxBodyBytes`, d.maxBodyBytes, 1024, 1024 * 1024),
    timeoutMs: num(o.timeoutMs, `${path}.timeoutMs`, NOTIFY_DEFAULTS.postTimeoutMs, 100, 60_000),
  };
}

function parseStore(v: unknown, env: NodeJS.ProcessEnv): StoreConfig {
  if (v === undefined) {
    const table = env.NOTIFY_TABLE;
    return table ? { type: 'dynamodb', table } : { type: 'file', path: NOTIFY_DEFAULTS.filePath };
  }
  const o = obj(v, 'notify.store');
  if (o.type === 'file') {
    onlyKeys(o, 'notify.store', ['type', 'path']);
    return { type: 'file', path: o.path === undefined ? NOTIFY_DEFAULTS.filePath : str(o.path, 'notify.store.path') };
  }
  if (o.type === 'dynamodb') {
    onlyKeys(o, 'notify.store', ['type', 'table', 'endpoint']);
    const table = o.table === undefined ? env.NOTIFY_TABLE : str(o.table, 'notify.store.table', /^[A-Za-z0-9_.-]{3,255}$/);
    if (!table) throw new ConfigError('notify.store.table', 'is required (or set NOTIFY_TABLE)');
    return o.endpoint === undefined ? { type: 'dynamodb', table } : { type: 'dynamodb', table, endpoint: str(o.endpoint, 'notify.store.endpoint') };
  }
  throw new ConfigError('notify.store.type', 'must be "file" or "dynamodb"');
}

/**
 * Validates the `notify` section (README, "Notifications") against the rest of the configuration:
 * routes must name known destinations, instances must name known routes. Throws `ConfigError`
 * naming the first bad setting. Secret references are checked for shape only; `resolveDestinations`
 * reads them.
 *
 * @example
 * const notify = parseNotifyConfig(loadConfig());
 */
export function parseNotifyConfig(app: AppConfig, env: NodeJS.ProcessEnv = process.env): NotifyConfig {
  const o = obj(app.notify ?? {}, 'notify');
  onlyKeys(o, 'notify', [
    'destinations', 'routes', 'defaultRoutes', 'filter', 'statuses', 'stuckAfterMinutes', 'stuckStatuses', 'lookbackHours',
    'maxCatchUpHours', 'baseline', 'maxAgeHours', 'concurrency', 'maxGroupItems', 'store', 'allowInsecureWebhooks',
  ]);
  const destinations = new Map<string, DestinationConfig>();
  for (const [id, d] of Object.entries(o.destinations === undefined ? {} : obj(o.destinations, 'notify.destinations'))) {
    destinations.set(id, parseDestination(id, d, `notify.destinations.${id}`));
  }
  const routes = new Map<string, RouteConfig>();
  const routesRaw = o.routes === undefined ? {} : obj(o.routes, 'notify.routes');
  for (const [name, r] of Object.entries(routesRaw)) {
    const path = `notify.routes.${name}`;
    if (!NAME.test(name)) throw new ConfigError(path, `route name "${name}" must match ${NAME}`);
    const ro = obj(r, path);
    onlyKeys(ro, path, ['destinations', 'filter']);
    const dests = strList(ro.destinations, `${path}.destinations`);
    if (dests.length === 0) throw new ConfigError(`${path}.destinations`, 'must name at least one destination');
    dests.forEach((d, i) => {
      if (!destinations.has(d)) throw new ConfigError(`${path}.destinations[${i}]`, `unknown destination "${d}"`);
    });
    routes.set(name, { name, destinations: dests, filter: parseFilter(ro.filter, `${path}.filter`) });
  }
  if (routes.size === 0 && destinations.size > 0) {
    // A configuration with destinations and no routes sends everything everywhere.
    routes.set('default', { name: 'default', destinations: [...destinations.keys()], filter: parseFilter(undefined, 'notify.routes.default.filter') });
  }
  const defaultRoutes = strList(o.defaultRoutes, 'notify.defaultRoutes', [...routes.keys()]);
  defaultRoutes.forEach((r, i) => {
    if (!routes.has(r)) throw new ConfigError(`notify.defaultRoutes[${i}]`, `unknown route "${r}"`);
  });
  for (const [projectId, p] of app.projects) {
    p.instances.forEach((inst, n) =>
      inst.routes.forEach((r, i) => {
        if (!routes.has(r)) throw new ConfigError(`projects.${projectId}.instances[${n}].routes[${i}]`, `unknown route "${r}" (notify.routes has: ${[...routes.keys()].join(', ') || 'none'})`);
      }),
    );
  }
  const statuses = strList(o.statuses, 'notify.statuses', NOTIFY_DEFAULTS.statuses);
  statuses.forEach((s, i) => {
    if (!['FAILED', 'CANCELLED', 'DELETED'].includes(s)) throw new ConfigError(`notify.statuses[${i}]`, 'must be FAILED, CANCELLED or DELETED');
  });
  const stuckStatuses = strList(o.stuckStatuses, 'notify.stuckStatuses', NOTIFY_DEFAULTS.stuckStatuses);
  stuckStatuses.forEach((s, i) => {
    if (!['CREATED', 'EXECUTING'].includes(s)) throw new ConfigError(`notify.stuckStatuses[${i}]`, 'must be CREATED or EXECUTING');
  });
  const lookbackHours = num(o.lookbackHours, 'notify.lookbackHours', NOTIFY_DEFAULTS.lookbackHours, 1, 24 * 30);
  return {
    destinations,
    routes,
    defaultRoutes,
    filter: parseFilter(o.filter, 'notify.filter'),
    statuses,
    stuckAfterMinutes: num(o.stuckAfterMinutes, 'notify.stuckAfterMinutes', NOTIFY_DEFAULTS.stuckAfterMinutes, 1, 60 * 24 * 30),
    stuckStatuses,
    lookbackHours,
    maxCatchUpHours: num(o.maxCatchUpHours, 'notify.maxCatchUpHours', Math.max(NOTIFY_DEFAULTS.maxCatchUpHours, lookbackHours), lookbackHours, 24 * 90),
    baseline: bool(o.baseline, 'notify.baseline', NOTIFY_DEFAULTS.baseline),
    maxAgeHours: num(o.maxAgeHours, 'notify.maxAgeHours', NOTIFY_DEFAULTS.maxAgeHours, 0.01, 24 * 30, false),
    concurrency: num(o.concurrency, 'notify.concurrency', NOTIFY_DEFAULTS.concurrency, 1, 256),
    maxGroupItems: num(o.maxGroupItems, 'notify.maxGroupItems', NOTIFY_DEFAULTS.maxGroupItems, 1, 200),
    store: parseStore(o.store, env),
    allowInsecureWebhooks: bool(o.allowInsecureWebhooks, 'notify.allowInsecureWebhooks', false),
  };
}
