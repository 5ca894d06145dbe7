import { describe, expect, it } from 'vitest';
import { backoff } from '../../lib/core/backoff';
import { isRecord } from '../../lib/core/isRecord';
import { mapLimit } from '../../lib/core/mapLimit';
import { lazyOnce } from '../../lib/core/once';
import { sleep } from '../../lib/core/sleep';
import { remainingTimeOf, remainingTimeOr } from '../../lib/runtime/remainingTime';

describe('sleep', () => {
  it('resolves after the delay', async () => {
    const t0 = Date.now();
    await sleep(20);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(15);
  });

  it('is cut short by an abort, with the signal reason', async () => {
    const ac = new AbortController();
    const p = sleep(60_000, ac.signal);
    ac.abort(new Error('stop'));
    await expect(p).rejects.toThrow('stop');
  });

  it('rejects at once on a signal already aborted', async () => {
    await expect(sleep(60_000, AbortSignal.abort(new Error('gone')))).rejects.toThrow('gone');
  });
});

describe('backoff (full jitter)', () => {
  it('stays within the exponential ceiling and the cap', () => {
    expect(backoff(1, 200, 5000, () => 0.999)).toBe(199);
    expect(backoff(3, 200, 5000, () => 0.5)).toBe(400);
    expect(backoff(20, 200, 5000, () => 0.999)).toBe(4995);
    expect(backoff(2, 200, 5000, () => 0)).toBe(0);
    expect(backoff(0, 500, 10_000, () => 0.999)).toBe(499);
  });
});

describe('isRecord', () => {
  it('accepts plain objects only', () => {
    expect(isRecord({})).toBe(true);
    expect([null, [], 'x', 1, undefined].some(isRecord)).toBe(false);
  });
});

describe('mapLimit', () => {
  it('keeps the order and never runs more than the limit at once', async () => {
    let inFlight = 0;
    let most = 0;
    const out = await mapLimit([5, 1, 4, 2, 3], 2, async (n) => {
      inFlight++;
      most = Math.max(most, inFlight);
      await sleep(n);
      inFlight--;
      return n * 10;
    });
    expect(out).toEqual([50, 10, 40, 20, 30]);
    expect(most).toBe(2);
  });

  it('handles an empty list', async () => {
    expect(await mapLimit([], 4, async () => 1)).toEqual([]);
  });
});

describe('lazyOnce', () => {
  it('shares one success and retries after a failure', async () => {
    let calls = 0;
    const get = lazyOnce(async () => {
      calls++;
      if (calls === 1) throw new Error('transient');
      return calls;
    });
    await expect(get()).rejects.toThrow('transient');
    const [a, b] = await Promise.all([get(), get()]);
    expect([a, b, calls]).toEqual([2, 2, 2]);
    expect(await get()).toBe(2);
  });
});

describe('remaining time', () => {
  it("reads Lambda's and FunctionGraph's names", () => {
    expect(remainingTimeOf({ getRemainingTimeInMillis: () => 1234 })?.()).toBe(1234);
    expect(remainingTimeOf({ getRemainingTimeInMilliSeconds: () => 4321 })?.()).toBe(4321);
    expect(remainingTimeOf(undefined)).toBeUndefined();
    expect(remainingTimeOf({})).toBeUndefined();
  });

  it('calls the method on its context (FunctionGraph methods use this)', () => {
    const ctx = {
      left: 99,
      getRemainingTimeInMilliSeconds(this: { left: number }) {
        return this.left;
      },
    };
    expect(remainingTimeOf(ctx)?.()).toBe(99);
  });

  it('falls back to a budget counted down from now', async () => {
    const read = remainingTimeOr(undefined, 1000);
    await sleep(20);
    const left = read();
    expect(left).toBeLessThanOrEqual(985);
    expect(left).toBeGreaterThan(500);
    expect(remainingTimeOr({ getRemainingTimeInMillis: () => 7 }, 1000)()).toBe(7);
  });
});
