import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MALFORMED_BODIES, SEED_IDS, startEmulator, type Emulator, type Fault } from '../../dev/emulator';
import { asError, asTaskPage, control, fixedNow, signedGet, tasksPath } from './helpers';

const LIST = tasksPath(SEED_IDS.mainProject, SEED_IDS.kafkaPaged);
const SHOW = [...tasksPath(SEED_IDS.stuckTask.projectId, SEED_IDS.stuckTask.instanceId), SEED_IDS.stuckTask.taskId];

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ now: fixedNow });
});
afterEach(() => {
  emulator.clearFaults();
  emulator.setLatency(0);
  emulator.resetRequests();
});
afterAll(() => emulator.close());

const statuses = async (n: number, path: readonly string[] = LIST, em: Emulator = emulator): Promise<number[]> => {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push((await signedGet(em, path, { limit: 1 })).status);
  return out;
};

describe('faults', () => {
  it('answers with a status the next `count` times, then normally', async () => {
    emulator.injectFault({ kind: 'status', status: 503, count: 2 });
    const first = await signedGet(emulator, LIST);
    expect(first.status).toBe(503);
    expect(asError(first.json)).toMatchObject({ error_code: 'APIGW.0202', request_id: first.headers['x-request-id'] });
    expect(await statuses(3)).toEqual([503, 200, 200]);
    expect(emulator.requests.map((r) => r.fault)).toEqual(['status', 'status', undefined, undefined]);
  });

  it('sends 429 with Retry-After and an APIGW.0308 body', async () => {
    emulator.injectFault({ kind: 'status', status: 429, retryAfter: 7, count: 1 });
    const res = await signedGet(emulator, LIST);
    expect(res.status).toBe(429);
    expect(res.headers['retry-after']).toBe('7');
    expect(asError(res.json).error_code).toBe('APIGW.0308');
    expect((await signedGet(emulator, LIST)).status).toBe(200);
  });

  it('sends a custom body, and limits a fault to paths containing a substring', async () => {
    emulator.injectFault({
      kind: 'status',
      status: 500,
      path: `/tasks/${SEED_IDS.stuckTask.taskId}`,
      body: { error_code: 'DMS.00500999', error_msg: 'boom' },
    });
    expect((await signedGet(emulator, LIST)).status).toBe(200);
    const show = await signedGet(emulator, SHOW);
    expect(show.status).toBe(500);
    expect(asError(show.json)).toEqual({ error_code: 'DMS.00500999', error_msg: 'boom' });
  });

  it('resets the connection without a response, once', async () => {
    emulator.injectFault({ kind: 'reset', count: 1 });
    await expect(signedGet(emulator, LIST)).rejects.toThrow(/socket hang up|ECONNRESET/);
    expect((await signedGet(emulator, LIST)).status).toBe(200);
    expect(emulator.requests.map((r) => [r.status, r.fault, r.requestId])).toEqual([
      [0, 'reset', ''],
      [200, undefined, expect.stringMatching(/^[0-9a-f]{32}$/)],
    ]);
  });

  it('sends malformed bodies: truncated JSON by default, HTML, or a chosen status', async () => {
    emulator.injectFault({ kind: 'malformed', count: 1 });
    const truncated = await signedGet(emulator, LIST);
    expect(truncated.status).toBe(200);
    expect(truncated.text).toBe('{"tasks":');
    expect(truncated.headers['content-type']).toContain('application/json');
    expect(truncated.json).toBeUndefined();

    emulator.injectFault({ kind: 'malformed', body: MALFORMED_BODIES.html, status: 502, count: 1 });
    const html = await signedGet(emulator, LIST);
    expect(html.status).toBe(502);
    expect(html.headers['content-type']).toContain('text/html');
    expect(html.text).toContain('<html>');
  });

  it('sends a huge body of exactly hugeBytes bytes that is still valid JSON', async () => {
    const size = 3 * 1024 * 1024;
    emulator.injectFault({ kind: 'malformed', hugeBytes: size, count: 1 });
    const res = await signedGet(emulator, LIST);
    expect(res.headers['content-length']).toBe(String(size));
    expect(Buffer.byteLength(res.text)).toBe(size);
    expect(asTaskPage(res.json)).toEqual({ task_count: '0', tasks: [] });
  });

  it('delays responses: a latency fault, setLatency, and the latencyMs option', async () => {
    const elapsed = async (em: Emulator = emulator): Promise<number> => {
      const started = performance.now();
      expect((await signedGet(em, LIST)).status).toBe(200);
      return performance.now() - started;
    };
    emulator.injectFault({ kind: 'latency', ms: 150, count: 1 });
    expect(await elapsed()).toBeGreaterThanOrEqual(145);
    emulator.setLatency(120);
    expect(await elapsed()).toBeGreaterThanOrEqual(115);
    const slow = await startEmulator({ now: fixedNow, latencyMs: 100 });
    try {
      expect(await elapsed(slow)).toBeGreaterThanOrEqual(95);
    } finally {
      await slow.close();
    }
  });

  it('combines latency with another fault on the same request', async () => {
    emulator.injectFault({ kind: 'latency', ms: 80, count: 1 });
    emulator.injectFault({ kind: 'status', status: 500, count: 1 });
    const started = performance.now();
    expect((await signedGet(emulator, LIST)).status).toBe(500);
    expect(performance.now() - started).toBeGreaterThanOrEqual(75);
  });

  it('applies a rate deterministically: the same seed gives the same pattern in another emulator', async () => {
    const fault: Fault = { kind: 'status', status: 500, rate: 0.5, seed: 42 };
    emulator.injectFault(fault);
    const pattern = await statuses(20);
    expect(pattern).toContain(500);
    expect(pattern).toContain(200);
    const twin = await startEmulator({ now: fixedNow });
    try {
      twin.injectFault(fault);
      expect(await statuses(20, LIST, twin)).toEqual(pattern);
    } finally {
      await twin.close();
    }
  });

  it('stops at count even with a rate, and clearFaults removes everything', async () => {
    emulator.injectFault({ kind: 'status', status: 500, rate: 1, count: 2 });
    expect(await statuses(3)).toEqual([500, 500, 200]);
    emulator.injectFault({ kind: 'status', status: 500 });
    expect(await statuses(2)).toEqual([500, 500]);
    emulator.clearFaults();
    expect(await statuses(1)).toEqual([200]);
  });

  it('answers even unsigned requests with the fault, and still records that they were unsigned', async () => {
    emulator.injectFault({ kind: 'status', status: 429, count: 1 });
    const res = await signedGet(emulator, LIST, {}, { tamper: ({ Authorization: _a, ...rest }) => rest });
    expect(res.status).toBe(429);
    expect(emulator.requests[0]).toMatchObject({ status: 429, signed: false, fault: 'status' });
  });

  it('never applies to the control surface', async () => {
    emulator.injectFault({ kind: 'reset' });
    expect((await control(emulator, 'GET', '/state')).status).toBe(200);
    expect((await control(emulator, 'DELETE', '/faults')).status).toBe(204);
    expect((await signedGet(emulator, LIST)).status).toBe(200);
  });

  it('rejects an invalid fault', () => {
    expect(() => emulator.injectFault({ kind: 'status', status: 99 })).toThrow(/HTTP status/);
    expect(() => emulator.injectFault({ kind: 'status', status: 500, rate: 2 })).toThrow(/rate/);
    expect(() => emulator.injectFault({ kind: 'latency', ms: -1 })).toThrow(/ms/);
  });
});
