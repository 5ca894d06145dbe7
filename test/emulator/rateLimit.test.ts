import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Credentials } from '../../lib/signing';
import { EMULATOR_CREDENTIALS, SEED_IDS, startEmulator, type Emulator } from '../../dev/emulator';
import { asError, control, NOW, rawRequest, signedGet, tasksPath, type RawResponse } from './helpers';

const LIST = tasksPath(SEED_IDS.mainProject, SEED_IDS.rabbitmq);
const SECOND_AK = { accessKeyId: 'EMULATORAK0000000002', secretAccessKey: 'second-secret' };

/** A clock the tests move by hand: the buckets refill only when it moves. */
let clock = NOW.getTime();
const at = (): Date => new Date(clock);
let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ now: at, credentials: [EMULATOR_CREDENTIALS, SECOND_AK] });
});
afterAll(() => emulator.close());

const list = (credentials: Credentials = EMULATOR_CREDENTIALS): Promise<RawResponse> =>
  signedGet(emulator, LIST, { limit: 1 }, { credentials, date: at() });
const statuses = async (n: number, credentials: Credentials = EMULATOR_CREDENTIALS): Promise<number[]> => {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push((await list(credentials)).status);
  return out;
};

function expectThrottled(res: RawResponse, limit: number): void {
  expect(res.status).toBe(429);
  const body = asError(res.json);
  expect(body.error_code).toBe('APIGW.0308');
  expect(body.error_msg).toBe(
    `The throttling threshold has been reached: policy user over ratelimit,limit:${limit},time:1 second`,
  );
  expect(body.request_id).toBe(res.headers['x-request-id']);
  expect(Object.keys(res.json as object).sort()).toEqual(['error_code', 'error_msg', 'request_id']);
}

describe('per-AK rate limit (429 APIGW.0308)', () => {
  it('is off by default: 40 back-to-back requests all answered', async () => {
    emulator.setRateLimit(undefined);
    const before = emulator.throttled;
    expect(new Set(await statuses(40))).toEqual(new Set([200]));
    expect(emulator.throttled).toBe(before);
  });

  it('lets a burst through, then answers 429 in the gateway shape, without Retry-After by default', async () => {
    emulator.setRateLimit({ requestsPerSecond: 2, burst: 3 });
    const before = emulator.throttled;
    expect(await statuses(3)).toEqual([200, 200, 200]);
    const refused = await list();
    expectThrottled(refused, 3);
    expect(refused.headers['retry-after']).toBeUndefined();
    expect(emulator.throttled).toBe(before + 1);
  });

  it('keeps one bucket per access key', async () => {
    emulator.setRateLimit({ requestsPerSecond: 1, burst: 2 });
    expect(await statuses(3)).toEqual([200, 200, 429]);
    expect(await statuses(3, SECOND_AK)).toEqual([200, 200, 429]);
  });

  it('refills at requestsPerSecond on the emulator clock, up to burst', async () => {
    emulator.setRateLimit({ requestsPerSecond: 2, burst: 2 });
    expect(await statuses(3)).toEqual([200, 200, 429]);
    clock += 499;
    expect(await statuses(1)).toEqual([429]);
    clock += 1;
    expect(await statuses(2)).toEqual([200, 429]);
    clock += 60_000;
    expect(await statuses(3)).toEqual([200, 200, 429]);
  });

  it('the default burst is one second of requests', async () => {
    emulator.setRateLimit({ requestsPerSecond: 5 });
    expect(await statuses(6)).toEqual([200, 200, 200, 200, 200, 429]);
    emulator.setRateLimit({ requestsPerSecond: 0.5 });
    expect(await statuses(2)).toEqual([200, 429]);
  });

  it('sends Retry-After (whole seconds to the next token) when asked to', async () => {
    emulator.setRateLimit({ requestsPerSecond: 2, burst: 1, retryAfter: true });
    expect(await statuses(1)).toEqual([200]);
    const fast = await list();
    expectThrottled(fast, 1);
    expect(fast.headers['retry-after']).toBe('1');
    emulator.setRateLimit({ requestsPerSecond: 0.1, burst: 1, retryAfter: true });
    expect(await statuses(1)).toEqual([200]);
    clock += 2_500;
    expect((await list()).headers['retry-after']).toBe('8');
  });

  it('does not count requests refused before it (unknown API, bad signature)', async () => {
    emulator.setRateLimit({ requestsPerSecond: 1, burst: 1 });
    expect((await rawRequest(`${emulator.url}/v3/nothing`, {})).status).toBe(404);
    const badSecret = { ...EMULATOR_CREDENTIALS, secretAccessKey: 'wrong' };
    expect((await list(badSecret)).status).toBe(401);
    expect(await statuses(2)).toEqual([200, 429]);
  });

  it('records the 429 in the request log', async () => {
    emulator.setRateLimit({ requestsPerSecond: 1, burst: 1 });
    emulator.resetRequests();
    await statuses(2);
    expect(emulator.requests.map((r) => [r.status, r.signed])).toEqual([
      [200, true],
      [429, true],
    ]);
  });
});

describe('rate limit through the control surface', () => {
  it('sets, shows and clears the limit at run time', async () => {
    const set = await control(emulator, 'POST', '/rate-limit', { requestsPerSecond: 1 });
    expect(set.status).toBe(200);
    expect(set.json).toEqual({ rateLimit: { requestsPerSecond: 1, burst: 1, retryAfter: false } });
    const throttledBefore = emulator.throttled;
    expect(await statuses(2)).toEqual([200, 429]);
    const state = (await control(emulator, 'GET', '/state')).json as Record<string, unknown>;
    expect(state.rateLimit).toEqual({ requestsPerSecond: 1, burst: 1, retryAfter: false });
    expect(state.throttled).toBe(throttledBefore + 1);

    expect((await control(emulator, 'DELETE', '/rate-limit')).status).toBe(204);
    expect((await control(emulator, 'GET', '/state')).json).toMatchObject({ rateLimit: null });
    expect(new Set(await statuses(5))).toEqual(new Set([200]));
  });

  it.each([
    [{}, 'requestsPerSecond'],
    [{ requestsPerSecond: 0 }, 'requestsPerSecond'],
    [{ requestsPerSecond: 'fast' }, 'requestsPerSecond'],
    [{ requestsPerSecond: 1, burst: 1.5 }, 'burst'],
    [{ requestsPerSecond: 1, retryAfter: 'yes' }, 'retryAfter'],
  ])('refuses %j with 400', async (body, field) => {
    const res = await control(emulator, 'POST', '/rate-limit', body);
    expect(res.status).toBe(400);
    expect(asError(res.json).error_msg).toContain(field);
  });

  it('a startEmulator option turns it on from the start, and bad options fail fast', async () => {
    const limited = await startEmulator({ now: at, rateLimit: { requestsPerSecond: 1, burst: 2, retryAfter: true } });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 3; i++) codes.push((await signedGet(limited, LIST, {}, { date: at() })).status);
      expect(codes).toEqual([200, 200, 429]);
      expect(limited.throttled).toBe(1);
    } finally {
      await limited.close();
    }
    await expect(startEmulator({ rateLimit: { requestsPerSecond: -1 } })).rejects.toThrow(/requestsPerSecond/);
  });
});
