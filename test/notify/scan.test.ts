import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../lib/config/loadConfig';
import type { DmsClient } from '../../lib/dms/client';
import type { DmsTask } from '../../lib/dms/types';
import { parseNotifyConfig } from '../../lib/notify/config/parseNotifyConfig';
import { keys } from '../../lib/notify/records';
import { scanInstance } from '../../lib/notify/scan/scan';
import type { InstanceTarget } from '../../lib/notify/types';
import { FileStore } from '../../lib/state/fileStore';
import type { StateStore, StoredValue, WriteOptions } from '../../lib/state/types';
import { bindStore, createHarness, MIN, type Harness } from './harness';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});
const dir = mkdtempSync(join(tmpdir(), 'scan-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Write {
  readonly kind: 'outbox' | 'seen' | 'cursor' | 'other';
  readonly instance: string;
  readonly phase: 'start' | 'done';
}

/** The store, with every write's start and completion logged in order. */
function logged(real: StateStore, log: Write[]): StateStore {
  const instanceOf = (key: string, value: StoredValue): Write => {
    const [kind = 'other', , instance = ''] = key.split('#');
    if (kind === 'outbox')
      return { kind, instance: String((value.notification as { instanceId: string }).instanceId), phase: 'start' };
    return { kind: kind === 'seen' || kind === 'cursor' ? kind : 'other', instance, phase: 'start' };
  };
  const write = async <T>(key: string, value: StoredValue, fn: () => Promise<T>, delivery = false): Promise<T> => {
    const w: Write = delivery ? { kind: 'other', instance: '', phase: 'start' } : instanceOf(key, value);
    log.push(w);
    const r = await fn();
    log.push({ ...w, phase: 'done' });
    return r;
  };
  return {
    get: (k) => real.get(k),
    getMany: (k) => real.getMany(k),
    listDue: (n, l) => real.listDue(n, l),
    scan: (p, l, c) => real.scan(p, l, c),
    put: (k, v, o?: WriteOptions) => write(k, v, () => real.put(k, v, o)),
    create: (k, v, o?: WriteOptions) => write(k, v, () => real.create(k, v, o)),
    // delivery's claims and results
    update: (k, ver, v, o?: WriteOptions) => write(k, v, () => real.update(k, ver, v, o), true),
  };
}

describe('scan writes', () => {
  it('per instance: outbox items stored before any seen record starts, seen records before the cursor', async () => {
    const log: Write[] = [];
    h = await createHarness({
      destinations: [
        { type: 'webhook', name: 'hook' },
        { type: 'slack', name: 'chat' },
      ],
      notify: { concurrency: 3, baseline: false },
      store: (now) => logged(new FileStore(join(dir, 'order.json'), { now }), log),
    });
    const instances = Array.from({ length: 8 }, (_, i) => h?.addInstance(`i${i}`) ?? '');
    for (const inst of instances) for (let t = 0; t < 3; t++) h.fail(inst);
    h.emulator.setLatency(5);
    expect(await h.run()).toMatchObject({ instancesScanned: 8, instancesFailed: 0, newFailures: 24, queued: 48 });
    for (const inst of instances) {
      const at = (kind: Write['kind'], phase: Write['phase']): number[] =>
        log.flatMap((w, i) => (w.instance === inst && w.kind === kind && w.phase === phase ? [i] : []));
      const outboxDone = at('outbox', 'done');
      const seenStart = at('seen', 'start');
      const seenDone = at('seen', 'done');
      const cursorStart = at('cursor', 'start');
      expect([outboxDone.length, seenStart.length, cursorStart.length]).toEqual([6, 3, 1]);
      expect(Math.max(...outboxDone)).toBeLessThan(Math.min(...seenStart));
      expect(Math.max(...seenDone)).toBeLessThan(Math.min(...cursorStart));
    }
  });

  it("a failed outbox write leaves that instance's seen records and cursor unwritten; the next run sends", async () => {
    h = await createHarness({ destinations: [{ type: 'webhook', name: 'hook' }], notify: { concurrency: 2 } });
    const a = h.addInstance('a');
    const b = h.addInstance('b');
    await h.run(); // baseline
    h.advance(MIN);
    h.fail(a);
    h.fail(b);
    const real = h.store;
    const cursorBefore = await real.get(keys.cursor(h.projectId, a));
    const failing: StateStore = {
      ...bindStore(real),
      create: (k, v, o) =>
        (v.notification as { instanceId: string }).instanceId === a
          ? Promise.reject(new Error('disk full'))
          : real.create(k, v, o),
    };
    expect(await h.run({ handler: { store: failing } })).toMatchObject({
      instancesScanned: 1,
      instancesFailed: 1,
      sent: 1,
    });
    expect(await real.get(keys.cursor(h.projectId, a))).toEqual(cursorBefore);
    h.advance(5 * MIN);
    expect(await h.run()).toMatchObject({ instancesScanned: 2, newFailures: 1, queued: 1, sent: 1 });
    expect(h.sink.accepted).toHaveLength(2);
  });
});

describe('the cursor read once for the run', () => {
  const env = {
    DMS_TASKS_CONFIG: JSON.stringify({ projects: { '0a1b2c3d4e5f60718293a4b5c6d7e8f9': 'cn-north-4' }, notify: {} }),
  };
  const config = parseNotifyConfig(loadConfig(env), env);
  const now = Date.UTC(2026, 10, 20, 12, 0, 0);
  const target: InstanceTarget = {
    projectId: '0a1b2c3d4e5f60718293a4b5c6d7e8f9',
    region: 'cn-north-4',
    instanceId: 'inst-1',
    name: 'one',
    engine: 'kafka',
    routes: [],
  };
  const task: DmsTask = {
    id: 't1',
    name: 'restartInstance',
    user_name: 'u',
    user_id: 'u',
    params: '',
    status: 'FAILED',
    created_at: new Date(now - 10 * MIN).toISOString(),
    updated_at: new Date(now - 5 * MIN).toISOString(),
  };
  const client = {
    listTasks: async () => ({ body: { task_count: '1', tasks: [task] } }),
    pagingParam: () => 'start',
    rememberPagingParam: () => undefined,
  } as unknown as DmsClient;
  let n = 0;
  const setup = async (stored: boolean): Promise<{ store: StateStore; gets: string[] }> => {
    const real = new FileStore(join(dir, `cursor${++n}.json`), { now: () => now });
    if (stored)
      await real.put(keys.cursor(target.projectId, target.instanceId), {
        lastScanAt: new Date(now - 5 * MIN).toISOString(),
        baselineDone: true,
      });
    const gets: string[] = [];
    return {
      store: {
        ...bindStore(real),
        get: (k) => {
          gets.push(k);
          return real.get(k);
        },
      },
      gets,
    };
  };
  const ctx = (store: StateStore, c = config) => ({ config: c, store, now: () => now, deadline: Date.now() + 60_000 });

  it('is read again when it was absent: another run may have done the baseline since', async () => {
    const { store, gets } = await setup(true);
    expect(await scanInstance(ctx(store), client, target, undefined)).toMatchObject({ newFailures: 1, baselined: 0 });
    expect(gets).toHaveLength(1);
  });

  it('absent on a second read too: the first scan baselines (a failure older than the grace window)', async () => {
    const { store } = await setup(false);
    const noGrace = { ...config, baselineGraceMinutes: 0 };
    expect(await scanInstance(ctx(store, noGrace), client, target, undefined)).toMatchObject({
      newFailures: 0,
      baselined: 1,
    });
  });

  it('absent on a second read too: a failure within the grace window (default 60 min) is still announced', async () => {
    const { store } = await setup(false);
    expect(config.baselineGraceMinutes).toBe(60);
    expect(await scanInstance(ctx(store), client, target, undefined)).toMatchObject({ newFailures: 1, baselined: 0 });
  });

  it('is used as read when it says the baseline is done', async () => {
    const { store, gets } = await setup(false);
    const known = {
      key: keys.cursor(target.projectId, target.instanceId),
      version: 3,
      value: { lastScanAt: new Date(now - 60 * MIN).toISOString(), baselineDone: true },
    };
    expect(await scanInstance(ctx(store), client, target, known)).toMatchObject({ newFailures: 1, baselined: 0 });
    expect(gets).toEqual([]);
  });
});

describe('an incomplete listing (no silent short walk)', () => {
  it('neither paging name advances: the run says so in its summary and log, and keeps the cursor', async () => {
    h = await createHarness({
      destinations: [{ type: 'webhook', name: 'hook' }],
      notify: { baseline: false },
      // At most 5 a page, and a server that ignores both paging names: page two is page one again.
      emulator: { acceptedOffsetParams: [], maxLimit: 5 },
    });
    const inst = h.addInstance('stalls');
    for (let t = 0; t < 12; t++) h.fail(inst);
    const first = await h.run();
    expect(first).toMatchObject({ instancesScanned: 1, instancesIncomplete: 1, newFailures: 5 });
    expect(h.logs).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        msg: 'instance listing incomplete',
        instance: inst,
        stopReason: 'stalled',
      }),
    );
    expect(h.logs.find((l) => l.msg === 'notify run')).toMatchObject({ instancesIncomplete: 1 });
    expect(await h.store.get(keys.cursor(h.projectId, inst))).toBeUndefined();
    // The server starts honouring `offset`: the next run switches names and finds the other seven.
    h.emulator.setPaging({ acceptedOffsetParams: ['offset'] });
    h.advance(MIN);
    expect(await h.run()).toMatchObject({ instancesIncomplete: 0, newFailures: 7 });
    expect(new Set(h.sink.accepted.map((r) => r.headers['webhook-id'])).size).toBe(12);
  });
});
