import { afterEach, describe, expect, it, vi } from 'vitest';
import type { StateStore } from '../../lib/state/types';
import { bindStore, createHarness, HOUR, MIN, type Harness } from './harness';

let h: Harness | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  await h?.close();
  h = undefined;
});

const taskIdOf = (raw: string): string => (JSON.parse(raw) as { data: { task: { id: string } } }).data.task.id;

describe('delivery never loses and never duplicates', () => {
  it('sink down for three runs, then up: every notification arrives, once per webhook-id', async () => {
    h = await createHarness({
      destinations: [
        { type: 'webhook', name: 'hook' },
        { type: 'slack', name: 'slack' },
      ],
    });
    const a = h.addInstance('a');
    const b = h.addInstance('b');
    await h.run();
    h.advance(5 * MIN);
    const tasks = [h.fail(a), h.fail(a), h.fail(b)];
    h.sink.down();
    for (let i = 0; i < 3; i++) {
      const s = await h.run();
      expect(s.sent).toBe(0);
      expect(s.pending).toBeGreaterThan(0);
      h.advance(10 * MIN);
    }
    h.sink.up();
    const s = await h.run();
    expect(s).toMatchObject({ sent: 6, pending: 0, dead: 0 });
    const hooks = h.sink.accepted.filter((r) => r.type === 'webhook');
    expect(hooks).toHaveLength(3);
    expect(new Set(hooks.map((r) => r.webhookId)).size).toBe(3);
    expect(hooks.map((r) => taskIdOf(r.raw)).sort()).toEqual([...tasks].sort());
    // The webhook-id of a notification is the same on every attempt.
    for (const id of new Set(h.sink.requests.filter((r) => r.type === 'webhook').map((r) => r.webhookId))) {
      const bodies = h.sink.requests.filter((r) => r.webhookId === id).map((r) => taskIdOf(r.raw));
      expect(new Set(bodies).size).toBe(1);
    }
    const slack = h.sink.accepted.filter((r) => r.type === 'slack');
    for (const t of tasks) expect(slack.filter((r) => r.raw.includes(t))).toHaveLength(1);
    h.advance(10 * MIN);
    expect(await h.run()).toMatchObject({ sent: 0, pending: 0 });
  });

  it('two concurrent runs never send the same notification twice', async () => {
    h = await createHarness({
      destinations: [
        { type: 'webhook', name: 'hook' },
        { type: 'teams', name: 'teams' },
      ],
    });
    const live = h;
    const ids = Array.from({ length: 6 }, (_, i) => live.addInstance(`i${i}`));
    await h.run();
    h.advance(MIN);
    for (const id of ids) {
      h.fail(id);
      h.fail(id);
    }
    const [r1, r2] = await Promise.all([h.handler()({}), h.handler()({})]);
    expect((r1?.sent ?? 0) + (r2?.sent ?? 0)).toBe(12 + 12);
    // Both may detect the same new failures; only the run whose outbox write won counts each one.
    expect((r1?.newFailures ?? 0) + (r2?.newFailures ?? 0)).toBe(12);
    expect((r1?.queued ?? 0) + (r2?.queued ?? 0)).toBe(24);
    const hooks = h.sink.accepted.filter((r) => r.type === 'webhook');
    expect(hooks).toHaveLength(12);
    expect(new Set(hooks.map((r) => r.webhookId)).size).toBe(12);
    const teamsItems = h.sink.accepted
      .filter((r) => r.type === 'teams')
      .flatMap((r) => [...r.raw.matchAll(/task ([0-9a-f]{32})/g)].map((m) => m[1]));
    expect(teamsItems).toHaveLength(12);
    expect(new Set(teamsItems).size).toBe(12);
  });

  it('a run killed after claiming: its claims expire and a later run delivers them, once', async () => {
    h = await createHarness({ destinations: [{ type: 'webhook', name: 'hook' }] });
    const inst = h.addInstance('a');
    await h.run();
    h.advance(MIN);
    h.fail(inst);
    h.fail(inst);
    // The store "dies" right after the claims were written (before anything is sent).
    const real = h.store;
    const dying: StateStore = {
      ...bindStore(real),
      getMany: (k) => (k.some((x) => x.startsWith('rate#')) ? Promise.reject(new Error('killed')) : real.getMany(k)),
    };
    const killed = await h.run({ handler: { store: dying } });
    expect(killed).toMatchObject({ newFailures: 2, sent: 0 });
    expect(h.sink.requests).toHaveLength(0);
    // Right after: the lease still holds, nobody sends.
    h.advance(MIN);
    expect(await h.run()).toMatchObject({ sent: 0 });
    // After the lease: delivered, once each.
    h.advance(20 * MIN);
    expect(await h.run()).toMatchObject({ sent: 2 });
    expect(new Set(h.sink.accepted.map((r) => r.webhookId)).size).toBe(2);
    expect(h.sink.accepted).toHaveLength(2);
  });

  it('a crash between recording the outbox and marking tasks seen creates nothing twice', async () => {
    h = await createHarness({ destinations: [{ type: 'webhook', name: 'hook' }] });
    const inst = h.addInstance('a');
    await h.run();
    h.advance(MIN);
    h.fail(inst);
    const real = h.store;
    const dying: StateStore = {
      ...bindStore(real),
      put: (k, v, o) => (k.startsWith('seen#') ? Promise.reject(new Error('killed')) : real.put(k, v, o)),
    };
    const s1 = await h.run({ handler: { store: dying } });
    expect(s1).toMatchObject({ instancesFailed: 1, sent: 1 }); // the outbox item was recorded, so it is delivered
    h.advance(5 * MIN);
    // Re-detected, already queued by the run that crashed: neither queued nor counted again.
    expect(await h.run()).toMatchObject({ newFailures: 0, queued: 0, sent: 0 });
    expect(h.sink.accepted).toHaveLength(1);
  });

  it('cursors are stored together after the scan; a run that dies before that loses and repeats nothing', async () => {
    h = await createHarness({ destinations: [{ type: 'webhook', name: 'hook' }] });
    const a = h.addInstance('a');
    const b = h.addInstance('b');
    await h.run(); // baseline: cursors written one by one (they mark the baseline done)
    h.advance(MIN);
    h.fail(a);
    const real = h.store;
    const order: string[] = [];
    const watching: StateStore = {
      ...bindStore(real),
      put: (k, v, o) => {
        order.push(k.split('#')[0] ?? k);
        return real.put(k, v, o);
      },
    };
    expect(await h.run({ handler: { store: watching } })).toMatchObject({ newFailures: 1, sent: 1 });
    // Both cursors after every seen record: the scan of the second instance did not wait for a cursor write.
    expect(order.lastIndexOf('seen')).toBeLessThan(order.indexOf('cursor'));
    expect(order.filter((k) => k === 'cursor')).toHaveLength(2);
    // Next run: the cursor batch fails (the run "dies" there). Nothing is lost or sent twice afterwards.
    h.advance(MIN);
    h.fail(b);
    const dying: StateStore = {
      ...bindStore(real),
      put: (k, v, o) => (k.startsWith('cursor#') ? Promise.reject(new Error('killed')) : real.put(k, v, o)),
    };
    expect(await h.run({ handler: { store: dying } })).toMatchObject({ newFailures: 1, sent: 1 });
    h.advance(5 * MIN);
    expect(await h.run()).toMatchObject({ newFailures: 0, queued: 0, sent: 0 });
    expect(h.sink.accepted).toHaveLength(2);
    expect(h.logs.some((l) => l.msg === 'cursor write failed')).toBe(true);
  });

  it("a store failure recording one destination's result does not end the run while another still sends", async () => {
    h = await createHarness({
      destinations: [
        { type: 'webhook', name: 'a' },
        { type: 'webhook', name: 'b' },
      ],
    });
    const inst = h.addInstance('i');
    await h.run();
    h.advance(MIN);
    h.fail(inst);
    // b's POST waits until a's result failed to be stored; that failure must not end the run before b is done.
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const gated: typeof fetch = async (input, init) => {
      if (String(input).includes('/webhook/b')) await gate;
      return fetch(input, init);
    };
    const real = h.store;
    const failing: StateStore = {
      ...bindStore(real),
      update: (k, ver, v, o) => {
        if (v.state !== 'delivered' || (v.notification as { destinationId: string }).destinationId !== 'a')
          return real.update(k, ver, v, o);
        setImmediate(release);
        return Promise.reject(new Error('disk full'));
      },
    };
    const s = await h.run({ handler: { store: failing, fetch: gated } });
    expect(h.sink.accepted.map((r) => r.name).sort()).toEqual(['a', 'b']);
    expect(s).toMatchObject({ sent: 1 }); // b's; a was accepted but not recorded (its lease expires, it is sent again)
    expect(h.logs.some((l) => l.msg === 'delivery to destination failed' && l.destination === 'a')).toBe(true);
    expect(h.logs.some((l) => l.msg === 'delivery phase failed')).toBe(false);
  });

  it('dead after max age: retried by later runs, then recorded dead, logged and counted', async () => {
    h = await createHarness({ destinations: [{ type: 'webhook', name: 'hook' }], notify: { maxAgeHours: 1 } });
    const inst = h.addInstance('a');
    await h.run();
    h.advance(MIN);
    h.fail(inst);
    h.sink.respond(() => ({ status: 500, body: 'boom' }));
    let dead = 0;
    for (let i = 0; i < 8 && dead === 0; i++) {
      dead = (await h.run()).dead;
      h.advance(15 * MIN);
    }
    expect(dead).toBe(1);
    expect(h.logs.some((l) => l.msg === 'notification dead' && String(l.reason).startsWith('max age'))).toBe(true);
    const attempts = h.sink.requests.length;
    h.advance(HOUR);
    expect(await h.run()).toMatchObject({ sent: 0, dead: 0 });
    expect(h.sink.requests).toHaveLength(attempts);
  });

  it('410 and other 4xx are permanent: dead at once; platform errors inside a 200 body are failures', async () => {
    h = await createHarness({
      destinations: [
        { type: 'webhook', name: 'gone' },
        { type: 'feishu', name: 'feishu' },
        { type: 'dingtalk', name: 'ding' },
      ],
    });
    const inst = h.addInstance('a');
    await h.run();
    h.advance(MIN);
    h.fail(inst);
    h.sink.respond(({ type, count }) => {
      if (type === 'webhook') return { status: 410, body: 'gone' };
      if (type === 'feishu') return { status: 200, body: { code: 19024, msg: 'Key Words Not Found' } };
      if (type === 'dingtalk' && count === 0)
        return { status: 200, body: { errcode: 130101, errmsg: 'send too fast' } };
      return undefined;
    });
    const s = await h.run();
    expect(s).toMatchObject({ dead: 2, sent: 0, pending: 1 }); // dingtalk 130101 waits 10 minutes
    h.advance(11 * MIN);
    expect(await h.run()).toMatchObject({ sent: 1 });
    expect(h.sink.requests.filter((r) => r.type === 'webhook')).toHaveLength(1);
    expect(h.sink.requests.filter((r) => r.type === 'feishu')).toHaveLength(1);
  });

  it('redirects are not followed', async () => {
    h = await createHarness({ destinations: [{ type: 'webhook', name: 'hook' }] });
    const inst = h.addInstance('a');
    await h.run();
    h.advance(MIN);
    h.fail(inst);
    h.sink.respond(() => ({ status: 307, headers: { location: 'https://example.com/' } }));
    expect(await h.run()).toMatchObject({ dead: 1 });
    expect(h.sink.requests).toHaveLength(1);
  });

  it('stops starting scans before the deadline; the next run does the rest, least recently scanned first', async () => {
    h = await createHarness({ destinations: [{ type: 'webhook', name: 'hook' }], notify: { concurrency: 1 } });
    const live = h;
    const ids = Array.from({ length: 5 }, (_, i) => live.addInstance(`i${i}`));
    // Each task listing "costs" 20 s of a 60 s invocation; with no backlog the scan phase keeps 10 s for delivery.
    const listings = (): number => live.emulator.requests.filter((r) => r.path.endsWith('/tasks')).length;
    const context = { getRemainingTimeInMillis: () => 60_000 - 20_000 * listings() };
    const s1 = await h.run({ context });
    expect(s1).toMatchObject({ instancesScanned: 3, instancesSkipped: 2, instancesWatched: 5, neverScanned: 2 });
    const firstThree = h.emulator.requests.map((r) => r.path.split('/')[4]);
    h.emulator.resetRequests();
    h.advance(5 * MIN);
    const s2 = await h.run();
    expect(s2).toMatchObject({ instancesScanned: 5, instancesSkipped: 0, neverScanned: 0, oldestScanAgeSeconds: 0 });
    const order = h.emulator.requests.map((r) => r.path.split('/')[4]);
    expect(order.slice(0, 2).sort()).toEqual(ids.filter((id) => !firstThree.includes(id)).sort());
  });

  it('never logs a webhook URL, a secret, or the AK/SK, whatever fails', async () => {
    h = await createHarness({
      destinations: [
        { type: 'webhook', name: 'hook' },
        { type: 'dingtalk', name: 'ding' },
        { type: 'feishu', name: 'feishu' },
        { type: 'wecom', name: 'wecom' },
      ],
      notify: { maxAgeHours: 0.5 },
    });
    const out: string[] = [];
    for (const m of ['log', 'error', 'warn', 'info', 'debug'] as const)
      vi.spyOn(console, m).mockImplementation((...a: unknown[]) => void out.push(a.map(String).join(' ')));
    const inst = h.addInstance('a');
    const log = (e: Record<string, unknown>) => out.push(JSON.stringify(e));
    await h.run({ handler: { log } });
    h.advance(MIN);
    h.fail(inst);
    h.emulator.injectFault({ kind: 'reset', count: 1 });
    h.sink.respond(({ type, count }) =>
      type === 'webhook'
        ? { status: 503, reset: count % 2 === 0 }
        : type === 'wecom'
          ? { status: 400, body: { errcode: 93000 } }
          : { status: 200, body: { code: 19021, errcode: 310000 } },
    );
    for (let i = 0; i < 4; i++) {
      await h.run({ handler: { log } });
      h.advance(15 * MIN);
    }
    h.emulator.injectFault({ kind: 'status', status: 500 });
    await h.run({ handler: { log } });
    h.emulator.clearFaults();
    // A bad reference and a bad URL fail the cold start without echoing the value.
    const badEnv = {
      ...h.env,
      DMS_TASKS_CONFIG: JSON.stringify({
        projects: { [h.projectId]: 'cn-north-4' },
        notify: { destinations: { x: { type: 'slack', url: { env: 'HOOK_HOOK_URL' } } } },
      }),
    };
    const { createNotifyHandler } = await import('../../lib/notify/createNotifyHandler');
    await expect(createNotifyHandler({ env: badEnv, store: h.store, log })({})).rejects.toThrow(
      /destination x: URL scheme must be https/,
    );
    try {
      await createNotifyHandler({ env: badEnv, store: h.store, log })({});
    } catch (e) {
      out.push(String(e), (e as Error).stack ?? '');
    }
    const text = out.join('\n');
    expect(out.length).toBeGreaterThan(5);
    expect(text).toContain('notification dead');
    for (const s of h.secretValues) expect(text).not.toContain(s);
    expect(text).not.toContain(h.sink.url);
    expect(text).not.toMatch(/access_token|127\.0\.0\.1:\d+\/(webhook|dingtalk|feishu|wecom)/);
  });
});

/**
 * Two concurrent runs, then an outage and recovery, on a shared store: each webhook-id is delivered
 * once. Run for each store that more than one process can share.
 */
async function concurrentRunsThenOutage(store: (now: () => number) => StateStore): Promise<void> {
  h = await createHarness({ destinations: [{ type: 'webhook', name: 'hook' }], store });
  const live = h;
  const ids = Array.from({ length: 4 }, (_, i) => live.addInstance(`i${i}`));
  await h.run();
  h.advance(MIN);
  for (const id of ids) h.fail(id);
  const runs = await Promise.all([h.handler()({}), h.handler()({})]);
  expect(runs.reduce((n, r) => n + r.sent, 0)).toBe(4);
  h.advance(MIN);
  for (const id of ids) h.fail(id);
  h.sink.down();
  expect(await h.run()).toMatchObject({ sent: 0, pending: 4 });
  h.sink.up();
  h.advance(10 * MIN);
  expect(await h.run()).toMatchObject({ sent: 4, pending: 0 });
  const got = h.sink.accepted.map((r) => r.webhookId);
  expect(got).toHaveLength(8);
  expect(new Set(got).size).toBe(8);
}

describe('with the DynamoDB store (dynalite)', () => {
  it('two concurrent runs, then an outage and recovery: each webhook-id delivered once', async () => {
    const { startDynalite } = await import('../../dev/dynalite');
    const { DynamoStore } = await import('../../lib/state/dynamoStore');
    const dyn = await startDynalite();
    try {
      const table = await dyn.newTable();
      await concurrentRunsThenOutage((now) => new DynamoStore({ table, client: dyn.client, now }));
    } finally {
      await dyn.close();
    }
  });
});

describe('with the Redis store (redis-server)', () => {
  it('two concurrent runs, then an outage and recovery: each webhook-id delivered once', async () => {
    const { startRedisServer } = await import('../../dev/redisServer');
    const { connectRedis } = await import('../../lib/state/connectRedis');
    const { RedisStore } = await import('../../lib/state/redisStore');
    const server = await startRedisServer();
    const stores: InstanceType<typeof RedisStore>[] = [];
    try {
      await concurrentRunsThenOutage((now) => {
        const s = new RedisStore({ client: connectRedis(server), now });
        stores.push(s);
        return s;
      });
    } finally {
      await Promise.all(stores.map((s) => s.close()));
      await server.stop();
    }
  });

  it('a run whose store connection dies after claiming: a later run delivers each claim once', async () => {
    const { startRedisServer } = await import('../../dev/redisServer');
    const { connectRedis } = await import('../../lib/state/connectRedis');
    const { RedisStore } = await import('../../lib/state/redisStore');
    const server = await startRedisServer();
    const client = connectRedis(server);
    const real = new RedisStore({ client, now: () => h?.clock.t ?? Date.now() });
    try {
      h = await createHarness({ destinations: [{ type: 'webhook', name: 'hook' }], store: () => real });
      const inst = h.addInstance('a');
      await h.run();
      h.advance(MIN);
      h.fail(inst);
      h.fail(inst);
      // The connection is cut (as a killed process's would be) when the run first reads rate state.
      const dying: StateStore = {
        ...bindStore(real),
        getMany: (k) => {
          if (!k.some((x) => x.startsWith('rate#'))) return real.getMany(k);
          client.disconnect(true);
          return Promise.reject(new Error('killed'));
        },
      };
      expect(await h.run({ handler: { store: dying } })).toMatchObject({ newFailures: 2, sent: 0 });
      h.advance(MIN);
      expect(await h.run()).toMatchObject({ sent: 0 }); // the lease still holds
      h.advance(20 * MIN);
      expect(await h.run()).toMatchObject({ sent: 2 });
      expect(new Set(h.sink.accepted.map((r) => r.webhookId)).size).toBe(2);
      expect(h.sink.accepted).toHaveLength(2);
    } finally {
      await real.close();
      await server.stop();
    }
  });
});

describe('the same guarantees with Huawei SMN and PagerDuty beside the others (issue 12)', () => {
  const ALL = [
    { type: 'webhook', name: 'hook' },
    { type: 'slack', name: 'slack' },
    { type: 'smn', name: 'topic' },
    { type: 'pagerduty', name: 'pd' },
  ] as const;

  /** Every destination received each task exactly once among its accepted messages. */
  function expectEachOnce(x: Harness, tasks: readonly string[]): void {
    const hooks = x.sink.accepted.filter((r) => r.type === 'webhook');
    expect(hooks.map((r) => taskIdOf(r.raw)).sort()).toEqual([...tasks].sort());
    expect(new Set(hooks.map((r) => r.webhookId)).size).toBe(tasks.length);
    const slack = x.sink.accepted.filter((r) => r.type === 'slack');
    const smn = x.emulator.smnPublished.map((p) => p.structure?.email ?? '');
    const pd = x.sink.accepted.filter((r) => r.type === 'pagerduty');
    expect(new Set(pd.map((r) => (r.body as { dedup_key: string }).dedup_key)).size).toBe(tasks.length);
    expect(pd).toHaveLength(tasks.length);
    for (const t of tasks) {
      expect(slack.filter((r) => r.raw.includes(t))).toHaveLength(1);
      expect(smn.filter((e) => e.includes(t))).toHaveLength(1);
      expect(pd.filter((r) => r.raw.includes(t))).toHaveLength(1);
    }
  }

  /** Every destination fails: the sink (webhook, Slack, PagerDuty) and the emulator's SMN publish. */
  function failAll(x: Harness, status: number): void {
    x.sink.respond(() => ({ status, body: 'no' }));
    x.emulator.clearFaults();
    x.emulator.injectFault({ kind: 'status', status, path: '/publish' });
  }
  function healAll(x: Harness): void {
    x.sink.respond(undefined);
    x.emulator.clearFaults();
  }

  it('down for three runs, then up: all of it in the first healthy run, once per destination', async () => {
    h = await createHarness({ destinations: ALL });
    const a = h.addInstance('a');
    const b = h.addInstance('b');
    await h.run();
    h.advance(5 * MIN);
    const tasks = [h.fail(a), h.fail(a), h.fail(b)];
    failAll(h, 503);
    for (let i = 0; i < 3; i++) {
      expect(await h.run()).toMatchObject({ sent: 0, pending: 12, dead: 0 });
      h.advance(MIN);
    }
    healAll(h);
    expect(await h.run()).toMatchObject({ sent: 12, pending: 0, dead: 0 });
    expectEachOnce(h, tasks);
    h.advance(10 * MIN);
    expect(await h.run()).toMatchObject({ sent: 0, pending: 0 });
  });

  it('two runs of 500s, one of 429s, then up: all of it in the first healthy run, once', async () => {
    h = await createHarness({ destinations: ALL });
    const a = h.addInstance('a');
    await h.run();
    h.advance(MIN);
    const tasks = [h.fail(a), h.fail(a)];
    for (const status of [500, 500, 429]) {
      failAll(h, status);
      expect(await h.run()).toMatchObject({ sent: 0, dead: 0 });
      h.advance(MIN);
    }
    healAll(h);
    expect(await h.run()).toMatchObject({ sent: 8, pending: 0, dead: 0 });
    expectEachOnce(h, tasks);
  });

  it('a run killed after claiming: a later run delivers each claim once, SMN and PagerDuty too', async () => {
    h = await createHarness({ destinations: ALL });
    const inst = h.addInstance('a');
    await h.run();
    h.advance(MIN);
    const tasks = [h.fail(inst), h.fail(inst)];
    const real = h.store;
    const dying: StateStore = {
      ...bindStore(real),
      getMany: (k) => (k.some((x) => x.startsWith('rate#')) ? Promise.reject(new Error('killed')) : real.getMany(k)),
    };
    expect(await h.run({ handler: { store: dying } })).toMatchObject({ newFailures: 2, sent: 0 });
    h.advance(MIN);
    expect(await h.run()).toMatchObject({ sent: 0 }); // the lease still holds
    h.advance(20 * MIN);
    expect(await h.run()).toMatchObject({ sent: 8 });
    expectEachOnce(h, tasks);
  });

  it('two concurrent runs never send the same notification twice, to any destination', async () => {
    h = await createHarness({ destinations: ALL });
    const live = h;
    const ids = Array.from({ length: 4 }, (_, i) => live.addInstance(`i${i}`));
    await h.run();
    h.advance(MIN);
    const tasks = ids.flatMap((id) => [live.fail(id), live.fail(id)]);
    const [r1, r2] = await Promise.all([h.handler()({}), h.handler()({})]);
    expect((r1?.sent ?? 0) + (r2?.sent ?? 0)).toBe(8 * 4);
    expect((r1?.newFailures ?? 0) + (r2?.newFailures ?? 0)).toBe(8);
    expectEachOnce(h, tasks);
  });
});
