/** Wire names and limits of the fleet page (README, "The fleet page"). */

/** Every route of the page lives under this path (after an optional gateway stage prefix). */
export const PAGE_BASE = '/ops/v1/fleet';
/** The JSON behind the page (in the OpenAPI document). */
export const FLEET_JSON_PATH = '/ops/v1/fleet.json';

/** The session cookie: HttpOnly, SameSite=Strict, Secure except on loopback. */
export const SESSION_COOKIE = 'dtf_ops_session';
/** How long a session lasts after sign-in (seconds). @default 3600 */
export const DEFAULT_SESSION_SECONDS = 3600;

/** Instances per page of the fleet view. @default 25 */
export const DEFAULT_PAGE_SIZE = 25;
/** Largest page size a caller may ask for. */
export const MAX_PAGE_SIZE = 100;
/** Longest search text. */
export const MAX_QUERY_LENGTH = 100;

/** How long one instance's live listing is reused (milliseconds). @default 30000 */
export const DEFAULT_LIVE_CACHE_MS = 30_000;
/**
 * Instances listed at once for one page view: a default page's calls all in parallel, so a view with a
 * cold listing cache takes about one round trip (the request budget holds them back only after
 * upstream throttled). @default 25 (DEFAULT_PAGE_SIZE)
 */
export const DEFAULT_LIVE_CONCURRENCY = DEFAULT_PAGE_SIZE;
/** Upstream pages read per instance for the 7-day window (100 tasks a page). @default 2 */
export const DEFAULT_LIVE_MAX_PAGES = 2;

/** Seconds between the page's own refreshes. @default 30 */
export const REFRESH_SECONDS = 30;

/** Statuses of a task that is still running. */
export const RUNNING_STATUSES = ['CREATED', 'EXECUTING'] as const;

/** Durations offered by the silence form (minutes). */
export const SILENCE_DURATIONS_MINUTES = [30, 60, 120, 240, 480, 1440, 10080] as const;
/** Longest silence accepted (minutes): 7 days. */
export const MAX_SILENCE_MINUTES = 10080;
/** Longest comment and creator name accepted. */
export const MAX_COMMENT_LENGTH = 500;
export const MAX_CREATOR_LENGTH = 64;
