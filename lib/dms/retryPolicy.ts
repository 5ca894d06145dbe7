import { backoff } from '../core/backoff';

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
