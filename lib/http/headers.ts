/**
 * Response headers this project adds (the body stays the upstream shape, field for field). Used as
 * `HEADERS.name` through `import * as HEADERS`, like `ERROR_CODES` (see `errorCodes.ts`).
 */

/** Upstream `X-Request-Id`, passed back unchanged (a comma-separated list when `all=true` fetched several pages). */
export const upstreamRequestId = 'X-Request-Id';
/**
 * Our own request id: the Lambda request id, else the gateway's (FunctionGraph has no Lambda id), else
 * a fresh UUID. Always sent, always a string.
 */
export const requestId = 'X-Dtf-Request-Id';
/** Offset of the next page, when there may be one (RFC 8288 `Link: <...>; rel="next"` carries the same). */
export const nextOffset = 'X-Next-Offset';
/** `all=true`: how many upstream pages were read. */
export const pages = 'X-Dtf-Pages';
/** `all=true`: `true` when the page bound cut the walk short (then `Link`/`X-Next-Offset` say where to go on). */
export const truncated = 'X-Dtf-Truncated';
