/**
 * Exponential backoff with full jitter: a random delay in [0, min(capMs, baseMs * 2^(attempt-1))).
 * `attempt` counts from 1 (the delay after the first failure); below 1 it is taken as 1.
 */
export function backoff(attempt: number, baseMs: number, capMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}
