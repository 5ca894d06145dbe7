import { backoff } from '../core/backoff';
import {
  DmsAbortedError,
  DmsApiError,
  type DmsError,
  DmsNetworkError,
  DmsResponseError,
  DmsTimeoutError,
} from './errors';
import { THROTTLED_ERROR_CODE } from './requestBudget';

/** Retry settings for idempotent GETs. */
export interface RetryOptions {
  /** Total attempts, the first included. @default 3 */
  readonly attempts: number;
  /** Base of the exponential backoff. @default 200 */
  readonly baseDelayMs: number;
  /**
   * Cap of one backoff delay (`Retry-After` is capped apart, at `MAX_RETRY_AFTER_MS`, and by the
   * deadline). @default 5000
   */
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryOptions = { attempts: 3, baseDelayMs: 200, maxDelayMs: 5000 };

/** Statuses worth another attempt: throttling and server-side failures. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 500 || status === 502 || status === 503 || status === 504;
}

/** The delay before attempt `attempt + 1`: `backoff` (full jitter) within these options. */
export function backoffDelay(attempt: number, options: RetryOptions, random: () => number = Math.random): number {
  return backoff(attempt, options.baseDelayMs, options.maxDelayMs, random);
}

/**
 * What a failed attempt was, decided once, in one place. The retry decision, the request budget and
 * the HTTP edge read this rather than the error classes.
 * - `retryable`: no answer (connection refused or reset) or a 500/502/503/504: worth another attempt.
 * - `throttled`: a 429; worth another attempt after `Retry-After`. `accountThrottle` when it is the
 *   gateway's account-wide code `APIGW.0308` (it slows the shared request budget; another 429 may be
 *   a limit of one resource).
 * - `credentials`: 401/403, upstream refused our credentials: the same request fails again.
 * - `client`: any other 4xx (a wrong id, a refused parameter): the same request fails again.
 * - `rejected`: any other non-2xx answer (a 501, a 3xx: redirects are not followed).
 * - `bad-response`: a 2xx whose body is not the documented shape, or over the size cap.
 * - `timeout`: one attempt took longer than its timeout: worth another attempt.
 * - `deadline`: the call's own time is up (its deadline, or no budget token before it): never retried.
 * - `aborted`: the caller's signal aborted: never retried.
 */
export type Failure =
  | { readonly kind: 'throttled'; readonly accountThrottle: boolean; readonly retryAfterMs?: number }
  | { readonly kind: 'retryable'; readonly retryAfterMs?: number }
  | {
      readonly kind: 'credentials' | 'client' | 'rejected' | 'bad-response' | 'timeout' | 'deadline' | 'aborted';
      readonly retryAfterMs?: undefined;
    };

/** The kinds another attempt may fix. */
const RETRIED: ReadonlySet<Failure['kind']> = new Set(['retryable', 'throttled', 'timeout']);

/** Classifies a failed attempt of the DMS client (see {@link Failure}). */
export function classifyFailure(error: DmsError): Failure {
  if (error instanceof DmsAbortedError) return { kind: 'aborted' };
  if (error instanceof DmsTimeoutError) return { kind: error.kind === 'request' ? 'timeout' : 'deadline' };
  if (error instanceof DmsNetworkError) return { kind: 'retryable' };
  if (error instanceof DmsResponseError) return { kind: 'bad-response' };
  if (!(error instanceof DmsApiError)) return { kind: 'rejected' };
  const status = error.status ?? 0;
  const retryAfterMs = error.retryAfterSeconds === undefined ? undefined : error.retryAfterSeconds * 1000;
  if (status === 429)
    return { kind: 'throttled', accountThrottle: error.errorCode === THROTTLED_ERROR_CODE, retryAfterMs };
  if (isRetryableStatus(status)) return { kind: 'retryable', retryAfterMs };
  if (status === 401 || status === 403) return { kind: 'credentials' };
  if (status >= 400 && status < 500) return { kind: 'client' };
  return { kind: 'rejected' };
}

/** Where a call stands when an attempt failed. */
export interface RetryState {
  /** Attempts made so far (1 after the first). */
  readonly attempt: number;
  /** Wall-clock epoch ms by which the call must end. */
  readonly deadline: number;
  /** @default Date.now() */
  readonly now?: number;
}

/**
 * How long to wait before the next attempt, or `undefined` for no retry: a short run of guard
 * clauses (the kind, the attempt limit, then the wait against the deadline). Anything not classified
 * as retryable is not retried.
 */
export function retryDelay(
  failure: Failure,
  state: RetryState,
  options: RetryOptions,
  random: () => number = Math.random,
): number | undefined {
  if (!RETRIED.has(failure.kind)) return undefined;
  if (state.attempt >= options.attempts) return undefined;
  const delayMs = failure.retryAfterMs ?? backoffDelay(state.attempt, options, random);
  if ((state.now ?? Date.now()) + delayMs >= state.deadline) return undefined;
  return delayMs;
}
