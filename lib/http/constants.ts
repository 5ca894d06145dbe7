import * as HEADERS from './headers';
import * as ERROR_CODES from './errorCodes';

/**
 * Wire names and limits of the HTTP functions. The error codes and added response headers live in
 * `errorCodes.ts` and `headers.ts` (one constant each, so a bundle ships only those it uses) and are
 * re-exported here as `ERROR_CODES` and `HEADERS`.
 */

/** The two routes, as logged (`route` in the request log line). */
export const LIST_ROUTE = 'GET /v2/{project_id}/instances/{instance_id}/tasks';
export const SHOW_ROUTE = 'GET /v2/{project_id}/instances/{instance_id}/tasks/{task_id}';
export const ROUTES = { list: LIST_ROUTE, show: SHOW_ROUTE } as const;
export type RouteName = keyof typeof ROUTES;

/**
 * `limit` accepted from callers: 1 to 100, what upstream is known to accept (Huawei's RocketMQ data
 * source sends 100), and `start`/`offset` at most 2147483647 (a 32-bit signed integer, what
 * upstream's Java services parse; the emulator accepts the same).
 */
export { LIMIT_RANGE, MAX_OFFSET } from '../dms/types';

/** Longest upstream `Retry-After` passed on to a caller (seconds); the client never waits longer either. */
export const MAX_RETRY_AFTER_SECONDS = 60;

/** Pages `all=true` follows before it stops and says so. @default 20 (2000 tasks at the page size 100) */
export const DEFAULT_ALL_MAX_PAGES = 20;

/** Time left for answering after the upstream deadline (the Lambda's remaining time minus this). */
export const DEADLINE_MARGIN_MS = 1_000;

/** Query parameters each route accepts; anything else is a 400 naming it. */
export const LIST_QUERY_PARAMS = ['start', 'offset', 'limit', 'begin_time', 'end_time', 'all'] as const;
export const SHOW_QUERY_PARAMS = [] as const;

/** Response headers this project adds (see `headers.ts`; modules of this package import that file directly). */
export { HEADERS };

/** Our error codes, by name (see `errorCodes.ts`; modules of this package import that file directly). */
export { ERROR_CODES };

export type ErrorCode = (typeof ERROR_CODES)[keyof typeof ERROR_CODES];

/** `WWW-Authenticate` realm. */
export const AUTH_REALM = 'dms-task-functions';
