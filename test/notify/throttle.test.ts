import { afterEach, describe, expect, it } from 'vitest';
import { RequestBudgets } from '../../lib/dms/requestBudgets';
import { createHarness, type Harness } from './harness';

/**
 * Section 3 of the request-budget work: a scan of many instances against an emulator whose gateway
 * limits the access key (429 `APIGW.0308`, no `Retry-After`, as Huawei does not document one). The
 * issue's figure (10 requests per second, 200 instances, real time) is `scripts/throttle-bench.ts`.
 *
 * Here time is virtual, so the outcome does not depend on how loaded the machine is: the budget and
 * the emulator's gateway share one clock that moves only when the budget waits for a token. The
 * budget's schedule is then exactly its rate, and the emulator refills exactly as fast as that
 * schedule says, whatever the real speed of the scan. Real HTTP, real emulator, real notifier.
 */
const INSTANCES = 200;
const CONCURRENCY = 16;
const LIMIT = { requestsPerSecond: 100 };

interface VirtualClock {
  readonly now: () => number;
  readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/**
 * A clock that moves only through `sleep`: sleepers wake in the order of their wake-up times (one
 * per macrotask, so the HTTP work they start can run in between), and each wake-up moves the clock
 * to its time unless it is already past it.
 */
function virtualClock(): VirtualClock {
  let t = Date.now();
  const sleepers: { at: number; wake: () => void }[] = [];
  let ticking = false;
  const tick = (): void => {
    const next = sleepers.sort((a, b) => a.at - b.at).shift();
    if (!next) {
      ticking = false;
      return;
    }
    t = Math.max(t, next.at);
    next.wake();
    setImmediate(tick);
  };
  return {
    now: () => t,
    sleep: (ms, signal) =>
      new Promise<void>((resolve, reject) => {
        if (signal?.aborted) return reject(signal.reason);
        sleepers.push({ at: t + ms, wake: resolve });
        if (!ticking) {
          ticking = true;
          setImmediate(tick);
        }
      }),
  };
}

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function throttledHarness(clock: VirtualClock): Promise<Harness> {
  // The emulator's per-AK bucket refills on the budget's clock.
  const harness = await createHarness({
    destinations: [],
    notify: { concurrency: CONCURRENCY },
    emulator: { now: () => new Date(clock.now()), rateLimit: LIMIT },
  });
  for (let i = 0; i < INSTANCES; i++) harness.addInstance(`i-${i}`);
  return harness;
}

/** DMS requests the emulator answered (every one of them a task listing here). */
function listings(harness: Harness): number {
  return harness.emulator.requests.filter((r) => r.path.endsWith('/tasks')).length;
}

describe('a scan under the gateway’s rate limit', () => {
  it('with a budget above the limit: slowed by a handful of 429s, every instance scanned', async () => {
    const clock = virtualClock();
    h = await throttledHarness(clock);
    // Twice the limit, as the default 20 is twice the 10 per second.
    const budgets = new RequestBudgets({ requestsPerSecond: 200, ...clock });
    const summary = await h.run({ handler: { budgets } });
    expect(summary).toMatchObject({ instancesScanned: INSTANCES, instancesFailed: 0, instancesSkipped: 0 });
    expect(h.emulator.throttled).toBeGreaterThan(0);
    // At most the requests in flight when the first 429 came back; after the shared pause, none.
    expect(h.emulator.throttled).toBeLessThanOrEqual(CONCURRENCY);
    expect(summary.throttled).toBe(h.emulator.throttled);
    expect(summary.budgetWaitMs).toBeGreaterThan(0);
    // Each throttled listing was retried once the budget's pause was over.
    expect(listings(h)).toBe(INSTANCES + h.emulator.throttled);
    expect(h.logs.find((l) => l.msg === 'notify run')).toMatchObject({ throttled: summary.throttled });
  });

  it('without the shared pause and slowdown, workers keep hitting the limit alone', async () => {
    const clock = virtualClock();
    h = await throttledHarness(clock);
    // The same rate, but a throttle neither pauses nor slows the budget: each worker only backs off.
    const alone = { slowdown: 1, defaultPauseMs: 0, maxPauseMs: 0 };
    const budgets = new RequestBudgets({ requestsPerSecond: 200, ...alone, ...clock });
    const summary = await h.run({ handler: { budgets } });
    expect(summary.throttled).toBe(h.emulator.throttled);
    expect(h.emulator.throttled).toBeGreaterThan(20);
  });

  it('with a budget below the limit: never throttled, the wait reported', async () => {
    const clock = virtualClock();
    h = await throttledHarness(clock);
    const budgets = new RequestBudgets({ requestsPerSecond: 80, ...clock });
    const started = clock.now();
    const summary = await h.run({ handler: { budgets } });
    expect(summary).toMatchObject({ instancesScanned: INSTANCES, instancesFailed: 0, throttled: 0 });
    expect(h.emulator.throttled).toBe(0);
    // A burst of 20, then 180 requests at 80 per second: 2.25 s on the budget's clock.
    expect(clock.now() - started).toBeGreaterThanOrEqual(2200);
    expect(summary.budgetWaitMs).toBeGreaterThan(2000);
    expect(listings(h)).toBe(INSTANCES);
  });

  it('shares one budget between the discovery and the scan of every project of the access key', async () => {
    h = await createHarness({ destinations: [], discover: true, emulator: { now: () => new Date() } });
    for (let i = 0; i < 3; i++) h.addInstance(`i-${i}`);
    const budgets = new RequestBudgets({ requestsPerSecond: 50 });
    await h.run({ handler: { budgets } });
    expect(budgets.size).toBe(1);
    // One discovery listing per engine (three engines), then one task listing per instance.
    expect(budgets.totals().granted).toBe(h.emulator.requests.length);
    expect(h.emulator.requests.length).toBeGreaterThan(3);
  });
});
