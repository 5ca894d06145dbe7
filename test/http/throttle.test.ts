import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, SEED_IDS, type Emulator } from '../../dev/emulator';
import * as ERROR_CODES from '../../lib/http/errorCodes';
import { expectMatchesOpenApi, handlersFor } from '../support/http';
import { auth, json, LIST_PATH, v2Event } from '../support/events';

/**
 * Issue 20 item 6: after one upstream 429 with a long `Retry-After`, a warm instance answered 504
 * "upstream did not answer" for up to 60 s without calling upstream. It answers 429 with the time
 * still to wait, and still without calling upstream.
 */
let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  await emulator.close();
});
beforeEach(() => {
  emulator.clearFaults();
  emulator.resetRequests();
});

const SHOW_PATH = `${LIST_PATH}/${SEED_IDS.recentFailures[0].taskId}`;

describe('a warm instance after an upstream 429', () => {
  it.each([
    ['list', 45, 45],
    ['list', 600, 60],
    ['show', 45, 45],
  ] as const)(
    '%s, Retry-After %i s upstream: then 429 with the remaining wait (at most %i s), no upstream call',
    async (route, retryAfter, cap) => {
      emulator.injectFault({ kind: 'status', status: 429, retryAfter, count: 1 });
      const handler = handlersFor(emulator)[route];
      const event = v2Event({ path: route === 'list' ? LIST_PATH : SHOW_PATH, headers: auth() });
      const first = await handler(event);
      expect(first.statusCode).toBe(429);
      expect(json(first).error_code).toBe('APIGW.0308');
      expect(first.headers['Retry-After']).toBe(String(cap));
      expect(emulator.requests).toHaveLength(1);

      for (let i = 0; i < 3; i++) {
        const r = await handler(event);
        expect(r.statusCode, r.body).toBe(429);
        expectMatchesOpenApi(route, r);
        expect(json(r).error_code).toBe(ERROR_CODES.throttledHere);
        const wait = Number(r.headers['Retry-After']);
        // The remaining wait: a little less than the whole one, never more than the cap.
        expect(wait).toBeGreaterThanOrEqual(cap - 5);
        expect(wait).toBeLessThanOrEqual(cap);
        expect(json(r).error_msg).toContain(`retry after ${wait} s`);
      }
      expect(emulator.requests).toHaveLength(1);
    },
  );
});
