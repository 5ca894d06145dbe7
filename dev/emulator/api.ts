import { csmsSecretsOf, isCsmsPath, showSecretVersion } from './csmsSecrets';
import { isSmnPublishPath, isSmnTopicPath, publishToTopic, showTopic, smnTopicsOf } from './smnTopics';
import { ERRORS } from './errorCodes';
import { PROJECT_ID_PATTERN, type EmulatorState } from './state';
import { ENGINE_QUERY_NAMES, ENGINE_WIRE_NAMES, type DmsTask, type EmulatorInstance } from './types';
import type { OffsetParamName, PagingSettings } from './paging';
import type { SignatureCheck } from './verifySignature';

/** A response before it is written: status and a JSON-serialisable body. */
export interface ApiResponse {
  readonly status: number;
  readonly body: unknown;
  /** Extra response headers (e.g. `Retry-After` on a gateway 429). */
  readonly headers?: Readonly<Record<string, string>>;
}

type ErrorEntry = (typeof ERRORS)[keyof typeof ERRORS];

/** A DMS service error: `{error_code, error_msg}`. */
const dmsError = (e: ErrorEntry, msg: string = e.msg): ApiResponse => ({
  status: e.status,
  body: { error_code: e.code, error_msg: msg },
});

/** An API-gateway error: `{error_code, error_msg, request_id}`. */
export const gatewayError = (e: ErrorEntry, requestId: string, msg: string = e.msg): ApiResponse => ({
  status: e.status,
  body: { error_code: e.code, error_msg: msg, request_id: requestId },
});

const invalid = (what: string): ApiResponse => dmsError(ERRORS.invalidParameter, `Invalid request parameter: ${what}.`);

/** Largest paging value accepted: a 32-bit signed integer, what a Java service parses. */
export const MAX_PAGING_VALUE = 2_147_483_647;

/**
 * `undefined` when absent or empty; `null` when present but not an integer from 0 to
 * `MAX_PAGING_VALUE`. Judged by value: leading zeros are allowed (`050` and `0050` are 50).
 */
function intParam(value: string | undefined): number | undefined | null {
  if (value === undefined || value === '') return undefined;
  return /^\d+$/.test(value) && Number(value) <= MAX_PAGING_VALUE ? Number(value) : null;
}

/** `YYYYMMDDHHmmss` (UTC) to epoch ms; `null` if malformed or not a real date/time. */
export function parseQueryTime(value: string): number | null {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(value);
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  const date = new Date(ms);
  return date.getUTCMonth() === mo - 1 && date.getUTCDate() === d && h < 24 && mi < 60 && s < 60 ? ms : null;
}

function pageWindow(
  query: Readonly<Record<string, string>>,
  paging: PagingSettings,
  params: readonly OffsetParamName[],
  base: 0 | 1,
): { index: number; limit: number } | ApiResponse {
  const limit = intParam(query.limit);
  if (limit === null || limit === 0) return invalid('limit must be an integer of at least 1');
  const name =
    params.includes('offset') && query.offset !== undefined && query.offset !== ''
      ? 'offset'
      : params.includes('start') && query.start !== undefined && query.start !== ''
        ? 'start'
        : undefined;
  const position = name ? intParam(query[name]) : undefined;
  if (position === null) return invalid(`${name} must be a non-negative integer`);
  return {
    index: Math.max(0, (position ?? base) - base),
    limit: Math.min(limit ?? paging.defaultLimit, paging.maxLimit),
  };
}

/**
 * `GET /v2/{project_id}/instances/{instance_id}/tasks`.
 *
 * - Newest first: `created_at` descending, ties by `id` descending.
 * - `begin_time` / `end_time` (`YYYYMMDDHHmmss`, UTC) filter on `created_at`, both inclusive at
 *   second resolution (`end_time=20200623030003` keeps a task created at `03:00:03.471Z`). A
 *   malformed value is 400 `DMS.00400001`; `begin_time` after `end_time` gives an empty page.
 * - Paging: `offset` if given and accepted, else `start` if given and accepted, else the first
 *   task. `offsetBase` 1 (default): `1` is the first task and `0` reads as `1`; with 0, `0` is.
 *   Limit: default `defaultLimit` (10), larger than `maxLimit` (100) silently clamped. A value
 *   that is not an integer from 0 to 2147483647 (leading zeros allowed), or `limit=0`, is 400
 *   `DMS.00400001`.
 * - `task_count` is the number of tasks matching the time filter (the total, not the page size),
 *   as a string; with `taskCount: 'page'`, the number of tasks on this page. An empty value
 *   (`limit=`) counts as absent.
 */
export function listTasks(
  state: EmulatorState,
  paging: PagingSettings,
  projectId: string,
  instanceId: string,
  query: Readonly<Record<string, string>>,
): ApiResponse {
  const located = locate(state, projectId, instanceId);
  if ('status' in located) return located;
  const window = pageWindow(query, paging, paging.acceptedOffsetParams, paging.offsetBase);
  if ('status' in window) return window;
  let begin = Number.NEGATIVE_INFINITY;
  let end = Number.POSITIVE_INFINITY;
  for (const key of ['begin_time', 'end_time'] as const) {
    const raw = query[key];
    if (raw === undefined || raw === '') continue;
    const ms = parseQueryTime(raw);
    if (ms === null) return invalid(`${key} must be YYYYMMDDHHmmss`);
    if (key === 'begin_time') begin = ms;
    else end = ms + 999;
  }
  const matching = located.tasks.filter((t) => {
    const created = Date.parse(t.created_at);
    return created >= begin && created <= end;
  });
  const tasks = matching.slice(window.index, window.index + window.limit);
  const count = paging.taskCount === 'page' ? tasks.length : matching.length;
  return { status: 200, body: { task_count: String(count), tasks } };
}

/**
 * `GET /v2/{project_id}/instances/{instance_id}/tasks/{task_id}`: `{task_count: "1", tasks: [task]}`
 * or 404 `DMS.00404040`.
 */
export function showTask(state: EmulatorState, projectId: string, instanceId: string, taskId: string): ApiResponse {
  const located = locate(state, projectId, instanceId);
  if ('status' in located) return located;
  const task = state.task(projectId, instanceId, taskId);
  if (!task) return dmsError(ERRORS.taskNotFound, `The background task does not exist: ${taskId}.`);
  return { status: 200, body: { task_count: '1', tasks: [task] } };
}

/** An instance as `GET /v2/{project_id}/instances` returns it (RocketMQ's engine is `reliability`). */
export function renderInstance(instance: EmulatorInstance): Record<string, string> {
  return {
    instance_id: instance.instance_id,
    name: instance.name,
    engine: ENGINE_WIRE_NAMES[instance.engine],
    engine_version: instance.engine_version,
    status: instance.status,
    type: instance.type,
    specification: instance.specification,
    created_at: instance.created_at,
  };
}

/**
 * `GET /v2/{project_id}/instances?engine=kafka|reliability|rabbitmq&offset&limit`:
 * `{"instances": [...], "instance_num": N}` with N the total matching the engine filter. Without
 * `engine`, every engine is listed; `rocketmq` is accepted as an alias of `reliability` (newer
 * docs, and the SDK's enum); another value is 400 `DMS.00400001`. `offset` is 0-based
 * whatever `offsetBase` says (that option is about the task list). A well-formed project id the
 * emulator does not know lists no instances (200), as a real project without instances would.
 */
export function listInstances(
  state: EmulatorState,
  paging: PagingSettings,
  projectId: string,
  query: Readonly<Record<string, string>>,
): ApiResponse {
  if (!PROJECT_ID_PATTERN.test(projectId)) return dmsError(ERRORS.invalidProjectId);
  const engine = query.engine;
  const names = (e: EmulatorInstance['engine']): readonly string[] =>
    e === 'rocketmq' ? (paging.rocketmqEngineNames ?? ENGINE_QUERY_NAMES.rocketmq) : ENGINE_QUERY_NAMES[e];
  const accepted: readonly string[] = [...names('kafka'), ...names('rocketmq'), ...names('rabbitmq')];
  if (engine !== undefined && engine !== '' && !accepted.includes(engine))
    return invalid(`engine must be one of ${accepted.join(', ')}`);
  const window = pageWindow(query, paging, ['offset'], 0);
  if ('status' in window) return window;
  const selects = (i: EmulatorInstance): boolean => !engine || names(i.engine).includes(engine);
  const all = (state.instances(projectId) ?? []).filter(selects);
  return {
    status: 200,
    body: {
      instances: all.slice(window.index, window.index + window.limit).map(renderInstance),
      instance_num: all.length,
    },
  };
}

function locate(state: EmulatorState, projectId: string, instanceId: string): { tasks: DmsTask[] } | ApiResponse {
  if (!PROJECT_ID_PATTERN.test(projectId)) return dmsError(ERRORS.invalidProjectId);
  const tasks = state.tasks(projectId, instanceId);
  return tasks ? { tasks } : dmsError(ERRORS.instanceNotFound);
}

/**
 * Routes an API request. Order, as a gateway in front of a service would: unknown path → 404
 * `APIGW.0101`; a method other than GET → 404 `APIGW.0101`; bad signature → 401 `APIGW.0301`; then
 * the DMS handlers, or CSMS's `GET /v1/{project_id}/secrets/{name}/versions/{version}` (`csmsSecrets.ts`),
 * or SMN's `POST /v2/{project_id}/notifications/topics/{topic_urn}/publish` (`smnTopics.ts`; the only POST)
 * and `GET /v2/{project_id}/notifications/topics/{topic_urn}` (topic details).
 */
export function routeApi(
  state: EmulatorState,
  paging: PagingSettings,
  req: {
    method: string;
    segments: readonly string[] | undefined;
    query: Readonly<Record<string, string>>;
    check: SignatureCheck;
    requestId: string;
    /** The request body (SMN's publish reads it). @default '' */
    body?: string;
    /** The gateway's own checks (lockout, rate limit, tenancy): a refusal, or `undefined` to go on. */
    gate?: () => ApiResponse | undefined;
  },
): ApiResponse {
  const s = req.segments;
  const known =
    s !== undefined &&
    s[0] === 'v2' &&
    s[2] === 'instances' &&
    (s.length === 3 || (s[4] === 'tasks' && (s.length === 5 || s.length === 6)));
  const csms = s !== undefined && isCsmsPath(s);
  const smn = s !== undefined && isSmnPublishPath(s);
  const topic = s !== undefined && isSmnTopicPath(s);
  if (!(known || csms || smn || topic) || s === undefined) return gatewayError(ERRORS.apiNotFound, req.requestId);
  if (req.method !== (smn ? 'POST' : 'GET')) return gatewayError(ERRORS.methodNotFound, req.requestId);
  const refused = req.gate?.();
  if (refused) return refused;
  if (!req.check.ok) return gatewayError(ERRORS.authFailed, req.requestId, req.check.message);
  const [, projectId = '', , instanceId = '', , taskId] = s;
  if (topic) return showTopic(smnTopicsOf(state), projectId, s[4] ?? '', req.requestId);
  if (smn) return publishToTopic(smnTopicsOf(state), projectId, s[4] ?? '', req.body ?? '', req.requestId);
  if (csms) return showSecretVersion(csmsSecretsOf(state), projectId, instanceId, taskId ?? '');
  if (s.length === 3) return listInstances(state, paging, projectId, req.query);
  if (taskId === undefined) return listTasks(state, paging, projectId, instanceId, req.query);
  return showTask(state, projectId, instanceId, taskId);
}
