import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EMULATOR_CREDENTIALS, startEmulator, type Emulator } from '../../dev/emulator';
import { type Sink, startSink } from '../../dev/sink';
import { parseConfig } from '../../lib/config/parseConfig';
import { TEST_TITLE } from '../../lib/notify/channels/render';
import { parseNotifyConfig } from '../../lib/notify/config/parseNotifyConfig';
import { sendTestNotification, TestTooSoonError } from '../../lib/notify/deliver/sendTest';
import { keys } from '../../lib/notify/records';
import { FileStore } from '../../lib/state/fileStore';

const WHSEC = `whsec_${randomBytes(24).toString('base64')}`;
const PD_KEY = randomBytes(16).toString('hex');

let sink: Sink | undefined;
let emulator: Emulator | undefined;
afterEach(async () => {
  await sink?.close();
  await emulator?.close();
  sink = undefined;
  emulator = undefined;
});

async function setup(allowInsecureWebhooks = true) {
  sink = await startSink({ secrets: { hook: WHSEC, pd: PD_KEY } });
  emulator = await startEmulator({ seed: false });
  const projectId = randomBytes(16).toString('hex');
  emulator.addInstance(projectId, { name: 'x', engine: 'kafka' });
  const topicUrn = emulator.addSmnTopic(projectId, 'alerts');
  const env = {
    CLOUD_SDK_AK: EMULATOR_CREDENTIALS.accessKeyId,
    CLOUD_SDK_SK: EMULATOR_CREDENTIALS.secretAccessKey,
    HOOK_URL: sink.urlFor('webhook', 'hook'),
    HOOK_SECRET: WHSEC,
    SLACK_URL: `${sink.urlFor('slack', 'chat')}?token=tok${randomBytes(6).toString('hex')}`,
    PD_KEY,
  };
  const doc = {
    endpoint: emulator.url,
    projects: { [projectId]: { region: 'cn-north-4', instances: [] } },
    notify: {
      allowInsecureWebhooks,
      destinations: {
        hook: { type: 'webhook', url: { env: 'HOOK_URL' }, secrets: [{ env: 'HOOK_SECRET' }] },
        chat: { type: 'slack', url: { env: 'SLACK_URL' } },
        pd: { type: 'pagerduty', endpoint: sink.urlFor('pagerduty', 'pd'), routingKey: { env: 'PD_KEY' } },
        sms: { type: 'smn', topicUrn, endpoint: emulator.url },
      },
    },
  };
  const config = parseNotifyConfig(parseConfig(doc), env);
  // Real time: the sink checks the webhook timestamp and the emulator the SMN signature's date.
  const clock = { t: Date.now() };
  const store = new FileStore(join(mkdtempSync(join(tmpdir(), 'test-send-')), 'state.json'), { now: () => clock.t });
  const deps = {
    store,
    secrets: { env },
    credentials: () => EMULATOR_CREDENTIALS,
    now: () => clock.t,
  };
  return { config, store, deps, clock, env, emulator, sink };
}

describe('test notifications: one marked message through the channel code', () => {
  it('webhook: dms.task.test, signed, the receiver status and time reported, kept as a test', async () => {
    const s = await setup();
    const result = await sendTestNotification(s.config, 'hook', s.deps);
    expect(result).toMatchObject({
      destinationId: 'hook',
      type: 'webhook',
      delivered: true,
      status: 204,
      reason: 'delivered',
    });
    const [got] = s.sink.requests;
    expect(got?.verified).toBe(true);
    expect(got?.body).toMatchObject({ type: 'dms.task.test', data: { task: { name: TEST_TITLE, status: 'TEST' } } });
    const stored = await s.store.get(keys.outbox(result.id));
    expect(stored?.value).toMatchObject({
      state: 'delivered',
      attempts: 1,
      notification: { id: result.id, test: true, destinationId: 'hook' },
    });
  });

  it('slack, PagerDuty and SMN are each marked as a test', async () => {
    const s = await setup();
    expect((await sendTestNotification(s.config, 'chat', s.deps)).delivered).toBe(true);
    expect(JSON.stringify(s.sink.requests.at(-1)?.body)).toContain(TEST_TITLE);
    const pd = await sendTestNotification(s.config, 'pd', s.deps);
    expect(pd).toMatchObject({ delivered: true, status: 202 });
    expect(s.sink.requests.at(-1)?.body).toMatchObject({
      event_action: 'trigger',
      payload: { severity: 'info', summary: expect.stringContaining(TEST_TITLE) },
    });
    const smn = await sendTestNotification(s.config, 'sms', s.deps);
    expect(smn).toMatchObject({ delivered: true, status: 200 });
    expect(s.emulator.smnPublished.at(-1)?.subject).toBe(TEST_TITLE);
  });

  it('at most one test per destination every 10 seconds; other destinations are not held', async () => {
    const s = await setup();
    await sendTestNotification(s.config, 'hook', s.deps);
    s.clock.t += 4000;
    const err = await sendTestNotification(s.config, 'hook', s.deps).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TestTooSoonError);
    expect(err instanceof TestTooSoonError && err.retryAfterMs).toBe(6000);
    expect((await sendTestNotification(s.config, 'chat', s.deps)).delivered).toBe(true);
    s.clock.t += 6001;
    expect((await sendTestNotification(s.config, 'hook', s.deps)).delivered).toBe(true);
    expect(s.sink.requests.filter((r) => r.name === 'hook')).toHaveLength(2);
  });

  it('the URL policy holds: a loopback receiver without allowInsecureWebhooks gets nothing', async () => {
    const s = await setup(false);
    const env = { ...s.env, HOOK_URL: `https://[::ffff:127.0.0.1]:${s.sink.port}/webhook/hook` };
    const result = await sendTestNotification(s.config, 'hook', { ...s.deps, secrets: { env } });
    expect(result.delivered).toBe(false);
    expect(result.reason).toMatch(/must be public/);
    expect(s.sink.requests).toEqual([]);
  });

  it('a receiver that refuses: its status and short reason, recorded as dead', async () => {
    const s = await setup();
    s.sink.respond(() => ({ status: 404, body: 'no such hook' }));
    const result = await sendTestNotification(s.config, 'hook', s.deps);
    expect(result).toMatchObject({ delivered: false, status: 404, reason: 'HTTP 404' });
    const stored = await s.store.get(keys.outbox(result.id));
    expect(stored?.value.state).toBe('dead');
    expect(JSON.stringify(result)).not.toContain(s.env.HOOK_URL);
  });
});
