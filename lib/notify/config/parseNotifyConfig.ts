import { NAME_PATTERN, TABLE_NAME_PATTERN } from '../../config/constants';
import { ConfigError } from '../../config/errors';
import { GLOB_LIMITS, globProblem } from '../../core/glob';
import {
  onlyKeys,
  readBoolean,
  readGlobList,
  readMember,
  readMemberList,
  readNumber,
  readObject,
  readOptionalObject,
  readSecretRef,
  readSecretRefList,
  readString,
  readStringList,
} from '../../config/readers';
import type { AppConfig, SecretRef } from '../../config/types';
import type { RedisTlsConfig } from '../../state/createStore';
import { DESTINATION_DEFAULTS, NOTIFY_DEFAULTS, PAGERDUTY_DEFAULT_SEVERITY } from '../constants';
import { parseSilence } from '../silences/parseSilence';
import { isTimeZone, parseClock, type QuietWindow, WEEKDAYS } from '../deliver/quietHours';
import type { Silence } from '../silences/silences';
import {
  DESTINATION_TYPES,
  EVENT_KINDS,
  PAGERDUTY_SEVERITIES,
  type DestinationConfig,
  type EventKind,
  type PagerDutySeverity,
  type Filter,
  type NotifyConfig,
  type RouteConfig,
  type StoreConfig,
} from '../types';

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
    'maxAgeHours',
    'concurrency',
    'maxGroupItems',
    'store',
    'allowInsecureWebhooks',
  ],
  destination: [
    'type',
    'url',
    'secret',
    'secrets',
    'ratePerMinute',
    'maxBodyBytes',
    'timeoutMs',
    'topicUrn',
    'endpoint',
    'routingKey',
    'severity',
  ],
  route: ['destinations', 'filter', 'quietHours'],
  quietWindow: ['start', 'end', 'timeZone', 'days'],
  filter: ['tasks', 'instances', 'events'],
  stuckAfter: ['default', 'tasks'],
} as const;

function readClock(v: unknown, path: string): number {
  const minutes = parseClock(readString(v, path));
  if (minutes === undefined) throw new ConfigError(path, 'must be a time of day HH:MM (00:00 to 24:00)');
  return minutes;
}

/** A route's `quietHours`: `[{"start": "22:00", "end": "07:00", "timeZone": "Asia/Shanghai", "days"?: [...]}]`. */
function parseQuietHours(v: unknown, path: string): QuietWindow[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw new ConfigError(path, 'must be an array of windows');
  return v.map((w, i) => {
    const at = `${path}[${i}]`;
    const o = readObject(w, at);
    onlyKeys(o, at, NOTIFY_KEYS.quietWindow);
    const start = readClock(o.start, `${at}.start`);
    const end = readClock(o.end, `${at}.end`);
    const timeZone = readString(o.timeZone, `${at}.timeZone`);
    if (!isTimeZone(timeZone)) throw new ConfigError(`${at}.timeZone`, `"${timeZone}" is not an IANA time zone`);
    const days = readMemberList(o.days, `${at}.days`, WEEKDAYS, []);
    const wholeDay = start === end || (start === 0 && end === 24 * 60);
    if (wholeDay && (days.length === 0 || WEEKDAYS.every((d) => days.includes(d)))) {
      throw new ConfigError(`${at}.end`, 'a whole-day window on every day would hold notifications forever');
    }
    return { start, end, timeZone, days };
  });
}

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

function parseFilter(v: unknown, path: string): Filter {
  const o = readOptionalObject(v, path);
  onlyKeys(o, path, NOTIFY_KEYS.filter);
  const side = (s: unknown, p: string): { include: string[]; exclude: string[] } => {
    const so = readOptionalObject(s, p);
    onlyKeys(so, p, ['include', 'exclude']);
    return { include: readGlobList(so.include, `${p}.include`), exclude: readGlobList(so.exclude, `${p}.exclude`) };
  };
  const tasks = side(o.tasks, `${path}.tasks`);
  const instances = side(o.instances, `${path}.instances`);
  return {
    tasksInclude: tasks.include,
    tasksExclude: tasks.exclude,
    instancesInclude: instances.include,
    instancesExclude: instances.exclude,
    events: readMemberList(o.events, `${path}.events`, EVENT_KINDS, EVENT_KINDS),
  };
}

function parseDestination(id: string, v: unknown, path: string): DestinationConfig {
  if (!NAME_PATTERN.test(id)) throw new ConfigError(path, `destination id "${id}" must match ${NAME_PATTERN}`);
  const o = readObject(v, path);
  onlyKeys(o, path, NOTIFY_KEYS.destination);
  const type = readMember(o.type, `${path}.type`, DESTINATION_TYPES);
  const d = DESTINATION_DEFAULTS[type];
  const limits = {
    ratePerMinute: readNumber(o.ratePerMinute, `${path}.ratePerMinute`, d.ratePerMinute, { min: 1, max: 6000 }),
    maxBodyBytes: readNumber(o.maxBodyBytes, `${path}.maxBodyBytes`, d.maxBodyBytes, { min: 1024, max: 1024 * 1024 }),
    timeoutMs: readNumber(o.timeoutMs, `${path}.timeoutMs`, NOTIFY_DEFAULTS.postTimeoutMs, { min: 100, max: 60_000 }),
  };
  if (type === 'smn' || type === 'pagerduty') return { id, type, ...parseApiDestination(type, o, path), ...limits };
  for (const k of ['topicUrn', 'endpoint', 'routingKey', 'severity'] as const) {
    if (o[k] !== undefined) throw new ConfigError(`${path}.${k}`, `is for smn or pagerduty, not ${type}`);
  }
  if (o.url === undefined) {
    throw new ConfigError(`${path}.url`, 'is required (a secret reference: {"env": "NAME"} or {"ssm": "/name"})');
  }
  const url = readSecretRef(o.url, `${path}.url`);
  if (o.secret !== undefined && o.secrets !== undefined) {
    throw new ConfigError(`${path}.secrets`, 'give "secret" or "secrets", not both');
  }
  const secrets: SecretRef[] =
    o.secret === undefined
      ? readSecretRefList(o.secrets, `${path}.secrets`)
      : [readSecretRef(o.secret, `${path}.secret`)];
  if (type === 'webhook' && secrets.length === 0) {
    throw new ConfigError(`${path}.secrets`, 'a webhook destination needs at least one signing secret (whsec_...)');
  }
  if ((type === 'feishu' || type === 'dingtalk') && secrets.length > 1) {
    throw new ConfigError(`${path}.secrets`, `${type} takes exactly one signing secret`);
  }
  if ((type === 'slack' || type === 'teams' || type === 'wecom') && secrets.length > 0) {
    throw new ConfigError(`${path}.secret`, `${type} is not signed: its URL is the secret`);
  }
  return { id, type, url, secrets, ...limits };
}

/** An http(s) URL the API paths are appended to (a path prefix allowed; no query, no user info). */
function readBaseUrl(v: unknown, path: string): string {
  const s = readString(v, path);
  let url: URL | undefined;
  try {
    url = new URL(s);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:'))
    throw new ConfigError(path, 'must be an http(s) URL');
  if (url.search || url.hash || url.username || url.password)
    throw new ConfigError(path, 'takes no query, fragment or user info');
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/** `urn:smn:{region}:{project_id}:{topic name}`, the form SMN's documentation gives. */
export const SMN_TOPIC_URN = /^urn:smn:[a-z0-9-]+:[0-9a-f]{32}:[A-Za-z0-9][A-Za-z0-9_-]{0,254}$/;

/** The settings of an `smn` or `pagerduty` destination (reached at an endpoint, not a secret URL). */
function parseApiDestination(
  type: 'smn' | 'pagerduty',
  o: Record<string, unknown>,
  path: string,
): Pick<DestinationConfig, 'endpoint' | 'topicUrn' | 'secrets' | 'severity'> {
  for (const k of ['url', 'secret', 'secrets'] as const) {
    if (o[k] !== undefined) {
      const what = type === 'smn' ? 'it publishes with the DMS credentials' : 'its routing key is "routingKey"';
      throw new ConfigError(`${path}.${k}`, `is not for ${type}: ${what}`);
    }
  }
  const endpoint = o.endpoint === undefined ? {} : { endpoint: readBaseUrl(o.endpoint, `${path}.endpoint`) };
  if (type === 'smn') {
    for (const k of ['routingKey', 'severity'] as const)
      if (o[k] !== undefined) throw new ConfigError(`${path}.${k}`, 'is for pagerduty, not smn');
    if (o.topicUrn === undefined)
      throw new ConfigError(`${path}.topicUrn`, 'is required (urn:smn:region:project:name)');
    return { topicUrn: readString(o.topicUrn, `${path}.topicUrn`, SMN_TOPIC_URN), secrets: [], ...endpoint };
  }
  if (o.topicUrn !== undefined) throw new ConfigError(`${path}.topicUrn`, 'is for smn, not pagerduty');
  if (o.routingKey === undefined) {
    throw new ConfigError(
      `${path}.routingKey`,
      'is required (a secret reference: {"env": "NAME"} or {"ssm": "/name"})',
    );
  }
  const routingKey = readSecretRef(o.routingKey, `${path}.routingKey`);
  const raw = readOptionalObject(o.severity, `${path}.severity`);
  onlyKeys(raw, `${path}.severity`, EVENT_KINDS);
  const severity = Object.fromEntries(
    EVENT_KINDS.map((k) => [
      k,
      raw[k] === undefined
        ? PAGERDUTY_DEFAULT_SEVERITY[k]
        : readMember(raw[k], `${path}.severity.${k}`, PAGERDUTY_SEVERITIES),
    ]),
  ) as Record<EventKind, PagerDutySeverity>;
  return { secrets: [routingKey], severity, ...endpoint };
}

/** Settings of a Redis store (the JSON Schema's test compares its own with these). */
export const REDIS_STORE_KEYS = [
  'type',
  'url',
  'host',
  'port',
  'db',
  'username',
  'password',
  'tls',
  'keyPrefix',
] as const;
const REDIS_TLS_KEYS = ['ca', 'servername', 'rejectUnauthorized'] as const;

/** Host, port, database and TLS from `redis://host:port/db` or `rediss://` (TLS); no credentials in it. */
function parseRedisUrl(v: unknown, path: string): { host: string; port?: number; db?: number; tls: boolean } {
  const text = readString(v, path);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ConfigError(path, 'must be a URL such as redis://host:6379 or rediss://host:6379');
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw new ConfigError(path, 'must start with redis:// or rediss:// (TLS)');
  }
  if (url.username || url.password) {
    throw new ConfigError(path, 'must not hold credentials: give "username" and "password" (a secret reference)');
  }
  if (url.search || url.hash) throw new ConfigError(path, 'takes no query or fragment');
  const db = url.pathname.replace(/^\//, '');
  if (db !== '' && !/^\d{1,2}$/.test(db)) throw new ConfigError(path, 'the path is the database number (0-15)');
  return {
    host: url.hostname.replace(/^\[|\]$/g, ''),
    ...(url.port ? { port: Number(url.port) } : {}),
    ...(db !== '' ? { db: Number(db) } : {}),
    tls: url.protocol === 'rediss:',
  };
}

function parseRedisTls(v: unknown, path: string): boolean | RedisTlsConfig | undefined {
  if (v === undefined || typeof v === 'boolean') return v;
  const o = readObject(v, path);
  onlyKeys(o, path, REDIS_TLS_KEYS);
  return {
    ...(o.ca !== undefined ? { ca: readSecretRef(o.ca, `${path}.ca`) } : {}),
    ...(o.servername !== undefined ? { servername: readString(o.servername, `${path}.servername`) } : {}),
    ...(o.rejectUnauthorized !== undefined
      ? { rejectUnauthorized: readBoolean(o.rejectUnauthorized, `${path}.rejectUnauthorized`, true) }
      : {}),
  };
}

/** `{"type": "redis", "url" or "host"/"port", "password"?, "tls"?, ...}`: see README, "State store". */
function parseRedisStore(o: Record<string, unknown>): StoreConfig {
  const path = 'notify.store';
  onlyKeys(o, path, REDIS_STORE_KEYS);
  if (o.url !== undefined && (o.host !== undefined || o.port !== undefined || o.db !== undefined)) {
    throw new ConfigError(`${path}.url`, 'give "url" or "host"/"port"/"db", not both');
  }
  if (o.url === undefined && o.host === undefined) {
    throw new ConfigError(`${path}.host`, 'is required (or give "url": "redis://host:6379")');
  }
  const fromUrl = o.url !== undefined ? parseRedisUrl(o.url, `${path}.url`) : undefined;
  const host = fromUrl?.host ?? readString(o.host, `${path}.host`);
  const port = fromUrl
    ? fromUrl.port
    : o.port === undefined
      ? undefined
      : readNumber(o.port, `${path}.port`, 6379, {
          min: 1,
          max: 65535,
        });
  const db = fromUrl
    ? fromUrl.db
    : o.db === undefined
      ? undefined
      : readNumber(o.db, `${path}.db`, 0, {
          min: 0,
          max: 15,
        });
  const tlsSetting = parseRedisTls(o.tls, `${path}.tls`);
  if (fromUrl?.tls && tlsSetting === false) throw new ConfigError(`${path}.tls`, 'is false but the URL is rediss://');
  const tls = tlsSetting ?? (fromUrl?.tls ? true : undefined);
  return {
    type: 'redis',
    host,
    ...(port !== undefined ? { port } : {}),
    ...(db !== undefined ? { db } : {}),
    ...(o.username !== undefined ? { username: readString(o.username, `${path}.username`) } : {}),
    ...(o.password !== undefined ? { password: readSecretRef(o.password, `${path}.password`) } : {}),
    ...(tls !== undefined ? { tls } : {}),
    ...(o.keyPrefix !== undefined ? { keyPrefix: readString(o.keyPrefix, `${path}.keyPrefix`, /^[!-~]{1,64}$/) } : {}),
  };
}

function parseStore(v: unknown, env: NodeJS.ProcessEnv): StoreConfig {
  if (v === undefined) {
    const table = env.NOTIFY_TABLE;
    return table ? { type: 'dynamodb', table } : { type: 'file', path: NOTIFY_DEFAULTS.filePath };
  }
  const o = readObject(v, 'notify.store');
  const type = readMember(
    o.type,
    'notify.store.type',
    ['file', 'dynamodb', 'redis'],
    'must be "file", "dynamodb" or "redis"',
  );
  if (type === 'redis') return parseRedisStore(o);
  if (type === 'file') {
    onlyKeys(o, 'notify.store', ['type', 'path']);
    return { type, path: o.path === undefined ? NOTIFY_DEFAULTS.filePath : readString(o.path, 'notify.store.path') };
  }
  onlyKeys(o, 'notify.store', ['type', 'table', 'endpoint']);
  const table =
    o.table === undefined ? env.NOTIFY_TABLE : readString(o.table, 'notify.store.table', TABLE_NAME_PATTERN);
  if (!table) throw new ConfigError('notify.store.table', 'is required (or set NOTIFY_TABLE)');
  if (o.endpoint === undefined) return { type, table };
  return { type, table, endpoint: readString(o.endpoint, 'notify.store.endpoint') };
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
 * `parseConfig` (inside `loadConfig`); `http` belongs to the HTTP functions and is not read here.
 *
 * @example
 * const notify = parseNotifyConfig(loadConfig());
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
    maxAgeHours: numberAt('maxAgeHours', NOTIFY_DEFAULTS.maxAgeHours, 0.01, 24 * 30, false),
    concurrency: numberAt('concurrency', NOTIFY_DEFAULTS.concurrency, 1, 256),
    maxGroupItems: numberAt('maxGroupItems', NOTIFY_DEFAULTS.maxGroupItems, 1, 200),
    store: parseStore(o.store, env),
    allowInsecureWebhooks: readBoolean(o.allowInsecureWebhooks, 'notify.allowInsecureWebhooks', false),
  };
}
