import { inspect } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  DmsAbortedError,
  DmsApiError,
  DmsClient,
  type DmsError,
  DmsNetworkError,
  DmsResponseError,
  DmsTimeoutError,
  type DmsClientOptions,
  type RetryInfo,
} from '../../lib/dms';
import { EMULATOR_CREDENTIALS, SEED_IDS, startEmulator, type Emulator } from '../../dev/emulator';

const TOKEN = 'temporary-security-token-value-123';
/** Temporary credentials: the emulator accepts this AK only with this token. */
const TEMP = {
  accessKeyId: 'TEMPORARYAK000000000',
  secretAccessKey: 'temporary-secret-key',
  securityToken: TOKEN,
} as const;
let emu: Emulator;

beforeAll(async () => {
  emu = await startEmulator({ credentials: [EMULATOR_CREDENTIALS, TEMP] });
});
afterAll(async () => {
  await emu.close();
});
afterEach(() => {
  emu.clearFaults();
  emu.resetRequests();
  emu.setLatency(0);
});

function client(overrides: Partial<DmsClientOptions> = {}): { c: DmsClient; delays: number[]; retries: RetryInfo[] } {
  const delays: number[] = [];
  const retries: RetryInfo[] = [];
  const c = new DmsClient({
    projectId: SEED_IDS.mainProject,
    endpoint: emu.url,
    credentials: EMULATOR_CREDENTIALS,
    sleep: async (ms) => {
      delays.push(ms);
    },
    onRetry: (info) => retries.push(info),
    ...overrides,
  });
  return { c, delays, retries };
}

async function failure(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    if (e instanceof Error) return e;
  }
  throw new Error('expected a rejection');
}

describe('DmsClient against the emulator', () => {
  it('lists one page with start (1-based), and the next page differs', async () => {
    const { c } = client();
    expect(c.offsetBase).toBe(1);
    expect(c.pageSize).toBe(100);
    const first = await c.listTasks({ instanceId: SEED_IDS.kafkaPaged, offset: 1, limit: 10 });
    const second = await c.listTasks({ instanceId: SEED_IDS.kafkaPaged, offset: 11, limit: 10 });
    expect(first.status).toBe(200);
    expect(first.body.task_count).toBe('64');
    expect(first.body.tasks).toHaveLength(10);
    expect(first.requestId).toMatch(/^[0-9a-f]{32}$/);
    expect(first.attempts).toBe(1);
    const ids = new Set(first.body.tasks.map((t) => t.id));
    expect(second.body.tasks.some((t) => ids.has(t.id))).toBe(false);
    expect(emu.requests.map((r) => r.query.start)).toEqual(['1', '11']);
  });

  it('sends offset instead when configured', async () => {
    const { c } = client({ offsetParam: 'offset' });
    await c.listTasks({ instanceId: SEED_IDS.kafkaPaged, offset: 5, limit: 3 });
    expect(emu.requests[0]?.query).toEqual({ offset: '5', limit: '3' });
  });

  it('signs temporary credentials with X-Security-Token', async () => {
    const { c } = client({ credentials: TEMP });
    const r = await c.showTask(SEED_IDS.stuckTask.instanceId, SEED_IDS.stuckTask.taskId);
    expect(r.body.tasks[0]?.status).toBe('EXECUTING');
    expect(emu.requests[0]?.signed).toBe(true);
    const { c: noToken } = client({
      credentials: { accessKeyId: TEMP.accessKeyId, secretAccessKey: TEMP.secretAccessKey },
    });
    await expect(noToken.showTask(SEED_IDS.stuckTask.instanceId, SEED_IDS.stuckTask.taskId)).rejects.toMatchObject({
      status: 401,
    });
  });

  it('maps an unknown instance to DmsApiError with the upstream code and request id, without retrying', async () => {
    const { c } = client();
    const e = await failure(c.listTasks({ instanceId: '00000000-0000-4000-8000-000000000000' }));
    expect(e).toBeInstanceOf(DmsApiError);
    const api = e as DmsApiError;
    expect(api.status).toBe(404);
    expect(api.errorCode).toBe('DMS.00404022');
    expect(api.requestId).toMatch(/^[0-9a-f]{32}$/);
    expect(emu.requests).toHaveLength(1);
  });

  it('refuses wrong credentials with the gateway 401, not retried', async () => {
    const { c } = client({
      credentials: { accessKeyId: EMULATOR_CREDENTIALS.accessKeyId, secretAccessKey: 'wrong-secret' },
    });
    const e = await failure(c.listTasks({ instanceId: SEED_IDS.kafkaPaged }));
    expect(e).toBeInstanceOf(DmsApiError);
    expect((e as DmsApiError).status).toBe(401);
    expect((e as DmsApiError).errorCode).toMatch(/^APIGW\./);
    expect(emu.requests).toHaveLength(1);
  });

  it('retries 503 with full-jitter exponential backoff, then succeeds', async () => {
    emu.injectFault({ kind: 'status', status: 503, count: 2 });
    const { c, delays, retries } = client({ random: () => 0.5 });
    const r = await c.listTasks({ instanceId: SEED_IDS.kafkaPaged });
    expect(r.attempts).toBe(3);
    expect(delays).toEqual([100, 200]);
    expect(retries.map((i) => i.operation)).toEqual(['list-tasks', 'list-tasks']);
    expect(emu.requests.map((q) => q.status)).toEqual([503, 503, 200]);
  });

  it('honours Retry-After on 429', async () => {
    emu.injectFault({ kind: 'status', status: 429, retryAfter: 2, count: 1 });
    const { c, delays } = client();
    const r = await c.listTasks({ instanceId: SEED_IDS.kafkaPaged });
    expect(r.attempts).toBe(2);
    expect(delays).toEqual([2000]);
  });

  it('gives up at once when Retry-After would pass the deadline, keeping retryAfterSeconds', async () => {
    emu.injectFault({ kind: 'status', status: 429, retryAfter: 60, count: 1 });
    const { c, delays } = client({ deadlineMs: 5_000 });
    const e = await failure(c.listTasks({ instanceId: SEED_IDS.kafkaPaged }));
    expect(e).toBeInstanceOf(DmsApiError);
    expect((e as DmsApiError).retryAfterSeconds).toBe(60);
    expect(delays).toEqual([]);
  });

  it('stops after the bounded number of attempts on persistent 500', async () => {
    emu.injectFault({ kind: 'status', status: 500 });
    const { c, delays } = client();
    const e = await failure(c.listTasks({ instanceId: SEED_IDS.kafkaPaged }));
    expect((e as DmsApiError).status).toBe(500);
    expect((e as DmsApiError).attempts).toBe(3);
    expect(delays).toHaveLength(2);
    expect(emu.requests).toHaveLength(3);
  });

  it('turns connection resets into DmsNetworkError after retries', async () => {
    emu.injectFault({ kind: 'reset' });
    const { c } = client();
    const e = await failure(c.listTasks({ instanceId: SEED_IDS.kafkaPaged }));
    expect(e).toBeInstanceOf(DmsNetworkError);
    expect((e as DmsNetworkError).attempts).toBe(3);
  });

  it.each([
    ['<html>oops</html>', 'not-json'],
    ['{"tasks":', 'not-json'],
    ['{"task_count":"1","tasks":[{"id":1}]}', 'bad-shape'],
    ['{"total":3}', 'bad-shape'],
  ] as const)('turns the malformed 200 body %s into DmsResponseError(%s)', async (body, reason) => {
    emu.injectFault({ kind: 'malformed', body, count: 1 });
    const { c } = client();
    const e = await failure(c.listTasks({ instanceId: SEED_IDS.kafkaPaged }));
    expect(e).toBeInstanceOf(DmsResponseError);
    expect((e as DmsResponseError).reason).toBe(reason);
    expect((e as DmsResponseError).requestId).toMatch(/^[0-9a-f]{32}$/);
  });

  it('refuses a body above the size cap', async () => {
    emu.injectFault({
      kind: 'malformed',
      body: `{"task_count":"1","tasks":[],"pad":"${'x'.repeat(300_000)}"}`,
      count: 1,
    });
    const { c } = client({ maxResponseBytes: 100_000 });
    const e = await failure(c.listTasks({ instanceId: SEED_IDS.kafkaPaged }));
    expect((e as DmsResponseError).reason).toBe('too-large');
  });

  it('times out a slow attempt, retries, and reports the timeout', async () => {
    emu.setLatency(400);
    const { c } = client({ timeoutMs: 100, retry: { attempts: 2 } });
    const e = await failure(c.listTasks({ instanceId: SEED_IDS.kafkaPaged }));
    expect(e).toBeInstanceOf(DmsTimeoutError);
    expect((e as DmsTimeoutError).kind).toBe('request');
    expect((e as DmsTimeoutError).attempts).toBe(2);
  });

  it('stops at the overall deadline', async () => {
    emu.setLatency(400);
    const { c } = client({ timeoutMs: 5_000 });
    const e = await failure(c.listTasks({ instanceId: SEED_IDS.kafkaPaged }, { deadline: Date.now() + 150 }));
    expect(e).toBeInstanceOf(DmsTimeoutError);
    expect((e as DmsTimeoutError).kind).toBe('deadline');
  });

  it('stops at once when the caller aborts, without retrying', async () => {
    emu.setLatency(300);
    const { c, delays } = client();
    const ac = new AbortController();
    const p = c.listTasks({ instanceId: SEED_IDS.kafkaPaged }, { signal: ac.signal });
    setTimeout(() => ac.abort(new Error('caller gave up')), 50);
    const e = await failure(p);
    expect(e.name).toBe('DmsAbortedError');
    expect(e.message).toBe('DMS call aborted');
    expect(delays).toEqual([]);
  });

  it('ends a retry wait when the caller aborts, as DmsAbortedError', async () => {
    // Limited to an instance no other test lists: a late request of an earlier test cannot take the fault.
    emu.injectFault({ kind: 'status', status: 503, count: 1, path: SEED_IDS.rocketmq });
    const ac = new AbortController();
    const { c } = client({
      sleep: (_ms, signal) =>
        new Promise((_resolve, reject) => {
          signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
          ac.abort(new Error('caller gave up'));
        }),
    });
    const e = await failure(c.listTasks({ instanceId: SEED_IDS.rocketmq }, { signal: ac.signal }));
    expect(e).toBeInstanceOf(DmsAbortedError);
    expect((e as DmsError).attempts).toBe(1);
    expect(emu.requests.filter((r) => r.path.includes(SEED_IDS.rocketmq))).toHaveLength(1);
  });

  it('sends nothing when the caller’s signal is already aborted', async () => {
    const { c, delays } = client();
    const e = await failure(
      c.listTasks({ instanceId: SEED_IDS.kafkaPaged }, { signal: AbortSignal.abort(new Error('gone')) }),
    );
    expect(e.name).toBe('DmsAbortedError');
    expect(e.message).toBe('DMS call aborted');
    expect((e as DmsError).attempts).toBe(0);
    expect(delays).toEqual([]);
    expect(emu.requests).toHaveLength(0);
  });

  it.each([
    ['2300100286', 60],
    ['61', 60],
    [new Date(Date.now() + 86_400_000).toUTCString(), 60],
    ['7', 7],
  ])('caps a Retry-After of %s at %i s (retryAfterSeconds and the wait)', async (retryAfter, seconds) => {
    emu.injectFault({ kind: 'status', status: 429, retryAfter, count: 1 });
    const { c, delays } = client({ deadlineMs: 120_000 });
    const r = await c.listTasks({ instanceId: SEED_IDS.kafkaPaged });
    expect(r.attempts).toBe(2);
    expect(delays).toEqual([seconds * 1000]);
    emu.injectFault({ kind: 'status', status: 429, retryAfter });
    const e = await failure(client({ retry: { attempts: 1 } }).c.listTasks({ instanceId: SEED_IDS.kafkaPaged }));
    expect((e as DmsApiError).retryAfterSeconds).toBe(seconds);
  });

  it('passes an upstream error_msg on as plain text of bounded length', async () => {
    const html = '<p class="x">Bad <b>request</b></p>\u0000\u001b[31m<script>alert(1)</script> end';
    emu.injectFault({ kind: 'status', status: 400, body: { error_code: 'DMS.00400001', error_msg: html }, count: 1 });
    const { c } = client();
    const e = (await failure(c.listTasks({ instanceId: SEED_IDS.kafkaPaged }))) as DmsApiError;
    expect(e.errorMsg).toBe('Bad request [31m alert(1) end');
    emu.injectFault({
      kind: 'status',
      status: 400,
      body: { error_code: 'DMS.00400001', error_msg: `${'word '.repeat(300)}${EMULATOR_CREDENTIALS.accessKeyId}` },
      count: 1,
    });
    const long = (await failure(c.listTasks({ instanceId: SEED_IDS.kafkaPaged }))) as DmsApiError;
    expect([...long.errorMsg]).toHaveLength(1000);
    expect(long.errorMsg.endsWith('...')).toBe(true);
    // Scrubbed before it is cut: no part of a credential is left at the end.
    emu.injectFault({
      kind: 'status',
      status: 400,
      body: { error_code: 'X', error_msg: `${'a'.repeat(995)}${EMULATOR_CREDENTIALS.accessKeyId}` },
      count: 1,
    });
    const cut = (await failure(c.listTasks({ instanceId: SEED_IDS.kafkaPaged }))) as DmsApiError;
    expect(cut.errorMsg).toBe(`${'a'.repeat(995)}[r...`);
  });

  it('lists the project instances by engine', async () => {
    const { c } = client();
    const r = await c.listInstances({ engine: 'reliability' });
    expect(r.body.instances.map((i) => i.instance_id)).toContain(SEED_IDS.rocketmq);
    expect(r.body.instances.every((i) => i.engine === 'reliability')).toBe(true);
  });

  it('never puts AK, SK, token or Authorization in errors, whatever the failure', async () => {
    const creds = TEMP;
    const seen: string[] = [];
    // Whatever reaches the console during the failure paths counts too (the client itself logs nothing).
    const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((m) =>
      vi
        .spyOn(console, m)
        .mockImplementation((...args: unknown[]) => void seen.push(args.map((a) => inspect(a)).join(' '))),
    );
    const faults = [
      { kind: 'status', status: 500 },
      { kind: 'status', status: 429, retryAfter: 99 },
      { kind: 'reset' },
      { kind: 'malformed', body: '<html>' },
    ] as const;
    for (const f of faults) {
      emu.clearFaults();
      emu.injectFault(f);
      const { c } = client({ credentials: creds });
      const e = await failure(c.listTasks({ instanceId: SEED_IDS.kafkaPaged }));
      seen.push(e.message, inspect(e, { depth: 6 }), JSON.stringify(e), String(e.stack));
    }
    emu.clearFaults();
    const { c } = client({ credentials: { ...creds, secretAccessKey: 'another-secret-key' } });
    const e = await failure(c.listTasks({ instanceId: SEED_IDS.kafkaPaged }));
    seen.push(e.message, inspect(e, { depth: 6 }), JSON.stringify(e));
    // An unknown AK: the gateway echoes it in error_msg ("ak:XXX"); the client scrubs it.
    const { c: unknownAk } = client({ credentials: { accessKeyId: 'UNKNOWNAK00000000000', secretAccessKey: 'x' } });
    const e2 = await failure(unknownAk.listTasks({ instanceId: SEED_IDS.kafkaPaged }));
    expect((e2 as DmsApiError).errorMsg).toContain('[redacted]');
    seen.push(e2.message, inspect(e2, { depth: 6 }), JSON.stringify(e2));
    for (const spy of spies) spy.mockRestore();
    const text = seen.join('\n');
    for (const secret of [
      creds.accessKeyId,
      creds.secretAccessKey,
      TOKEN,
      'another-secret-key',
      'UNKNOWNAK00000000000',
      'SDK-HMAC-SHA256',
      'Signature=',
    ]) {
      expect(text).not.toContain(secret);
    }
  });
});
