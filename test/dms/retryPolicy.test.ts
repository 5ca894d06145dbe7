import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY, backoffDelay, isRetryableStatus, parseRetryAfter } from '../../lib/dms';

describe('retry policy', () => {
  it('retries 429 and 5xx gateway-ish statuses only', () => {
    expect([429, 500, 502, 503, 504].every(isRetryableStatus)).toBe(true);
    expect([400, 401, 403, 404, 409, 410, 501].some(isRetryableStatus)).toBe(false);
  });

  it('full jitter stays within the exponential ceiling and the cap', () => {
    expect(backoffDelay(1, DEFAULT_RETRY, () => 0.999)).toBe(199);
    expect(backoffDelay(3, DEFAULT_RETRY, () => 0.5)).toBe(400);
    expect(backoffDelay(20, DEFAULT_RETRY, () => 0.999)).toBe(4995);
    expect(backoffDelay(2, DEFAULT_RETRY, () => 0)).toBe(0);
  });

  it('parses Retry-After as seconds or an HTTP date', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    expect(parseRetryAfter('0.5')).toBe(500);
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:10 GMT', now)).toBe(10_000);
    expect(parseRetryAfter('Wed, 31 Dec 2025 00:00:10 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(null)).toBeUndefined();
  });
});
