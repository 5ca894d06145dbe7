import { createServer, type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createNotifyHandler } from '../../lib/notify/createNotifyHandler';
import { describeStore } from '../../lib/state/describeStore';
import type { StateStore } from '../../lib/state/types';
import { bindStore, createHarness, type Harness, HOUR, MIN } from './harness';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** The summary lines the runs logged. */
const summaries = (x: Harness) => x.logs.filter((l) => l.msg === 'notify run');

describe('every run accounted for (issue 20 item 7)', () => {
  it('counts as pending an item held by quiet hours past maxAgeHours, in every run of the hold', async () => {
    h = await createHarness({
      destinations: [{ type: 'webhook', name: 'hook' }],
      notify: {
        maxAgeHours: 1,
        routes: { night: { destinations: ['hook'], quietHours: [{ start: '20:00', end: '08:00', timeZone: 'UTC' }] } },
      },
    });
    const inst = h.addInstance('a', 'kafka', ['night']);
    h.clock.t = Date.UTC(2026, 11, 1, 20, 30);
    await h.run();
    h.advance(MIN);
    h.fail(inst);
    // Held until 08:00, 11.5 hours on: past max age (1 hour) from now, still pending.
    expect(await h.run()).toMatchObject({ held: 1, pending: 1, sent: 0, dead: 0 });
    for (const hours of [1, 3, 6]) {
      h.advance(hours * HOUR);
      expect(await h.run()).toMatchObject({ pending: 1, sent: 0, dead: 0 });
    }
    h.clock.t = Date.UTC(2026, 11, 2, 8, 0);
    expect(await h.run()).toMatchObject({ sent: 1, pending: 0, dead: 0 });
  });

  it('after a run dies holding claims, the next counts them as pending, leased, until it takes them over', async () => {
    h = await createHarness({
      destinations: [
        { type: 'webhook', name: 'hook' },
        { type: 'slack', name: 'chat' },
      ],
    });
    const inst = h.addInstance('a');
    await h.run();
    h.advance(MIN);
    h.fail(inst);
    h.fail(inst);
    h.fail(inst);
    // The process stops right after its claims were written: nothing more reaches the store or a
    // destination (what a SIGKILL between claiming and sending leaves).
    const real = h.store;
    const dying: StateStore = {
      ...bindStore(real),
      getMany: (k) => (k.some((x) => x.startsWith('rate#')) ? Promise.reject(new Error('killed')) : real.getMany(k)),
    };
    await h.run({ handler: { store: dying } });
    expect(h.sink.requests).toHaveLength(0);
    h.advance(MIN);
    // Before: pending 0. The six claims (3 tasks × 2 destinations) wait for the dead run's lease.
    expect(await h.run()).toMatchObject({ sent: 0, pending: 6, leased: 6 });
    h.advance(20 * MIN);
    expect(await h.run()).toMatchObject({ sent: 6, pending: 0, leased: 0 });
  });

  it('a run whose store is down ends with its summary line naming the store, never the password', async () => {
    h = await createHarness({ destinations: [{ type: 'webhook', name: 'hook' }] });
    h.addInstance('a');
    // A port where nothing listens: taken, then released.
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', () => r()));
    const { port } = probe.address() as AddressInfo;
    await new Promise<void>((r) => probe.close(() => r()));
    const password = 'pw-4f1c9e0b7a2d';
    const store = { type: 'redis', host: '127.0.0.1', port, password: { env: 'STORE_PW' } };
    const doc = { ...h.configDoc(), notify: { ...(h.configDoc().notify as object), store } };
    const env = { ...h.env, STORE_PW: password, DMS_TASKS_CONFIG: JSON.stringify(doc) };
    // Not the harness's handler, which hands it its file store: this one builds the configured Redis store.
    const logs = h.logs;
    const run = createNotifyHandler({ env, log: (e) => logs.push(e), defaultRemainingMs: 30_000 });
    await expect(run({ source: 'aws.events', 'detail-type': 'Scheduled Event' })).rejects.toThrow();
    const lines = summaries(h);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 'error',
      instancesScanned: 0,
      sent: 0,
      pending: 0,
      error: `StateStoreError getMany at redis 127.0.0.1:${port}`,
    });
    expect(JSON.stringify(h.logs)).not.toContain(password);
  });

  it('names each kind of store by where it is, without credentials', () => {
    expect(describeStore({ type: 'file', path: '.state/notify.json' })).toBe('file .state/notify.json');
    expect(describeStore({ type: 'dynamodb', table: 'dtf-state' })).toBe('dynamodb table dtf-state');
    expect(describeStore({ type: 'dynamodb', table: 't', endpoint: 'http://127.0.0.1:8000' })).toBe(
      'dynamodb table t at 127.0.0.1:8000',
    );
    expect(
      describeStore({ type: 'redis', host: 'redis.internal', db: 2, tls: true, password: { env: 'REDIS_PASSWORD' } }),
    ).toBe('redis redis.internal:6379 db 2 (TLS)');
    expect(describeStore({ type: 'redis', host: 'fd00::7', port: 6380 })).toBe('redis [fd00::7]:6380');
  });
});
