import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RETRY,
  DmsAbortedError,
  DmsApiError,
  type DmsError,
  DmsNetworkError,
  DmsResponseError,
  DmsThrottledError,
  DmsTimeoutError,
  backoffDelay,
  classifyFailure,
  isRetryableStatus,
  parseRetryAfter,
  retryDelay,
  type Failure,
} from '../../lib/dms';

const api = (status: number, errorCode = 'DMS.1', retryAfterSeconds?: number): DmsApiError =>
  new DmsApiError({ status, errorCode, errorMsg: 'm', retryAfterSeconds });

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

  it.each<[string, DmsError, Failure]>([
    ['a 429 APIGW.0308', api(429, 'APIGW.0308', 3), { kind: 'throttled', accountThrottle: true, retryAfterMs: 3000 }],
    ['another 429', api(429, 'DMS.00400429'), { kind: 'throttled', accountThrottle: false, retryAfterMs: undefined }],
    ['a 503 with Retry-After', api(503, 'X', 2), { kind: 'retryable', retryAfterMs: 2000 }],
    ['a 500', api(500), { kind: 'retryable', retryAfterMs: undefined }],
    ['a 401', api(401), { kind: 'credentials' }],
    ['a 403', api(403), { kind: 'credentials' }],
    ['a 404', api(404), { kind: 'client' }],
    ['a 400', api(400), { kind: 'client' }],
    ['a 501', api(501), { kind: 'rejected' }],
    ['a 302', api(302), { kind: 'rejected' }],
    ['a connection reset', new DmsNetworkError('reset'), { kind: 'retryable' }],
    ['a body not JSON', new DmsResponseError('not-json', 'x'), { kind: 'bad-response' }],
    ['an attempt timeout', new DmsTimeoutError('request', 'x'), { kind: 'timeout' }],
    ['the call deadline', new DmsTimeoutError('deadline', 'x'), { kind: 'deadline' }],
    ['a throttle pause past the deadline', new DmsThrottledError(4000), { kind: 'deadline' }],
    ["the caller's abort", new DmsAbortedError(), { kind: 'aborted' }],
  ])('classifies %s once', (_, error, expected) => {
    expect(classifyFailure(error)).toEqual(expected);
  });

  it('retries only retryable kinds, within the attempts and the deadline', () => {
    const state = { attempt: 1, deadline: 10_000, now: 0 };
    const half = () => 0.5;
    expect(retryDelay({ kind: 'retryable' }, state, DEFAULT_RETRY, half)).toBe(100);
    expect(retryDelay({ kind: 'timeout' }, { ...state, attempt: 2 }, DEFAULT_RETRY, half)).toBe(200);
    expect(retryDelay({ kind: 'throttled', accountThrottle: true, retryAfterMs: 7000 }, state, DEFAULT_RETRY)).toBe(
      7000,
    );
    // The wait would pass the deadline; the last attempt was made; not a kind another attempt fixes.
    expect(retryDelay({ kind: 'retryable', retryAfterMs: 10_000 }, state, DEFAULT_RETRY)).toBeUndefined();
    expect(retryDelay({ kind: 'retryable' }, { ...state, attempt: 3 }, DEFAULT_RETRY)).toBeUndefined();
    for (const kind of ['credentials', 'client', 'rejected', 'bad-response', 'deadline', 'aborted'] as const) {
      expect(retryDelay({ kind }, state, DEFAULT_RETRY)).toBeUndefined();
    }
  });
});
