import { afterEach, describe, expect, it } from 'vitest';
import { createPrng } from '../../dev/emulator/prng';
import type { SinkType } from '../../dev/sink';
import { DELIVERY } from '../../lib/notify/constants';
import type { OutboxRecord } from '../../lib/notify/records';
import type { RunSummary } from '../../lib/notify/runNotifier';
import { createHarness, HOUR, MIN, type Harness } from './harness';

/**
 * Issue 12 §3 and §4, measured from the outside: real notifier, real sink over HTTP, runs every five
 * minutes on the harness's clock (a sleep advances it, so waits cost run time as they would).
 */
let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const POST_MS = 750;
/** The notify function's timeout (serverless.yml). */
const TIMEOUT_MS = 120_000;

/**
 * One scheduled invocation as the platform runs it: its time left counts down on the harness's clock
 * (so waits and backoff spend it), and jitter is random (seeded, so the figures repeat).
 */
function invoke(x: Harness, random: () => number): Promise<RunSummary> {
  const started = x.clock.t;
  const context = { getRemainingTimeInMillis: () => TIMEOUT_MS - (x.clock.t - started) };
  // Each POST costs what a refused connection cost in the measurement.
  const slow: typeof fetch = async (input, init) => {
    x.advance(POST_MS);
    return fetch(input, init);
  };
  return x.run({ context, handler: { random, fetch: slow } });
}

/** `n` failures spread over four instances, detected and first tried in one run. */
async function failures(type: SinkType, n: number, options: Record<string, unknown> = {}): Promise<Harness> {
  const harness = await createHarness({ destinations: [{ type, name: 'd', options }] });
  const instances = Array.from({ length: 4 }, (_, i) => harness.addInstance(`i${i}`));
  await harness.run();
  harness.advance(MIN);
  for (let i = 0; i < n; i++) harness.fail(instances[i % 4] as string);
  return harness;
}

/** Distinct notifications the sink accepted (webhook-ids). */
const deliveredIds = (x: Harness): number => new Set(x.sink.accepted.map((r) => r.webhookId)).size;

/** Runs until every notification was accepted: how many the first healthy run delivered, and when the last came. */
async function recovery(x: Harness, every: number, random: () => number, n: number) {
  const healthyAt = x.clock.t;
  const first = await invoke(x, random);
  let lastAfterMin = 0;
  for (let i = 1; i < 60 && deliveredIds(x) < n; i++) {
    x.advance(every);
    await invoke(x, random);
    lastAfterMin = Math.round((x.clock.t - healthyAt) / MIN);
  }
  return { firstRun: first.sent, pendingAfterFirst: first.pending, lastAfterMin, delivered: deliveredIds(x) };
}

describe('catch-up after an outage (§3)', () => {
  // The "three runs" of outage; a one-minute schedule (NOTIFY_RATE) is where the backoff of
  // the items outlasts the outage: at the default five minutes it takes about six runs.
  for (const [every, outageRuns] of [
    [MIN, 3],
    [5 * MIN, 6],
  ] as const) {
    it(`down for ${outageRuns} runs ${every / MIN} min apart: the first healthy run sends all 20`, async () => {
      h = await failures('webhook', 20);
      const random = createPrng(12);
      h.sink.down();
      for (let i = 0; i < outageRuns; i++) {
        expect((await invoke(h, random)).sent).toBe(0);
        h.advance(every);
      }
      h.sink.up();
      expect(await recovery(h, every, random, 20)).toEqual({
        firstRun: 20,
        pendingAfterFirst: 0,
        lastAfterMin: 0,
        delivered: 20,
      });
      expect(h.sink.accepted).toHaveLength(20);
    });
  }

  it('two runs of 500s, one of 429s (1 min apart): the first healthy run delivers all 10', async () => {
    h = await failures('webhook', 10);
    const random = createPrng(12);
    let mode: 500 | 429 | 0 = 500;
    h.sink.respond(() => (mode ? { status: mode, body: 'no', headers: { 'retry-after': '2' } } : undefined));
    for (const m of [500, 500, 429] as const) {
      mode = m;
      expect((await invoke(h, random)).sent).toBe(0);
      h.advance(MIN);
    }
    mode = 0;
    expect(await recovery(h, MIN, random, 10)).toEqual({
      firstRun: 10,
      pendingAfterFirst: 0,
      lastAfterMin: 0,
      delivered: 10,
    });
    expect(h.sink.accepted).toHaveLength(10);
  });
});

describe('a failing destination does not eat the run (§4)', () => {
  /** Outbox items of destination `d` (any state), read back from the store. */
  async function itemsOf(x: Harness, d: string): Promise<OutboxRecord[]> {
    const all = await x.store.listDue(x.clock.t + 48 * HOUR, 10_000);
    return all.map((v) => v.value as OutboxRecord).filter((r) => r.notification.destinationId === d);
  }

  for (const [label, answer] of [
    ['503', { status: 503, body: 'down' }],
    ['429 with Retry-After: 2', { status: 429, body: 'slow down', headers: { 'retry-after': '2' } }],
  ] as const) {
    it(`${label}: down after ${DELIVERY.downAfterFailures} failed POSTs, the rest deferred unattempted`, async () => {
      h = await createHarness({
        destinations: [
          { type: 'webhook', name: 'bad' },
          { type: 'webhook', name: 'good' },
        ],
      });
      const instances = Array.from({ length: 4 }, (_, i) => h?.addInstance(`i${i}`) as string);
      await h.run();
      h.advance(MIN);
      for (let i = 0; i < 20; i++) h.fail(instances[i % 4] as string);
      h.sink.respond(({ name }) => (name === 'bad' ? answer : undefined));
      const started = h.clock.t;
      const s = await invoke(h, createPrng(3));
      const spentMs = h.clock.t - started;
      expect(h.sink.requests.filter((r) => r.name === 'bad')).toHaveLength(DELIVERY.downAfterFailures);
      expect(s).toMatchObject({ sent: 20, pending: 20, dead: 0 });
      const bad = await itemsOf(h, 'bad');
      expect(bad.filter((r) => r.attempts === 0)).toHaveLength(19);
      expect(bad.filter((r) => r.attempts === DELIVERY.downAfterFailures)).toHaveLength(1);
      expect(h.logs.find((l) => l.msg === 'destination down for this run')).toMatchObject({
        destination: 'bad',
        deferred: 19,
      });
      // Three POSTs and the waits between them, not twenty items' worth (20 x 3 POSTs and backoff before).
      expect(spentMs).toBeLessThan(3 * POST_MS + 2 * 2000 + 20 * POST_MS + 1000);
      // The next run probes again; once the destination answers, all of it goes out in that run.
      h.sink.respond(undefined);
      h.advance(5 * MIN);
      expect(await invoke(h, createPrng(4))).toMatchObject({ sent: 20, pending: 0 });
      expect(new Set(h.sink.accepted.filter((r) => r.name === 'bad').map((r) => r.webhookId)).size).toBe(20);
    });
  }
});

describe('probing a destination whose items all back off', () => {
  it('a probe per run, of at most three POSTs; none while its Retry-After lasts', async () => {
    h = await failures('slack', 4); // one instance group per message: few messages, long backoff
    h.sink.respond(() => ({ status: 503, body: 'down' }));
    for (let i = 0; i < 4; i++) {
      await h.run();
      h.advance(MIN);
    }
    const before = h.sink.requests.length;
    // Backoff has grown past the one-minute schedule: without a probe nothing would be tried now.
    await h.run();
    expect(h.sink.requests.length - before).toBeGreaterThanOrEqual(1);
    expect(h.sink.requests.length - before).toBeLessThanOrEqual(DELIVERY.downAfterFailures);
    // Retry-After: 60 (over the in-run wait; 60 s is also the most a Retry-After is honoured): no probe
    // while it lasts.
    h.sink.respond(() => ({ status: 429, body: 'slow', headers: { 'retry-after': '60' } }));
    h.advance(MIN);
    await h.run();
    const asked = h.sink.requests.length;
    h.advance(30_000);
    expect(await h.run()).toMatchObject({ sent: 0, pending: 4 });
    expect(h.sink.requests.length).toBe(asked);
    h.sink.respond(undefined);
    h.advance(HOUR);
    expect(await h.run()).toMatchObject({ sent: 4, pending: 0 });
  });
});
