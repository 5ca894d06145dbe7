import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, HOUR, MIN, type Harness } from './harness';

const ALL = [
  { type: 'webhook', name: 'hook' },
  { type: 'slack', name: 'slack' },
  { type: 'teams', name: 'teams' },
  { type: 'feishu', name: 'feishu' },
  { type: 'dingtalk', name: 'ding' },
  { type: 'wecom', name: 'wecom' },
] as const;

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('notify-on-failure over HTTP (emulator + sink)', () => {
  it('a new failure gives exactly one delivery per destination, every signature verifies', async () => {
    h = await createHarness({ destinations: ALL });
    const inst = h.addInstance('orders-kafka');
    const first = await h.run();
    expect(first).toMatchObject({ instancesScanned: 1, baselined: 0, sent: 0 });
    h.advance(5 * MIN);
    const taskId = h.fail(inst, { name: 'modifyInstanceSpec' });
    const second = await h.run();
    expect(second).toMatchObject({
      instancesScanned: 1,
      newFailures: 1,
      queued: 6,
      sent: 6,
      messages: 6,
      pending: 0,
      dead: 0,
    });
    const got = h.sink.requests;
    expect(got.map((r) => `${r.type}/${r.name}`).sort()).toEqual(ALL.map((d) => `${d.type}/${d.name}`).sort());
    for (const r of got) {
      expect(r.ok, `${r.type} answered ${r.status}`).toBe(true);
      if (['webhook', 'feishu', 'dingtalk'].includes(r.type))
        expect(r.verified, `${r.type}: ${r.verifyError}`).toBe(true);
      expect(r.raw).toContain(taskId);
    }
    const hook = got.find((r) => r.type === 'webhook');
    expect(hook?.webhookId).toMatch(/^msg_/);
    expect(hook?.headers['webhook-signature']?.split(' ')).toHaveLength(2); // both keys during rotation
    expect(hook?.body).toMatchObject({
      type: 'dms.task.failed',
      data: { event: 'failed', instance: { id: inst, name: 'orders-kafka' }, task: { id: taskId, status: 'FAILED' } },
    });
    // Later runs: nothing new.
    h.advance(5 * MIN);
    expect(await h.run()).toMatchObject({ newFailures: 0, sent: 0 });
    expect(h.sink.requests).toHaveLength(6);
  });

  it('accepts a FunctionGraph timer event', async () => {
    h = await createHarness({ destinations: [{ type: 'webhook', name: 'hook' }] });
    h.addInstance('a');
    const s = await h.run({
      event: {
        version: 'v1.0',
        time: '2026-11-20T12:00:00+08:00',
        trigger_type: 'TIMER',
        trigger_name: 'every5',
        user_event: '',
      },
    });
    expect(s.trigger).toBe('functiongraph-timer');
  });

  it('the first scan baselines older failures, sends those within the grace window; later ones are sent', async () => {
    h = await createHarness({ destinations: [{ type: 'webhook', name: 'hook' }] });
    const inst = h.addInstance('a');
    const old = new Date(h.clock.t - 61 * MIN).toISOString();
    h.fail(inst, { created_at: old, updated_at: old });
    h.fail(inst, { created_at: old, updated_at: old });
    // Failed 59 minutes ago: within the 60-minute grace window, so announced by the first scan too.
    const recent = new Date(h.clock.t - 59 * MIN).toISOString();
    const r = h.fail(inst, { created_at: recent, updated_at: recent });
    expect(await h.run()).toMatchObject({ baselined: 2, newFailures: 1, sent: 1 });
    expect(h.sink.accepted.map((q) => (q.body as { data: { task: { id: string } } }).data.task.id)).toEqual([r]);
    h.sink.reset();
    h.advance(5 * MIN);
    const t = h.fail(inst);
    expect(await h.run()).toMatchObject({ newFailures: 1, sent: 1 });
    expect(h.sink.accepted.map((r) => (r.body as { data: { task: { id: string } } }).data.task.id)).toEqual([t]);
  });

  it('with baseline off, the first scan sends existing failures', async () => {
    h = await createHarness({ destinations: [{ type: 'webhook', name: 'hook' }], notify: { baseline: false } });
    const inst = h.addInstance('a');
    h.fail(inst);
    expect(await h.run()).toMatchObject({ newFailures: 1, sent: 1 });
  });

  it('a stuck task is notified once, and again only when it fails', async () => {
    h = await createHarness({ destinations: [{ type: 'webhook', name: 'hook' }] });
    const inst = h.addInstance('a');
    await h.run();
    const created = new Date(h.clock.t - 90 * MIN).toISOString();
    const task = h.emulator.addTask(h.projectId, inst, {
      name: 'extendDisk',
      status: 'EXECUTING',
      created_at: created,
    });
    h.advance(5 * MIN);
    expect(await h.run()).toMatchObject({ stuck: 0, sent: 0 }); // 95 min < 2 h
    h.advance(30 * MIN);
    expect(await h.run()).toMatchObject({ stuck: 1, sent: 1 });
    h.advance(30 * MIN);
    expect(await h.run()).toMatchObject({ stuck: 0, sent: 0 });
    h.emulator.setTaskStatus(h.projectId, inst, task.id, 'FAILED');
    h.advance(5 * MIN);
    expect(await h.run()).toMatchObject({ newFailures: 1, sent: 1 });
    const types = h.sink.accepted.map((r) => (r.body as { type: string }).type);
    expect(types).toEqual(['dms.task.stuck', 'dms.task.failed']);
    expect(new Set(h.sink.accepted.map((r) => r.webhookId)).size).toBe(2);
  });

  it('catches up after an outage from the last successful scan, looking back 24 h before it', async () => {
    h = await createHarness({ destinations: [{ type: 'webhook', name: 'hook' }] });
    const inst = h.addInstance('a');
    await h.run();
    const lastScan = h.clock.t;
    // Three days without a successful run; meanwhile a task started 20 h before the last scan and failed later.
    h.emulator.injectFault({ kind: 'status', status: 503 });
    h.advance(HOUR);
    expect(await h.run()).toMatchObject({ instancesFailed: 1, sent: 0 });
    h.emulator.clearFaults();
    h.advance(3 * 24 * HOUR);
    const t = h.fail(inst, {
      created_at: new Date(lastScan - 20 * HOUR).toISOString(),
      updated_at: new Date(h.clock.t - HOUR).toISOString(),
    });
    h.emulator.resetRequests();
    expect(await h.run()).toMatchObject({ newFailures: 1, sent: 1 });
    const begin = h.emulator.requests.find((r) => r.path.endsWith('/tasks'))?.query.begin_time ?? '';
    expect(begin <= new Date(lastScan - 24 * HOUR).toISOString().replace(/[-:T]/g, '').slice(0, 14)).toBe(true);
    expect(JSON.stringify(h.sink.accepted[0]?.body)).toContain(t);
  });

  it('filters and routes: each route sends to its destinations, filters by task name and instance', async () => {
    h = await createHarness({
      destinations: [
        { type: 'webhook', name: 'ops' },
        { type: 'slack', name: 'team' },
      ],
      notify: {
        routes: {
          ops: { destinations: ['ops'], filter: { tasks: { exclude: ['restart*'] } } },
          team: { destinations: ['team'], filter: { instances: { include: ['orders-*'] } } },
        },
        filter: { tasks: { exclude: ['noisy*'] } },
      },
    });
    const orders = h.addInstance('orders-kafka'); // default routes: ops and team
    const billing = h.addInstance('billing-mq', 'rabbitmq', ['team']); // team only, but its filter excludes it
    const other = h.addInstance('other', 'rocketmq', ['ops']);
    await h.run();
    h.advance(5 * MIN);
    const a = h.fail(orders, { name: 'modifyInstanceSpec' }); // ops + team
    const b = h.fail(orders, { name: 'restartInstance' }); // team only (ops excludes restart*)
    h.fail(billing, { name: 'modifyInstanceSpec' }); // nowhere
    const d = h.fail(other, { name: 'extendDisk' }); // ops
    h.fail(other, { name: 'noisyTask' }); // nowhere (global filter)
    const s = await h.run();
    expect(s).toMatchObject({ newFailures: 5, queued: 4, sent: 4 });
    const ops = h.sink.accepted
      .filter((r) => r.name === 'ops')
      .map((r) => (r.body as { data: { task: { id: string } } }).data.task.id);
    expect(ops.sort()).toEqual([a, d].sort());
    const team = h.sink.accepted.filter((r) => r.name === 'team');
    expect(team).toHaveLength(1); // one grouped message for orders-kafka
    expect(team[0]?.raw).toContain(a);
    expect(team[0]?.raw).toContain(b);
  });

  it('groups one instance’s failures into one message and truncates oversized groups with a count', async () => {
    h = await createHarness({ destinations: [{ type: 'wecom', name: 'wecom' }] });
    const inst = h.addInstance('big');
    await h.run();
    h.advance(MIN);
    for (let i = 0; i < 40; i++) h.fail(inst, { name: `modifyInstanceSpec-${'x'.repeat(60)}-${i}` });
    const s = await h.run();
    expect(s).toMatchObject({ newFailures: 40, sent: 40, messages: 1 });
    const [msg] = h.sink.accepted;
    expect(Buffer.byteLength(msg?.raw ?? '')).toBeLessThanOrEqual(4096);
    const content = (msg?.body as { markdown: { content: string } } | undefined)?.markdown.content ?? '';
    const shown = content.split('\n').filter((l) => l.startsWith('- ')).length;
    expect(shown).toBeGreaterThan(0);
    expect(content).toContain(`and ${40 - shown} more`);
  });

  it('rate limits per destination: past 20 a minute, the rest waits for a later run', async () => {
    h = await createHarness({ destinations: [{ type: 'dingtalk', name: 'ding' }] });
    const live = h;
    const ids = Array.from({ length: 25 }, (_, i) => live.addInstance(`i${i}`));
    await h.run();
    h.advance(MIN);
    for (const id of ids) h.fail(id);
    const r1 = await h.run();
    expect(r1).toMatchObject({ newFailures: 25, messages: 20, pending: 5 });
    h.advance(5_000);
    expect(await h.run()).toMatchObject({ messages: 0 }); // the window is shared across runs
    h.advance(60_000);
    expect(await h.run()).toMatchObject({ messages: 5, pending: 0 });
    expect(h.sink.accepted).toHaveLength(25);
    for (const id of ids) expect(h.sink.accepted.filter((r) => r.raw.includes(id))).toHaveLength(1);
  });

  it('honours Retry-After on 429 within the run', async () => {
    h = await createHarness({ destinations: [{ type: 'slack', name: 'slack' }] });
    const inst = h.addInstance('a');
    await h.run();
    h.advance(MIN);
    h.fail(inst);
    h.sink.respond(({ count }) =>
      count === 0 ? { status: 429, body: 'rate_limited', headers: { 'retry-after': '7' } } : undefined,
    );
    expect(await h.run()).toMatchObject({ sent: 1, retried: 1 });
    expect(h.sleeps).toContain(7000);
  });
});
