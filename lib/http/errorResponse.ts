import { DmsApiError, DmsError, DmsResponseError, DmsThrottledError, DmsTimeoutError } from '../dms/errors';
import { boundedText, plainText } from '../dms/parseBodies';
import { MAX_RETRY_AFTER_SECONDS } from './constants';
import * as ERROR_CODES from './errorCodes';
import * as HEADERS from './headers';
import { HttpError } from './errors';
import { jsonResponse, type ErrorBody, type HttpResponse } from './response';

/** Retry-After sent on a 429 when upstream gave none (seconds). */
export const DEFAULT_RETRY_AFTER_SECONDS = 1;

/**
 * An error as its parts, before it is rendered: the edge renders them as JSON (`errorJson`) or a
 * route renders them its own way (the fleet page's HTML), never by parsing a rendered body back.
 */
export interface ErrorParts {
  readonly status: number;
  /** Our code, or the upstream one passed through. */
  readonly code: string;
  /** The message for the caller (generic at 500 and above). */
  readonly message: string;
  /** Extra response headers: `Allow`, `WWW-Authenticate`, `Retry-After`, upstream's request id. */
  readonly headers: Readonly<Record<string, string>>;
  /** Upstream's `X-Request-Id`, when upstream answered (passed back, and logged). */
  readonly upstreamRequestIds: readonly string[];
  /** What the log line says about the error: name, status and codes; never an upstream message. */
  readonly logDetail: string;
}

function upstreamCode(code: string): string {
  // Upstream codes are short identifiers; anything else is not echoed.
  return /^[A-Za-z0-9._-]{1,40}$/.test(code) ? code : 'unknown';
}

/** Longest upstream message passed to a caller. */
export const MAX_UPSTREAM_MESSAGE_LENGTH = 200;

/** Shortest caller id worth checking for: shorter than any secret the redaction knows (8). */
const MIN_ECHO_LENGTH = 8;

/**
 * Upstream's message, as plain text of at most 200 characters, unless it mentions one of the
 * caller's ids (upstream echoes a task id) or a credential the client scrubbed: then `fallback`.
 * Passing on an echo would let a caller confirm a guessed secret (redacted when right, shown when
 * wrong); this way a right and a wrong guess get the same answer.
 */
function upstreamMessage(msg: string, fallback: string, callerIds: readonly string[]): string {
  const clean = plainText(msg);
  const echoes = callerIds.some((id) => id.length >= MIN_ECHO_LENGTH && clean.includes(id));
  if (clean === '' || echoes || clean.toLowerCase().includes('[redacted]')) return fallback;
  return boundedText(clean, MAX_UPSTREAM_MESSAGE_LENGTH);
}

/** Upstream's `Retry-After` (seconds, capped), else the default. */
function retryAfterOf(err: DmsApiError): string {
  const seconds = err.retryAfterSeconds ?? DEFAULT_RETRY_AFTER_SECONDS;
  return String(Math.min(Math.max(Math.ceil(seconds), 1), MAX_RETRY_AFTER_SECONDS));
}

/** Upstream's error answered by us: DMS 4xx/5xx, throttling, timeouts, bad bodies, network failures. */
function fromDmsError(
  err: DmsError,
  callerIds: readonly string[],
): [status: number, code: string, message: string, logDetail: string, retryAfter?: string] {
  if (err instanceof DmsApiError) {
    const status = err.status ?? 0;
    const code = upstreamCode(err.errorCode);
    const detail = `DmsApiError ${status} ${code} after ${err.attempts} attempt(s)`;
    if (status === 404 || status === 400)
      return [
        status,
        code,
        upstreamMessage(
          err.errorMsg,
          status === 404 ? 'not found upstream' : 'upstream refused the request',
          callerIds,
        ),
        detail,
      ];
    if (status === 429)
      return [
        429,
        code,
        upstreamMessage(err.errorMsg, 'upstream throttled the request', callerIds),
        detail,
        retryAfterOf(err),
      ];
    if (status === 401 || status === 403)
      return [
        502,
        ERROR_CODES.upstreamRejectedCredentials,
        `upstream refused this service's cloud credentials (${code}); the operator must check them`,
        detail,
      ];
    return [
      502,
      ERROR_CODES.upstreamError,
      `upstream answered ${status} (${code}) after ${err.attempts} attempt(s)`,
      detail,
    ];
  }
  if (err instanceof DmsThrottledError) {
    // No call was made: upstream throttled this account a moment ago and the shared budget holds
    // every call until its `Retry-After` ends. The caller hears that, with the time still to wait
    // (issue 20 item 6: this was a 504 "did not answer" for up to 60 s).
    const seconds = String(Math.min(err.retryAfterSeconds, MAX_RETRY_AFTER_SECONDS));
    return [
      429,
      ERROR_CODES.throttledHere,
      `upstream throttled this service's account; retry after ${seconds} s (no upstream call was made)`,
      `DmsThrottledError retry after ${err.retryAfterMs} ms, ${err.attempts} attempt(s)`,
      seconds,
    ];
  }
  if (err instanceof DmsTimeoutError) {
    const msg =
      err.kind === 'deadline'
        ? 'upstream did not answer within the time left for this request'
        : `upstream did not answer in time after ${err.attempts} attempt(s)`;
    return [504, ERROR_CODES.upstreamTimeout, msg, `DmsTimeoutError ${err.kind} after ${err.attempts} attempt(s)`];
  }
  if (err instanceof DmsResponseError) {
    return [
      502,
      ERROR_CODES.upstreamBadResponse,
      `upstream sent a response that is not the documented shape (${err.reason})`,
      `DmsResponseError ${err.reason} status ${err.status ?? '-'}`,
    ];
  }
  // DmsNetworkError, or an aborted call.
  return [
    502,
    ERROR_CODES.upstreamUnreachable,
    `upstream could not be reached after ${err.attempts} attempt(s)`,
    `${err.name}: ${err.message}`,
  ];
}

/**
 * The one place that turns an error into its parts. Below 500 the message is the caller's to read;
 * at 500 and above it is generic and the detail goes to the log. Upstream errors:
 * 400/404 passed through with the upstream code, 429 as 429 with `Retry-After` (and, while the shared
 * request budget still holds calls after a throttle, 429 with the remaining wait), 401/403 (upstream
 * refused *our* credentials) as 502, other failures as 502, timeouts as 504. Upstream messages are
 * passed only for 400/404/429 (upstream's 401 messages can quote the access key), as plain text,
 * never one that mentions `callerIds` (the request's ids); a `Retry-After` at most 60 s.
 */
export function describeError(err: unknown, callerIds: readonly string[] = []): ErrorParts {
  if (err instanceof HttpError)
    return {
      status: err.status,
      code: err.code,
      message: err.message,
      headers: { ...err.headers },
      upstreamRequestIds: [],
      logDetail: err.name,
    };
  if (err instanceof DmsError) {
    const [status, code, message, logDetail, retryAfter] = fromDmsError(err, callerIds);
    const headers: Record<string, string> = err.requestId ? { [HEADERS.upstreamRequestId]: err.requestId } : {};
    if (retryAfter) headers['Retry-After'] = retryAfter;
    return { status, code, message, headers, upstreamRequestIds: err.requestId ? [err.requestId] : [], logDetail };
  }
  // Configuration problems and bugs: generic to the caller, precise in the log (messages name settings, never values).
  return {
    status: 500,
    code: ERROR_CODES.internal,
    message: 'internal error; see the function log with this request_id',
    headers: {},
    upstreamRequestIds: [],
    logDetail: err instanceof Error ? `${err.name}: ${err.message}` : 'non-error thrown',
  };
}

/** The JSON error answer: upstream's error shape plus our request id, and the parts' headers. */
export function errorJson(parts: ErrorParts, requestId: string): HttpResponse {
  const body: ErrorBody = { error_code: parts.code, error_msg: parts.message, request_id: requestId };
  return jsonResponse(parts.status, body, requestId, { ...parts.headers });
}
