import { DmsApiError, DmsError, DmsNetworkError, DmsResponseError, DmsTimeoutError } from '../dms/errors';
import { ERROR_CODES, HEADERS } from './constants';
import { HttpError } from './errors';
import { jsonResponse, type ErrorBody, type HttpResponse } from './response';

/** Retry-After sent on a 429 when upstream gave none (seconds). */
export const DEFAULT_RETRY_AFTER_SECONDS = 1;

export interface ErrorOutcome {
  readonly response: HttpResponse;
  /** Our code, or the upstream one passed through. */
  readonly errorCode: string;
  /** What the log line says about the error: name, status and codes; never an upstream message. */
  readonly logDetail: string;
}

function upstreamCode(code: string): string {
  // Upstream codes are short identifiers; anything else is not echoed.
  return /^[A-Za-z0-9._-]{1,40}$/.test(code) ? code : 'unknown';
}

function upstreamMessage(msg: string, fallback: string): string {
  const clean = msg.replace(/[^\x20-\x7E]/g, ' ').trim();
  return clean === '' || clean.length > 200 ? fallback : clean;
}

/**
 * The one place that turns an error into a response. Below 500 the message is the caller's to read;
 * at 500 and above the body is generic and the detail goes to the log. Upstream errors:
 * 400/404 passed through with the upstream code, 429 as 429 with `Retry-After`, 401/403 (upstream
 * refused *our* credentials) as 502, other failures as 502, timeouts as 504. Upstream messages are
 * passed only for 400/404/429 (upstream's 401 messages can quote the access key).
 */
export function toErrorResponse(err: unknown, requestId: string): ErrorOutcome {
  const body = (code: string, msg: string): ErrorBody => ({ error_code: code, error_msg: msg, request_id: requestId });
  const upstreamHeaders = (e: DmsError): Record<string, string> => (e.requestId ? { [HEADERS.upstreamRequestId]: e.requestId } : {});

  if (err instanceof HttpError) {
    return { response: jsonResponse(err.status, body(err.code, err.message), requestId, { ...err.headers }), errorCode: err.code, logDetail: err.name };
  }
  if (err instanceof DmsApiError) {
    const status = err.status ?? 0;
    const code = upstreamCode(err.errorCode);
    const detail = `DmsApiError ${status} ${code} after ${err.attempts} attempt(s)`;
    const headers = upstreamHeaders(err);
    if (status === 404 || status === 400) {
      const msg = upstreamMessage(err.errorMsg, status === 404 ? 'not found upstream' : 'upstream refused the request');
      return { response: jsonResponse(status, body(code, msg), requestId, headers), errorCode: code, logDetail: detail };
    }
    if (status === 429) {
      const retryAfter = String(Math.max(err.retryAfterSeconds ?? DEFAULT_RETRY_AFTER_SECONDS, 1));
      const msg = upstreamMessage(err.errorMsg, 'upstream throttled the request');
      return { response: jsonResponse(429, body(code, msg), requestId, { ...headers, 'Retry-After': retryAfter }), errorCode: code, logDetail: detail };
    }
    if (status === 401 || status === 403) {
      const msg = `upstream refused this service's cloud credentials (${code}); the operator must check them`;
      return { response: jsonResponse(502, body(ERROR_CODES.upstreamRejectedCredentials, msg), requestId, headers), errorCode: ERROR_CODES.upstreamRejectedCredentials, logDetail: detail };
    }
    const msg = `upstream answered ${status} (${code}) after ${err.attempts} attempt(s)`;
    return { response: jsonResponse(502, body(ERROR_CODES.upstreamError, msg), requestId, headers), errorCode: ERROR_CODES.upstreamError, logDetail: detail };
  }
  if (err instanceof DmsTimeoutError) {
    const msg = err.kind === 'deadline' ? 'upstream did not answer within the time left for this request' : `upstream did not answer in time after ${err.attempts} attempt(s)`;
    return { response: jsonResponse(504, body(ERROR_CODES.upstreamTimeout, msg), requestId, upstreamHeaders(err)), errorCode: ERROR_CODES.upstreamTimeout, logDetail: `DmsTimeoutError ${err.kind} after ${err.attempts} attempt(s)` };
  }
  if (err instanceof DmsResponseError) {
    const msg = `upstream sent a response that is not the documented shape (${err.reason})`;
    return { response: jsonResponse(502, body(ERROR_CODES.upstreamBadResponse, msg), requestId, upstreamHeaders(err)), errorCode: ERROR_CODES.upstreamBadResponse, logDetail: `DmsResponseError ${err.reason} status ${err.status ?? '-'}` };
  }
  if (err instanceof DmsNetworkError || err instanceof DmsError) {
    const msg = `upstream could not be reached after ${err.attempts} attempt(s)`;
    return { response: jsonResponse(502, body(ERROR_CODES.upstreamUnreachable, msg), requestId, upstreamHeaders(err)), errorCode: ERROR_CODES.upstreamUnreachable, logDetail: `${err.name}: ${err.message}` };
  }
  // Configuration problems and bugs: generic to the caller, precise in the log (messages name settings, never values).
  const logDetail = err instanceof Error ? `${err.name}: ${err.message}` : 'non-error thrown';
  return { response: jsonResponse(500, body(ERROR_CODES.internal, 'internal error; see the function log with this request_id'), requestId), errorCode: ERROR_CODES.internal, logDetail };
}
