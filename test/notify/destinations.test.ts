import { afterEach, describe, expect, it } from 'vitest';
import { clipBytes } from '../../lib/notify/channels/smn';
import { parseNotifyConfig } from '../../lib/notify/config/parseNotifyConfig';
import { loadConfig } from '../../lib/config/loadConfig';
import { createHarness, MIN, type Harness } from './harness';

/** Issue 12 §1 (Huawei SMN, over the emulator's signed publish API) and §2 (PagerDuty, over the sink). */
let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const publishes = (x: Harness) => x.emulator.requests.filter((r) => r.path.endsWith('/publish'));

interface PdEvent {
  routing_key: string;
  event_action: string;
  dedup_key: string;
  payload?: { summary: string; severity: string; source: string };
}
const pdEvents = (x: Harness): PdEvent[] =>
  x.sink.requests.filter((r) => r.type === 'pagerduty').map((r) => r.body as PdEvent);

describe('Huawei SMN destination (§1)', () => {
  it('publishes one signed message per instance: subject, default, e-mail and a short SMS', async () => {
    h = await createHarness({ destinations: [{ type: 'smn', name: 'oncall' }] });
    const inst = h.addInstance(`orders-${'é'.repeat(300)}`); // a long multi-byte name: the subject is cut
    await h.run();
    h.advance(MIN);
    const tasks = [h.fail(inst), h.fail(inst), h.fail(inst)];
    expect(await h.run()).toMatchObject({ sent: 3, messages: 1, pending: 0, dead: 0 });
    const [p] = h.emulator.smnPublished;
    expect(h.emulator.smnPublished).toHaveLength(1);
    expect(publishes(h).map((r) => [r.method, r.status, r.signed])).toEqual([['POST', 200, true]]);
    expect(Buffer.byteLength(p?.subject ?? '')).toBeLessThanOrEqual(512);
    expect(p?.subject).toMatch(/^DMS kafka orders-é+…$/);
    const s = p?.structure ?? {};
    expect(Object.keys(s).sort()).toEqual(['default', 'email', 'sms']);
    for (const t of tasks) expect(s.email).toContain(t);
    expect(s.default).toBe(s.email);
    expect(s.sms?.length).toBeLessThanOrEqual(490);
    expect(s.sms).toContain('(+2 more)');
    expect(s.sms).not.toMatch(/[[\]【】]/);
  });

  it('the emulator checks the signature: a tampered one is 401, retried; a missing topic is 404, dead', async () => {
    h = await createHarness({
      destinations: [
        { type: 'smn', name: 'oncall' },
        { type: 'smn', name: 'gone', options: { topicUrn: `urn:smn:cn-north-4:${'0'.repeat(32)}:deleted` } },
      ],
    });
    const inst = h.addInstance('a');
    await h.run();
    h.advance(MIN);
    h.fail(inst);
    // The body changed after signing: the payload hash no longer matches.
    const tampering: typeof fetch = (input, init) =>
      fetch(input, String(input).includes(':oncall/') ? { ...init, body: `${String(init?.body)} ` } : init);
    expect(await h.run({ handler: { fetch: tampering } })).toMatchObject({ sent: 0, dead: 1, pending: 1 });
    const oncall = publishes(h).filter((r) => r.path.includes(':oncall/'));
    // Tried three times in the run (then down for it), each refused by the signature check.
    expect(oncall.map((r) => [r.status, r.signed])).toEqual([
      [401, false],
      [401, false],
      [401, false],
    ]);
    expect(h.logs.find((l) => l.msg === 'notification dead')?.reason).toBe('smn HTTP 404 SMN.0006 (topic not found)');
    h.advance(10 * MIN);
    expect(await h.run()).toMatchObject({ sent: 1, pending: 0 });
  });

  it('401 from SMN is retried with the next credentials; 403 waits for the IAM grant', async () => {
    h = await createHarness({ destinations: [{ type: 'smn', name: 'oncall' }] });
    const inst = h.addInstance('a');
    await h.run();
    h.advance(MIN);
    h.fail(inst);
    let status = 401;
    const faulty: typeof fetch = async (input, init) =>
      String(input).endsWith('/publish') && status
        ? new Response(JSON.stringify({ error_code: 'APIGW.0301', error_msg: 'Incorrect IAM authentication' }), {
            status,
          })
        : fetch(input, init);
    expect(await h.run({ handler: { fetch: faulty } })).toMatchObject({ sent: 0, pending: 1, dead: 0 });
    status = 403;
    h.advance(5 * MIN);
    expect(await h.run({ handler: { fetch: faulty } })).toMatchObject({ sent: 0, pending: 1, dead: 0 });
    status = 0;
    h.advance(60 * MIN);
    expect(await h.run({ handler: { fetch: faulty } })).toMatchObject({ sent: 1, pending: 0 });
    expect(h.emulator.smnPublished).toHaveLength(1);
  });

  it('clipBytes cuts on a character boundary within the byte budget', () => {
    expect(clipBytes('abc', 3)).toBe('abc');
    const cut = clipBytes('é'.repeat(400), 512);
    expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(512);
    expect(cut.endsWith('…')).toBe(true);
    expect(cut).not.toContain('\uFFFD');
  });
});

describe('PagerDuty Events API v2 destination (§2)', () => {
  it('triggers with a dedup_key per task and the configured severity; recovered resolves the same key', async () => {
    h = await createHarness({
      destinations: [{ type: 'pagerduty', name: 'pd', options: { severity: { failed: 'critical' } } }],
      notify: { stuckAfterMinutes: 60, maxReminders: 0 },
    });
    const inst = h.addInstance('orders');
    await h.run();
    h.advance(MIN);
    const failed = h.fail(inst);
    const created_at = new Date(h.clock.t - 90 * MIN).toISOString();
    const stuck = h.emulator.addTask(h.projectId, inst, { name: 'modify', status: 'EXECUTING', created_at }).id;
    expect(await h.run()).toMatchObject({ newFailures: 1, stuck: 1, sent: 2, messages: 2 });
    h.emulator.setTaskStatus(h.projectId, inst, stuck, 'SUCCESS');
    h.advance(5 * MIN);
    expect(await h.run()).toMatchObject({ recovered: 1, sent: 1 });
    const events = pdEvents(h);
    expect(h.sink.requests.every((r) => r.status === 202)).toBe(true);
    expect(events.map((e) => e.event_action).sort()).toEqual(['resolve', 'trigger', 'trigger']);
    const byTask = (id: string) => events.filter((e) => JSON.stringify(e).includes(id));
    const f = byTask(failed)[0];
    expect(f?.payload).toMatchObject({ severity: 'critical', source: expect.stringContaining('orders') });
    const [trigger, resolve] = events.filter((e) => e.event_action === 'resolve' || e.payload?.severity === 'warning');
    expect(trigger?.payload?.severity).toBe('warning'); // stuck: the default
    expect(resolve?.event_action).toBe('resolve');
    expect(resolve?.dedup_key).toBe(trigger?.dedup_key);
    expect(resolve?.payload).toBeUndefined();
    expect(new Set(events.map((e) => e.dedup_key)).size).toBe(2);
    expect(events.every((e) => e.routing_key === h?.env.PD_PD_KEY)).toBe(true);
    // The routing key is a secret: never in a log line.
    expect(JSON.stringify(h.logs)).not.toContain(h.env.PD_PD_KEY);
  });

  it('400 is permanent; 429 is retried with backoff and then delivered', async () => {
    h = await createHarness({
      destinations: [
        { type: 'pagerduty', name: 'invalid' },
        { type: 'pagerduty', name: 'busy' },
      ],
    });
    const inst = h.addInstance('a');
    await h.run();
    h.advance(MIN);
    h.fail(inst);
    h.sink.respond(({ name, count }) => {
      if (name === 'invalid')
        return { status: 400, body: { status: 'invalid event', message: 'Event object is invalid' } };
      return count < 2 ? { status: 429, body: 'rate limited' } : undefined;
    });
    expect(await h.run()).toMatchObject({ sent: 1, dead: 1, retried: 2 });
    expect(h.sink.requests.filter((r) => r.name === 'invalid')).toHaveLength(1);
    expect(h.sink.requests.filter((r) => r.name === 'busy').map((r) => r.status)).toEqual([429, 429, 202]);
    expect(h.logs.find((l) => l.msg === 'notification dead')?.reason).toBe('pagerduty HTTP 400 (invalid event)');
    expect(h.sleeps.filter((ms) => ms > 0).length).toBeGreaterThanOrEqual(2); // backoff between the tries
  });

  it('configuration: routing key required and a reference; severities checked; no url or secret', () => {
    const parse = (d: Record<string, unknown>) =>
      parseNotifyConfig(
        loadConfig({
          DMS_TASKS_CONFIG: JSON.stringify({
            region: 'cn-north-4',
            projects: { [`${'a'.repeat(32)}`]: { instances: [] } },
            notify: { destinations: { d } },
          }),
          CLOUD_SDK_AK: 'x',
          CLOUD_SDK_SK: 'y',
        }),
        {},
      );
    expect(() => parse({ type: 'pagerduty' })).toThrow(/routingKey.*required/);
    expect(() => parse({ type: 'pagerduty', routingKey: 'abc' })).toThrow(/never inline/);
    expect(() => parse({ type: 'pagerduty', routingKey: { env: 'K' }, severity: { failed: 'panic' } })).toThrow(
      /severity\.failed/,
    );
    expect(() => parse({ type: 'pagerduty', routingKey: { env: 'K' }, url: { env: 'U' } })).toThrow(/url/);
    expect(() => parse({ type: 'smn' })).toThrow(/topicUrn.*required/);
    expect(() => parse({ type: 'smn', topicUrn: 'urn:smn:x' })).toThrow(/topicUrn/);
    expect(() => parse({ type: 'slack', url: { env: 'U' }, topicUrn: 'urn' })).toThrow(/topicUrn/);
    const ok = parse({ type: 'pagerduty', routingKey: { env: 'K' }, severity: { stuck: 'info' } });
    expect(ok.destinations.get('d')?.severity).toEqual({
      failed: 'error',
      stuck: 'info',
      reminder: 'warning',
      recovered: 'info',
    });
  });
});
