/**
 * Wire names and limits of the HTTP functions. Error codes follow the upstream format
 * (`{namespace}.{5-digit status}{3-digit number}`, like `DMS.00404022`) in our own namespace `DTF`,
 * so a client can tell our answers from upstream ones at a glance.
 */

/** The two routes, as logged (`route` in the request log line). */
export const LIST_ROUTE = 'GET /v2/{project_id}/instances/{instance_id}/tasks';
export const SHOW_ROUTE = 'GET /v2/{project_id}/instances/{instance_id}/tasks/{task_id}';
export const ROUTES = { list: LIST_ROUTE, show: SHOW_ROUTE } as const;
export type RouteName = keyof typeof ROUTES;

/** `limit` accepted from callers: 1 to 50 (the pager never asks upstream for more than 50). */
export const LIMIT_RANGE = { min: 1, max: 50 } as const;

/** Largest `start`/`offset` accepted (a 32-bit signed integer, what upstream's Java services parse). */
export const MAX_OFFSET = 2_147_483_647;

/** Pages `all=true` follows before it stops and says so. @default 20 (1000 tasks at limit 50) */
export const DEFAULT_ALL_MAX_PAGES = 20;

/** Page size `all=true` asks upstream for when the caller gave no `limit`. */
export const ALL_PAGE_SIZE = 50;

/** Time left for answering after the upstream deadline (the Lambda's remaining time minus this). */
export const DEADLINE_MARGIN_MS = 1_000;

/** Query parameters each route accepts; anything else is a 400 naming it. */
export const LIST_QUERY_PARAMS = ['start', 'offset', 'limit', 'begin_time', 'end_time', 'all'] as const;
export const SHOW_QUERY_PARAMS = [] as const;

/** Response headers this project adds (the body stays the upstream shape, field for field). */
export const HEADERS = {
  /** Upstream `X-Request-Id`, passed back unchanged (a comma-separated list when `all=true` fetched several pages). */
  upstreamRequestId: 'X-Request-Id',
  /** Our own request id: the API Gateway / FunctionGraph request id, else the Lambda request id. Always sent. */
  requestId: 'X-Dtf-Request-Id',
  /** Offset of the next page, when there may be one (RFC 8288 `Link: <...>; rel="next"` carries the same). */
  nextOffset: 'X-Next-Offset',
  /** `all=true`: how many upstream pages were read. */
  pages: 'X-Dtf-Pages',
  /** `all=true`: `true` when the page bound cut the walk short (then `Link`/`X-Next-Offset` say where to go on). */
  truncated: 'X-Dtf-Truncated',
} as const;

export const ERROR_CODES = {
  // 400: validation, before any upstream call
  invalidProjectId: 'DTF.00400001',
  invalidInstanceId: 'DTF.00400002',
  invalidTaskId: 'DTF.00400003',
  invalidOffset: 'DTF.00400010',
  conflictingOffset: 'DTF.00400011',
  invalidLimit: 'DTF.00400012',
  invalidBeginTime: 'DTF.00400013',
  invalidEndTime: 'DTF.00400014',
  timeRangeInverted: 'DTF.00400015',
  invalidAll: 'DTF.00400016',
  unknownParameter: 'DTF.00400017',
  repeatedParameter: 'DTF.00400018',
  unrecognisedEvent: 'DTF.00400099',
  // 401
  missingToken: 'DTF.00401001',
  invalidToken: 'DTF.00401002',
  // 404 / 405
  routeNotFound: 'DTF.00404000',
  projectNotConfigured: 'DTF.00404001',
  instanceNotAllowed: 'DTF.00404002',
  methodNotAllowed: 'DTF.00405000',
  // 5xx
  internal: 'DTF.00500000',
  upstreamError: 'DTF.00502001',
  upstreamBadResponse: 'DTF.00502002',
  upstreamUnreachable: 'DTF.00502003',
  upstreamRejectedCredentials: 'DTF.00502004',
  upstreamTimeout: 'DTF.00504001',
} as const;

export type ErrorCode = (typeof ERROR_CODES)[keyof typeof ERROR_CODES];

/** `WWW-Authenticate` realm. */
export const AUTH_REALM = 'dms-task-functions';
