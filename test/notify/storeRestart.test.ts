import { describe, expect, it } from 'vitest';
import { incidentKey, notificationId } from '../../lib/notify/records';
import { connectRedis } from '../../lib/state/connectRedis';
import { RedisStore } from '../../lib/state/redisStore';
import type { StateStore } from '../../lib/state/types';
import { startRedisServer, type RedisServer } from '../../dev/redisServer';
import { bindStore, createHarness, MIN } from './harness';

/** What the receivers got, against the notifications that exist (one per task and destination). */
interface Figures {
  /** Notifications never accepted by their receiver. */
  lost: number;
  /** Ids (webhook-id, PagerDuty dedup_key) other than the one each task always has. */
  duplicateIds: number;
  /** Deliveries of an id its receiver had already accepted (it de-duplicates them). */
  sameIdResends: number;
  /** Notifications that exist. */
  total: number;
}

/**
 * Twelve failures over three runs, webhook and PagerDuty; the Redis server (no persistence: a DCS
 * single-node instance) is killed with SIGKILL and restarted, empty, between the third run's scan
 * and its delivery, with eight notifications queued; then two more runs.
 */
async function restartScenario(notify: Record<string, unknown>, prefix: string): Promise<Figures> {
  const server = await startRedisServer();
  let restarted: RedisServer | undefined;
  const h = await createHarness({
    destinations: [
      { type: 'webhook', name: 'hook' },
      { type: 'pagerduty', name: 'pd' },
    ],
    notify,
    store: (now) => new RedisStore({ client: connectRedis(server), keyPrefix: prefix, now }),
  });
  try {
    const inst = h.addInstance('orders');
    await h.run(); // the first scan: nothing to baseline yet
    const tasks: string[] = [];
    h.advance(2 * MIN);
    for (let i = 0; i < 4; i++) tasks.push(h.fail(inst));
    expect(await h.run()).toMatchObject({ newFailures: 4, sent: 8 });
    h.advance(2 * MIN);
    for (let i = 0; i < 8; i++) tasks.push(h.fail(inst));
    // The server dies once the run has queued the eight and stored its cursors, as delivery begins.
    let cursorsStored = false;
    let killed = false;
    const dying: StateStore = {
      ...bindStore(h.store),
      put: async (k, v, o) => {
        await h.store.put(k, v, o);
        if (k.startsWith('cursor#')) cursorsStored = true;
      },
      listDue: async (n, l) => {
        if (cursorsStored && !killed) {
          killed = true;
          await server.kill();
          restarted = await startRedisServer({ port: server.port });
        }
        return h.store.listDue(n, l);
      },
    };
    expect(await h.run({ handler: { store: dying } })).toMatchObject({ newFailures: 8, sent: 0 });
    for (let i = 0; i < 2; i++) {
      h.advance(2 * MIN);
      await h.run();
    }
    expect(killed).toBe(true);
    const summary = h.logs.filter((l) => l.msg === 'notify run').at(-1);
    expect(summary).toMatchObject({ storePersists: false });
    const expected = {
      hook: tasks.map((t) => notificationId(h.projectId, inst, t, 'failed', 'hook')),
      pd: tasks.map((t) => incidentKey(h.projectId, inst, t, 'pd')),
    };
    const received = {
      hook: h.sink.accepted.filter((r) => r.type === 'webhook').map((r) => r.webhookId ?? ''),
      pd: h.sink.accepted
        .filter((r) => r.type === 'pagerduty')
        .map((r) => String((r.body as { dedup_key?: unknown }).dedup_key)),
    };
    const figures: Figures = { lost: 0, duplicateIds: 0, sameIdResends: 0, total: 0 };
    for (const d of ['hook', 'pd'] as const) {
      const got = new Set(received[d]);
      figures.total += expected[d].length;
      figures.lost += expected[d].filter((id) => !got.has(id)).length;
      figures.duplicateIds += [...got].filter((id) => !expected[d].includes(id)).length;
      figures.sameIdResends += received[d].length - got.size;
    }
    return figures;
  } finally {
    await h.close();
    await Promise.all([server.stop(), restarted?.stop()]);
  }
}

describe('losing the store loses nothing recent (redis-server without persistence, killed mid-run)', () => {
  it('within the grace window: 0 lost, no new ids; the resends carry the ids receivers already have', async () => {
    const before = await restartScenario({ baselineGraceMinutes: 0 }, 'nograce:');
    const now = await restartScenario({}, 'grace:');
    console.log(
      'store restart without persistence, 12 failures x (webhook, PagerDuty): ' +
        `grace 0 (as before) ${JSON.stringify(before)}; ` +
        `grace 60 min (default) ${JSON.stringify(now)}`,
    );
    // Before: the eight queued when the server died were gone, and the first scan after only baselined.
    expect(before).toMatchObject({ lost: 16, duplicateIds: 0, total: 24 });
    expect(now).toEqual({ lost: 0, duplicateIds: 0, sameIdResends: 8, total: 24 });
  }, 60_000);
});
