import { afterEach, describe, expect, it } from 'vitest';
import type { OutboxRecord } from '../../lib/notify/records';
import { keys } from '../../lib/notify/records';
import { SilenceService } from '../../lib/notify/silences/silenceService';
import type { Silence } from '../../lib/notify/silences/silences';
import { createHarness, HOUR, MIN, type Harness } from './harness';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const at = (x: Harness, deltaMs: number): string => new Date(x.clock.t + deltaMs).toISOString();
const types = (x: Harness): string[] => x.sink.accepted.map((r) => `${(r.body as { type: string }).type}`);

async function outbox(x: Harness, id: string | undefined): Promise<OutboxRecord | undefined> {
  return (await x.store.get(keys.outbox(id ?? '')))?.value as OutboxRecord | undefined;
}

/** An API silence from `fromMs` to `toMs` around the harness clock, through the silence service. */
function apiSilence(x: Harness, fromMs: number, toMs: number, matchers: Partial<Silence['matchers']>) {
  const input = { startsAt: at(x, fromMs), endsAt: at(x, toMs), matchers, createdBy: 't' };
  return new SilenceService(x.store, []).create(input, 'body', x.clock.t);
}

describe('silences (emulator + sink, controlled clock)', () => {
  it('a configured silence records matching notifications as silenced, never sent, also after it ends', async () => {
    const start = Date.UTC(2026, 10, 20, 12, 0, 0);
    h = await createHarness({
      destinations: [{ type: 'webhook', name: 'hook' }],
      notify: {
        silences: [
          {
            id: 'resize-orders',
            startsAt: new Date(start).toISOString(),
            endsAt: new Date(start + 2 * HOUR).toISOString(),
            matchers: { instances: ['orders'], tasks: ['modify*'], events: ['failed'] },
            createdBy: 'ops@example.com',
            comment: 'planned resize',
          },
        ],
      },
    });
    const orders = h.addInstance('orders');
    const other = h.addInstance('billing');
    await h.run();
    h.advance(5 * MIN);
    const silencedTask = h.fail(orders, { name: 'modifyInstanceSpec' });
    h.fail(orders, { name: 'restartInstance' }); // another task name: sent
    h.fail(other, { name: 'modifyInstanceSpec' }); // another instance: sent
    expect(await h.run()).toMatchObject({ newFailures: 3, queued: 3, sent: 2, silenced: 1 });
    for (let i = 0; i < 4; i++) {
      h.advance(HOUR); // past the silence's end too
      expect(await h.run()).toMatchObject({ sent: 0, silenced: 0 });
    }
    expect(h.sink.accepted).toHaveLength(2);
    expect(h.sink.requests.some((r) => r.raw.includes(silencedTask))).toBe(false);
    // The outbox holds it as silenced, by which silence.
    const hookLog = h.logs.find((l) => l.msg === 'notify run');
    expect(hookLog).toBeDefined();
    const { notificationId } = await import('../../lib/notify/records');
    const id = notificationId(h.projectId, orders, silencedTask, 'failed', 'hook');
    expect(await outbox(h, id)).toMatchObject({ state: 'silenced', silencedBy: 'resize-orders', attempts: 0 });
    // After the silence, a new failure of the same kind is sent.
    h.fail(orders, { name: 'modifyInstanceSpec' });
    expect(await h.run()).toMatchObject({ sent: 1, silenced: 0 });
  });

  it('a silence created while an item waits for a retry silences it; it is never sent later', async () => {
    h = await createHarness({ destinations: [{ type: 'webhook', name: 'hook' }] });
    const inst = h.addInstance('orders');
    await h.run();
    h.advance(5 * MIN);
    h.sink.respond(() => ({ status: 503, body: 'down' }));
    h.fail(inst);
    expect(await h.run()).toMatchObject({ sent: 0, pending: 1 });
    const failedPosts = h.sink.requests.length;
    await apiSilence(h, 0, HOUR, { instances: ['orders'] });
    h.sink.respond(undefined);
    h.advance(40 * MIN);
    expect(await h.run()).toMatchObject({ sent: 0, silenced: 1 });
    h.advance(2 * HOUR);
    expect(await h.run()).toMatchObject({ sent: 0, silenced: 0 });
    expect(h.sink.requests).toHaveLength(failedPosts);
  });

  it('a silence created while the POST is in flight: delivered once, recorded delivered, not sent again', async () => {
    h = await createHarness({ destinations: [{ type: 'webhook', name: 'hook' }] });
    const inst = h.addInstance('orders');
    await h.run();
    h.advance(5 * MIN);
    const task = h.fail(inst);
    const x = h;
    const racing: typeof fetch = async (input, init) => {
      await apiSilence(x, -MIN, HOUR, { events: ['failed'] });
      return fetch(input, init);
    };
    expect(await h.run({ handler: { fetch: racing } })).toMatchObject({ sent: 1, silenced: 0 });
    h.advance(10 * MIN);
    expect(await h.run()).toMatchObject({ sent: 0, silenced: 0 });
    expect(h.sink.accepted).toHaveLength(1);
    const { notificationId } = await import('../../lib/notify/records');
    expect(await outbox(h, notificationId(h.projectId, inst, task, 'failed', 'hook'))).toMatchObject({
      state: 'delivered',
      attempts: 1,
    });
    expect(types(h)).toEqual(['dms.task.failed']);
  });
});

describe('quiet hours per route (emulator + sink, controlled clock)', () => {
  it('holds a chat route in its window and delivers at its end with the original detection time', async () => {
    h = await createHarness({
      destinations: [
        { type: 'slack', name: 'chat' },
        { type: 'webhook', name: 'pager' },
      ],
      notify: {
        routes: {
          chat: { destinations: ['chat'], quietHours: [{ start: '22:00', end: '07:00', timeZone: 'Europe/Berlin' }] },
          paging: { destinations: ['pager'] },
        },
      },
    });
    const inst = h.addInstance('orders');
    // 24 Oct 2026, 21:50 CEST: the night the clocks go back.
    h.clock.t = Date.UTC(2026, 9, 24, 19, 50);
    await h.run();
    h.advance(20 * MIN); // 22:10 CEST
    const detected = new Date(h.clock.t).toISOString();
    const task = h.fail(inst);
    expect(await h.run()).toMatchObject({ sent: 1, held: 1 });
    expect(h.sink.accepted.map((r) => r.type)).toEqual(['webhook']);
    // Runs through the night send nothing to chat.
    while (h.clock.t + 30 * MIN < Date.UTC(2026, 9, 25, 6, 0)) {
      h.advance(30 * MIN);
      expect(await h.run()).toMatchObject({ sent: 0 });
    }
    // 07:00 CET is 06:00 UTC (it would have been 05:00 UTC the night before).
    h.clock.t = Date.UTC(2026, 9, 25, 5, 59);
    expect(await h.run()).toMatchObject({ sent: 0 });
    h.clock.t = Date.UTC(2026, 9, 25, 6, 0);
    expect(await h.run()).toMatchObject({ sent: 1, held: 0 });
    const chat = h.sink.accepted.filter((r) => r.type === 'slack');
    expect(chat).toHaveLength(1);
    expect(chat[0]?.raw).toContain(task);
    expect(chat[0]?.raw).toContain(`detected ${detected}, held by quiet hours until 2026-10-25T06:00:00.000Z`);
    h.advance(HOUR);
    expect(await h.run()).toMatchObject({ sent: 0 });
  });

  it('a hold longer than maxAgeHours does not kill the notification', async () => {
    h = await createHarness({
      destinations: [{ type: 'webhook', name: 'hook' }],
      notify: {
        maxAgeHours: 1,
        routes: { night: { destinations: ['hook'], quietHours: [{ start: '20:00', end: '08:00', timeZone: 'UTC' }] } },
      },
    });
    const inst = h.addInstance('a');
    h.clock.t = Date.UTC(2026, 11, 1, 20, 30);
    await h.run();
    h.advance(MIN);
    h.fail(inst);
    expect(await h.run()).toMatchObject({ held: 1, dead: 0 });
    h.clock.t = Date.UTC(2026, 11, 2, 8, 0);
    expect(await h.run()).toMatchObject({ sent: 1, dead: 0 });
    expect(h.sink.accepted[0]?.body).toMatchObject({
      data: {
        detected_at: '2026-12-01T20:31:00.000Z',
        held_until: '2026-12-02T08:00:00.000Z',
      },
    });
  });
});
