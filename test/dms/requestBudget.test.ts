import { afterEach, describe, expect, it } from 'vitest';
import { EMULATOR_CREDENTIALS, startEmulator, type Emulator, type EmulatorOptions } from '../../dev/emulator';
import { clientOptionsFor, requestBudgetsFor } from '../../lib/runtime/clientFor';
import { parseCoreConfig } from '../../lib/config/parseCoreConfig';
import { DmsAbortedError, DmsError, DmsThrottledError, DmsTimeoutError } from '../../lib/dms/errors';
import { RequestBudget, type RequestBudgetOptions } from '../../lib/dms/requestBudget';
import { RequestBudgets, budgetKey } from '../../lib/dms/requestBudgets';
import { DmsTaskClient } from '../../lib/dms/taskClient';

/**
 * A fake clock whose timers fire in time order when `run()` drives them: concurrent waiters see one
 * shared clock, and no test waits for real time.
 */
function fakeTime(start = 1_000_000) {
  const clock = { t: start };
  const timers: { at: number; seq: number; resolve: () => void }[] = [];
  let seq = 0;
  const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
    new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const timer = { at: clock.t + ms, seq: seq++, resolve };
      timers.push(timer);
      signal?.addEventListener(
        'abort',
        () => {
          timers.splice(timers.indexOf(timer), 1);
          reject(signal.reason);
        },
        { once: true },
      );
    });
  const flush = async (): Promise<void> => {
    for (let i = 0; i < 20; i++) await Promise.resolve();
  };
  /** Fires timers in order (flushing promise callbacks between them) until none is left. */
  const run = async (): Promise<void> => {
    await flush();
    while (timers.length > 0) {
      timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = timers.shift();
      if (!next) break;
      clock.t = Math.max(clock.t, next.at);
      next.resolve();
      await flush();
    }
  };
  return { clock, sleep, run, now: () => clock.t };
}

function budgetOn(time: ReturnType<typeof fakeTime>, options: RequestBudgetOptions = {}): RequestBudget {
  return new RequestBudget({ now: time.now, sleep: time.sleep, ...options });
}

/** Starts `n` acquires at once and returns the clock time each was granted at (relative to the start). */
async function grantTimes(time: ReturnType<typeof fakeTime>, budget: RequestBudget, n: number): Promise<number[]> {
  const start = time.clock.t;
  const times: number[] = [];
  const all = Array.from({ length: n }, () => budget.acquire().then(() => times.push(time.clock.t - start)));
  await time.run();
  await Promise.all(all);
  return times;
}

describe('RequestBudget', () => {
  it('lets a burst through at once, then spaces requests at the rate, in order', async () => {
    const time = fakeTime();
    const budget = budgetOn(time, { requestsPerSecond: 10, burst: 3 });
    expect(await grantTimes(time, budget, 8)).toEqual([0, 0, 0, 100, 200, 300, 400, 500]);
    expect(budget.stats()).toEqual({ granted: 8, throttled: 0, waitedMs: 100 + 200 + 300 + 400 + 500 });
  });

  it('defaults to 20 requests per second with a quarter second of burst', async () => {
    const time = fakeTime();
    const budget = budgetOn(time);
    expect([budget.requestsPerSecond, budget.burst]).toEqual([20, 5]);
    expect(await grantTimes(time, budget, 7)).toEqual([0, 0, 0, 0, 0, 50, 100]);
  });

  it('refills while idle, up to the burst only', async () => {
    const time = fakeTime();
    const budget = budgetOn(time, { requestsPerSecond: 10, burst: 2 });
    await grantTimes(time, budget, 4);
    time.clock.t += 10_000;
    expect(await grantTimes(time, budget, 4)).toEqual([0, 0, 100, 200]);
  });

  it('answers false at once, taking nothing, when the token would come after the deadline', async () => {
    const time = fakeTime();
    const budget = budgetOn(time, { requestsPerSecond: 1, burst: 1 });
    expect(await budget.acquire()).toBe(true);
    expect(await budget.acquire(undefined, time.clock.t + 500)).toBe(false);
    expect(time.clock.t).toBe(1_000_000);
    // The refused caller did not take the next slot: it is still one second after the first.
    const next = budget.acquire(undefined, time.clock.t + 1000);
    await time.run();
    expect(await next).toBe(true);
    expect(time.clock.t).toBe(1_001_000);
  });

  it('rejects with the signal’s reason when aborted before or during the wait', async () => {
    const time = fakeTime();
    const budget = budgetOn(time, { requestsPerSecond: 1, burst: 1 });
    const before = new AbortController();
    before.abort(new Error('stopped before'));
    await expect(budget.acquire(before.signal)).rejects.toThrow('stopped before');
    await budget.acquire();
    const during = new AbortController();
    const waiting = budget.acquire(during.signal);
    during.abort(new Error('stopped while waiting'));
    await expect(waiting).rejects.toThrow('stopped while waiting');
    expect(budget.stats().granted).toBe(1);
  });

  it('pauses for Retry-After on a throttle, then goes on at half the rate without a burst', async () => {
    const time = fakeTime();
    const budget = budgetOn(time, { requestsPerSecond: 10, burst: 5, recoveryMs: Number.POSITIVE_INFINITY });
    await grantTimes(time, budget, 1);
    budget.throttled(2000);
    expect(budget.rateAt()).toBe(5);
    expect(await grantTimes(time, budget, 4)).toEqual([2000, 2200, 2400, 2600]);
    expect(budget.stats().throttled).toBe(1);
  });

  it('uses the default pause without Retry-After and caps a huge one', async () => {
    const time = fakeTime();
    const budget = budgetOn(time, { requestsPerSecond: 10, burst: 1, defaultPauseMs: 700, maxPauseMs: 5000 });
    budget.throttled(undefined);
    expect(await grantTimes(time, budget, 1)).toEqual([700]);
    budget.throttled(2_300_100_286_000);
    expect(await grantTimes(time, budget, 1)).toEqual([5000]);
  });

  it('moves callers already waiting behind the pause', async () => {
    const time = fakeTime();
    const budget = budgetOn(time, { requestsPerSecond: 10, burst: 1, recoveryMs: Number.POSITIVE_INFINITY });
    const start = time.clock.t;
    const granted: number[] = [];
    const waiters = Array.from({ length: 3 }, () => budget.acquire().then(() => granted.push(time.clock.t - start)));
    await Promise.resolve();
    budget.throttled(1000);
    await time.run();
    await Promise.all(waiters);
    // The first went at once (before the throttle); the others, scheduled at 100 and 200, wait for the pause.
    expect(granted).toEqual([0, 1000, 1200]);
  });

  it('lowers the rate once per pause: answers to requests already in flight only count', () => {
    const time = fakeTime();
    const budget = budgetOn(time, { requestsPerSecond: 16, recoveryMs: Number.POSITIVE_INFINITY });
    for (let i = 0; i < 16; i++) budget.throttled(1000);
    expect(budget.rateAt()).toBe(8);
    expect(budget.stats().throttled).toBe(16);
    time.clock.t += 1001;
    budget.throttled(1000);
    expect(budget.rateAt()).toBe(4);
  });

  it('never goes below the least rate', () => {
    const time = fakeTime();
    const budget = budgetOn(time, {
      requestsPerSecond: 4,
      minRequestsPerSecond: 1,
      recoveryMs: Number.POSITIVE_INFINITY,
    });
    for (let i = 0; i < 10; i++) {
      budget.throttled(0);
      time.clock.t += 1;
    }
    expect(budget.rateAt()).toBe(1);
  });

  it('recovers linearly after the pause, back to the full rate', () => {
    const time = fakeTime();
    const budget = budgetOn(time, { requestsPerSecond: 20, recoveryMs: 30_000 });
    budget.throttled(1000);
    const t0 = time.clock.t + 1000;
    expect(budget.rateAt(t0)).toBe(10);
    expect(budget.rateAt(t0 + 15_000)).toBe(15);
    expect(budget.rateAt(t0 + 30_000)).toBe(20);
    expect(budget.rateAt(t0 + 300_000)).toBe(20);
  });

  it('after-throttle: lets every request through at once until upstream throttles', async () => {
    const time = fakeTime();
    const budget = budgetOn(time, { requestsPerSecond: 10, pacing: 'after-throttle' });
    expect(await grantTimes(time, budget, 30)).toEqual(Array.from({ length: 30 }, () => 0));
    expect(budget.throttledRecently()).toBe(false);
    expect(budget.msUntilNextToken()).toBe(0);
    expect(budget.stats()).toMatchObject({ granted: 30, waitedMs: 0 });
  });

  it('after-throttle: a throttle pauses and paces every caller until the rate is back to full', async () => {
    const time = fakeTime();
    const budget = budgetOn(time, { requestsPerSecond: 10, pacing: 'after-throttle', recoveryMs: 10_000 });
    budget.throttled(2000);
    expect(budget.throttledRecently()).toBe(true);
    expect(budget.msUntilNextToken()).toBe(2000);
    // Paused 2 s, then at half the rate (5/s: about 200 ms apart, the rate climbing back), no burst.
    const paced = await grantTimes(time, budget, 3);
    expect(paced.map((t) => Math.round(t / 50) * 50)).toEqual([2000, 2200, 2400]);
    // Full again 10 s after the pause ended: back to no waiting at all.
    time.clock.t += 12_000;
    expect(budget.throttledRecently()).toBe(false);
    expect(await grantTimes(time, budget, 5)).toEqual([0, 0, 0, 0, 0]);
  });

  it('refuses a rate that is not a positive number', () => {
    expect(() => new RequestBudget({ requestsPerSecond: 0 })).toThrow(RangeError);
    expect(() => new RequestBudget({ requestsPerSecond: Number.NaN })).toThrow(RangeError);
  });
});

describe('RequestBudgets', () => {
  const a = { accessKeyId: 'AKIDEXAMPLE0001', secretAccessKey: 's1' };
  const aAgain = { accessKeyId: 'AKIDEXAMPLE0001', secretAccessKey: 'other', securityToken: 't' };
  const b = { accessKeyId: 'AKIDEXAMPLE0002', secretAccessKey: 's1' };

  it('gives clients of one access key and region one budget, others their own', () => {
    const budgets = new RequestBudgets({ requestsPerSecond: 5 });
    const shared = budgets.for(a, 'cn-north-4');
    expect(budgets.for(aAgain, 'cn-north-4')).toBe(shared);
    expect(budgets.for(a, 'cn-east-3')).not.toBe(shared);
    expect(budgets.for(b, 'cn-north-4')).not.toBe(shared);
    expect(budgets.size).toBe(3);
    expect(shared.requestsPerSecond).toBe(5);
  });

  it('keys by a hash that does not reveal the access key', () => {
    const key = budgetKey(a.accessKeyId, 'cn-north-4');
    expect(key).toMatch(/^[0-9a-f]{16}$/);
    expect(key).not.toContain('AKID');
    expect(budgetKey(a.accessKeyId, 'cn-east-3')).not.toBe(key);
  });

  it('are built at the configured rate and handed to the clients of one AK and region', () => {
    const P = '0a1b2c3d4e5f60718293a4b5c6d7e8f9';
    const Q = '9f8e7d6c5b4a39281706f5e4d3c2b1a0';
    const R = '00112233445566778899aabbccddeeff';
    const config = parseCoreConfig({
      requestsPerSecond: 7,
      projects: { [P]: 'cn-north-4', [Q]: 'cn-north-4', [R]: 'cn-east-3' },
    });
    expect(parseCoreConfig({ projects: { [P]: 'cn-north-4' } }).requestsPerSecond).toBe(20);
    const budgets = requestBudgetsFor(config);
    const budgetOf = (id: string) => {
      const project = config.projects.get(id);
      if (!project) throw new Error(id);
      return clientOptionsFor(config, project, a, {}, budgets).budget;
    };
    expect(budgetOf(P)).toBe(budgetOf(Q));
    expect(budgetOf(R)).not.toBe(budgetOf(P));
    expect(budgetOf(P)?.requestsPerSecond).toBe(7);
    const project = config.projects.get(P);
    if (!project) throw new Error(P);
    expect(clientOptionsFor(config, project, a).budget).toBeUndefined();
  });

  it('sums the counters of every budget', async () => {
    const budgets = new RequestBudgets();
    await budgets.for(a, 'cn-north-4').acquire();
    await budgets.for(b, 'cn-north-4').acquire();
    budgets.for(b, 'cn-north-4').throttled(0);
    expect(budgets.totals()).toMatchObject({ granted: 2, throttled: 1 });
  });
});

describe('DmsTaskClient with a budget (against the emulator)', () => {
  const projectId = '0a1b2c3d4e5f60718293a4b5c6d7e8f9';
  let emulator: Emulator | undefined;
  afterEach(async () => {
    await emulator?.close();
    emulator = undefined;
  });

  /** An emulator and a budget on one fake clock, and a client whose retry waits move that clock. */
  async function setup(options: Partial<EmulatorOptions>, budgetOptions: RequestBudgetOptions = {}) {
    const time = fakeTime(Date.now());
    emulator = await startEmulator({
      seed: false,
      now: () => new Date(time.clock.t),
      maxClockSkewMs: 10 * 365 * 86_400_000,
      ...options,
    });
    const instanceId = emulator.addInstance(projectId, { name: 'a', engine: 'kafka' }).instance_id;
    const budget = budgetOn(time, { requestsPerSecond: 100, ...budgetOptions });
    const retryWaits: number[] = [];
    const client = new DmsTaskClient({
      projectId,
      credentials: EMULATOR_CREDENTIALS,
      endpoint: emulator.url,
      budget,
      sleep: async (ms) => {
        retryWaits.push(ms);
        time.clock.t += ms;
      },
    });
    return { time, budget, client, instanceId, retryWaits, emulator };
  }

  it('reports APIGW.0308 to the budget, which pauses for Retry-After; the retry then goes through', async () => {
    const { budget, client, instanceId, retryWaits, emulator } = await setup({
      rateLimit: { requestsPerSecond: 1, burst: 1, retryAfter: true },
    });
    await client.listTasks({ instanceId });
    const second = await client.listTasks({ instanceId });
    expect(second.attempts).toBe(2);
    expect(retryWaits).toEqual([1000]);
    expect(emulator.throttled).toBe(1);
    expect(budget.stats()).toMatchObject({ throttled: 1, granted: 3 });
    expect(budget.rateAt()).toBe(50);
  });

  it('leaves the budget alone on a 429 with another error code', async () => {
    const { budget, client, instanceId } = await setup({});
    emulator?.injectFault({
      kind: 'status',
      status: 429,
      count: 1,
      body: { error_code: 'DMS.00400429', error_msg: 'instance busy' },
    });
    expect((await client.listTasks({ instanceId })).attempts).toBe(2);
    expect(budget.stats().throttled).toBe(0);
    expect(budget.rateAt()).toBe(100);
  });

  it('fails as the deadline does, sending nothing, when the token would come after the deadline', async () => {
    const { time, budget, client, instanceId, emulator } = await setup({});
    budget.throttled(5000);
    const call = client.listTasks({ instanceId }, { deadline: time.clock.t + 1000 });
    await expect(call).rejects.toBeInstanceOf(DmsTimeoutError);
    await expect(call).rejects.toMatchObject({ kind: 'deadline', message: expect.stringContaining('request budget') });
    expect(emulator.requests).toHaveLength(0);
  });

  it('fails as DmsThrottledError (with the time until the next token) when a pause outlasts the deadline', async () => {
    const { time, budget, client, instanceId, emulator } = await setup({}, { pacing: 'after-throttle' });
    budget.throttled(5000);
    const error = await client.listTasks({ instanceId }, { deadline: time.clock.t + 1000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DmsThrottledError);
    expect(error).toBeInstanceOf(DmsTimeoutError);
    expect(error).toMatchObject({ kind: 'deadline', retryAfterMs: 5000, retryAfterSeconds: 5 });
    expect(emulator.requests).toHaveLength(0);
  });

  it('stops waiting, sending nothing, when the caller aborts', async () => {
    const { budget, client, instanceId, emulator } = await setup({});
    budget.throttled(5000);
    const controller = new AbortController();
    const call = client.listTasks({ instanceId }, { signal: controller.signal });
    controller.abort(new Error('caller gone'));
    const error = await call.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DmsError);
    expect(error).toBeInstanceOf(DmsAbortedError);
    expect(error).toMatchObject({ message: 'DMS call aborted' });
    expect(emulator.requests).toHaveLength(0);
  });
});
