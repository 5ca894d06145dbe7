import * as diagnostics from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createHarness, MIN, type Harness } from './harness';

let h: Harness | undefined;
afterEach(async () => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  vi.resetModules();
  await h?.close();
  h = undefined;
});

describe('functions/notify-on-failure', () => {
  it('validates the configuration at cold start (import), naming the setting', async () => {
    vi.stubEnv(
      'DMS_TASKS_CONFIG',
      JSON.stringify({ projects: { '0a1b2c3d4e5f60718293a4b5c6d7e8f9': 'cn-north-4' }, notify: { concurrency: 0 } }),
    );
    await expect(import('../../functions/notify-on-failure')).rejects.toThrow(
      'invalid configuration at notify.concurrency: must be an integer from 1 to 256',
    );
  });

  it('runs from the module export with a Lambda-style context', async () => {
    h = await createHarness({ destinations: [] });
    h.addInstance('a');
    vi.stubEnv(
      'DMS_TASKS_CONFIG',
      JSON.stringify({
        endpoint: h.emulator.url,
        projects: { [h.projectId]: { region: 'cn-north-4', discover: true } },
        http: { authRequired: false },
        notify: { store: { type: 'file', path: `/tmp/notify-handler-${h.projectId}.json` } },
      }),
    );
    for (const [k, v] of Object.entries(h.env)) vi.stubEnv(k, v);
    const { handler } = await import('../../functions/notify-on-failure');
    const s = await handler(
      { source: 'aws.events', 'detail-type': 'Scheduled Event' },
      { getRemainingTimeInMillis: () => 60_000 },
    );
    expect(s).toMatchObject({ trigger: 'aws-schedule', instancesScanned: 1 });
  });
});

describe('discovery', () => {
  it('watches every instance the listing API returns (RocketMQ is "reliability" there)', async () => {
    h = await createHarness({ destinations: [{ type: 'webhook', name: 'hook' }], discover: true });
    const configured = h.addInstance('configured', 'kafka');
    const found = h.emulator.addInstance(h.projectId, { name: 'found-rocketmq', engine: 'rocketmq' }).instance_id;
    const found2 = h.emulator.addInstance(h.projectId, { name: 'found-rabbit', engine: 'rabbitmq' }).instance_id;
    expect(await h.run()).toMatchObject({ instancesScanned: 3 });
    expect(h.emulator.requests.some((r) => r.query.engine === 'reliability')).toBe(true);
    h.advance(MIN);
    h.fail(found);
    h.fail(configured);
    expect(await h.run()).toMatchObject({ newFailures: 2, sent: 2 });
    const names = h.sink.accepted.map(
      (r) => (r.body as { data: { instance: { name: string; engine: string } } }).data.instance,
    );
    expect(names).toEqual(
      expect.arrayContaining([
        { id: found, name: 'found-rocketmq', engine: 'rocketmq' },
        expect.objectContaining({ name: 'configured' }),
      ]),
    );
    expect(found2).toBeTruthy();
  });

  it('a failing discovery still scans the configured instances', async () => {
    h = await createHarness({ destinations: [{ type: 'webhook', name: 'hook' }], discover: true });
    h.addInstance('configured');
    h.emulator.injectFault({ kind: 'status', status: 403, count: 1 }); // the first request is the discovery
    const s = await h.run();
    expect(s).toMatchObject({ instancesScanned: 1, instancesFailed: 0 });
    expect(h.logs.some((l) => l.msg === 'instance discovery failed')).toBe(true);
  });
});

describe('bounded concurrency', () => {
  it('never has more than `concurrency` DMS requests in flight', async () => {
    h = await createHarness({ destinations: [], notify: { concurrency: 3 } });
    for (let i = 0; i < 10; i++) h.addInstance(`i${i}`);
    h.emulator.setLatency(30);
    // The DMS client sends with node:http(s): count its requests to the emulator from request start to response.
    let inFlight = 0;
    let max = 0;
    const emu = new URL(h.emulator.url).host;
    const toEmulator = (message: unknown): boolean =>
      (message as { request: ClientRequest }).request.getHeader('host') === emu;
    const onStart = (message: unknown): void => {
      if (toEmulator(message)) max = Math.max(max, ++inFlight);
    };
    const onResponse = (message: unknown): void => {
      if (toEmulator(message)) inFlight--;
    };
    diagnostics.subscribe('http.client.request.start', onStart);
    diagnostics.subscribe('http.client.response.finish', onResponse);
    try {
      expect(await h.run()).toMatchObject({ instancesScanned: 10 });
    } finally {
      diagnostics.unsubscribe('http.client.request.start', onStart);
      diagnostics.unsubscribe('http.client.response.finish', onResponse);
    }
    expect(max).toBe(3);
  });
});
