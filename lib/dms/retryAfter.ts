/**
 * Longest wait a `Retry-After` may ask for. A gateway asking more (2,300,100,286 seconds were seen in
 * a test) is not passed on: the client never waits longer, and `retryAfterSeconds` never says more.
 */
export const MAX_RETRY_AFTER_MS = 60_000;

/**
 * Parses a `Retry-After` header (delta-seconds or HTTP-date) into milliseconds from `now`, at most
 * `MAX_RETRY_AFTER_MS`. `undefined` when absent or unparseable; never negative.
 */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  let ms: number;
  if (/^\d+(\.\d+)?$/.test(trimmed)) ms = Math.round(Number(trimmed) * 1000);
  else {
    const at = Date.parse(trimmed);
    if (Number.isNaN(at)) return undefined;
    ms = Math.max(0, at - now);
  }
  return Math.min(ms, MAX_RETRY_AFTER_MS);
}
