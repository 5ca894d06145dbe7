import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EMULATOR_CREDENTIALS, startEmulator, type Emulator, type EmulatorOptions } from '../../dev/emulator';
import type { CheckResult } from '../../lib/core/checkResult';
import { doctorInputFrom } from '../../lib/ops/doctor/doctorInputFrom';
import { loadPagingRecord } from '../../lib/notify/scan/pagingRecord';
import { renderDoctorText } from '../../lib/ops/doctor/renderDoctor';
import { type DoctorReport, runDoctor } from '../../lib/ops/doctor/runDoctor';
import { FileStore } from '../../lib/state/fileStore';

const WEBHOOK_SECRET = `whsec_${randomBytes(24).toString('base64')}`;

interface Setup {
  readonly emulator: Emulator;
  readonly projectId: string;
  readonly instanceId: string;
  readonly topicUrn: string;
  readonly store: FileStore;
  readonly env: Record<string, string>;
  doc(extra?: Record<string, unknown>, notify?: Record<string, unknown>): Record<string, unknown>;
}

let open: Emulator | undefined;
afterEach(async () => {
  await open?.close();
  open = undefined;
});

/** An emulator in the given mode, one Kafka instance with `tasks` tasks, an SMN topic, a file store. */
async function setup(mode: Partial<EmulatorOptions> = {}, tasks = 3): Promise<Setup> {
  const emulator = await startEmulator({ seed: false, ...mode });
  open = emulator;
  const projectId = randomBytes(16).toString('hex');
  const instanceId = emulator.addInstance(projectId, { name: 'orders', engine: 'kafka' }).instance_id;
  for (let i = 0; i < tasks; i += 1)
    emulator.addTask(projectId, instanceId, { name: 'restartInstance', status: 'SUCCESS' });
  const topicUrn = emulator.addSmnTopic(projectId, 'dms-alerts');
  const store = new FileStore(join(mkdtempSync(join(tmpdir(), 'doctor-')), 'state.json'));
  const env = {
    CLOUD_SDK_AK: EMULATOR_CREDENTIALS.accessKeyId,
    CLOUD_SDK_SK: EMULATOR_CREDENTIALS.secretAccessKey,
    HOOK_URL: 'http://127.0.0.1:9/hook',
    HOOK_SECRET: WEBHOOK_SECRET,
  };
  return {
    emulator,
    projectId,
    instanceId,
    topicUrn,
    store,
    env,
    doc: (extra = {}, notify = {}) => ({
      endpoint: emulator.url,
      timeoutMs: 3000,
      projects: { [projectId]: { region: 'cn-north-4', instances: [{ id: instanceId, engine: 'kafka' }] } },
      notify: {
        allowInsecureWebhooks: true,
        destinations: {
          hook: { type: 'webhook', url: { env: 'HOOK_URL' }, secrets: [{ env: 'HOOK_SECRET' }] },
          sms: { type: 'smn', topicUrn, endpoint: emulator.url },
        },
        ...notify,
      },
      ...extra,
    }),
  };
}

interface DoctorOptions {
  readonly env?: Record<string, string>;
  readonly now?: () => number;
  readonly resolveHost?: (host: string) => Promise<readonly string[]>;
}

async function doctor(s: Setup, doc: unknown, o: DoctorOptions = {}) {
  return runDoctor(
    await doctorInputFrom(doc, {
      env: { ...s.env, ...o.env },
      store: s.store,
      ...(o.now ? { now: o.now } : {}),
      ...(o.resolveHost ? { resolveHost: o.resolveHost } : {}),
    }),
  );
}

function row(report: DoctorReport, check: string, subject?: string): CheckResult {
  const found = report.results.find((r) => r.check === check && (subject === undefined || r.subject === subject));
  if (!found) throw new Error(`no row ${check} ${subject ?? ''}: ${JSON.stringify(report.results)}`);
  return found;
}

describe('the self-check against the emulator', () => {
  it('a healthy deployment: every row ok but what cannot be known without publishing', async () => {
    const s = await setup();
    const report = await doctor(s, s.doc());
    expect(row(report, 'config.loads').verdict).toBe('ok');
    expect(row(report, 'secret.readable', 'env:CLOUD_SDK_SK').verdict).toBe('ok');
    expect(row(report, 'secret.readable', 'env:HOOK_URL').evidence).toContain('notify.destinations.hook.url');
    expect(row(report, 'dms.credentials').verdict).toBe('ok');
    expect(row(report, 'dms.instance', `${s.projectId}/${s.instanceId}`).evidence).toContain('task_count 3');
    expect(row(report, 'dms.paging').evidence).toContain('honours start from 1, as configured');
    expect(row(report, 'dms.task_count').evidence).toContain('the total');
    expect(row(report, 'smn.topic', 'sms').verdict).toBe('ok');
    expect(row(report, 'smn.publish', 'sms')).toMatchObject({
      verdict: 'unknown',
      fix: expect.stringContaining('/ops/v1/destinations/sms/test'),
    });
    expect(row(report, 'store.conditional-write').verdict).toBe('ok');
    expect(row(report, 'clock.skew').verdict).toBe('ok');
    expect(report.results.filter((r) => r.verdict === 'problem')).toEqual([]);
    // What the probe found is kept for the notifier's scan.
    const kept = await loadPagingRecord(s.store, new URL(s.emulator.url).host, s.projectId);
    expect(kept).toMatchObject({ param: 'start', base: 1, countIsTotal: true });
  });

  it.each([
    {
      name: 'start only, from 0',
      mode: { acceptedOffsetParams: ['start'] as const, offsetBase: 0 as const },
      param: 'start',
      base: 0,
    },
    {
      name: 'offset only, from 1',
      mode: { acceptedOffsetParams: ['offset'] as const, offsetBase: 1 as const },
      param: 'offset',
      base: 1,
    },
    {
      name: 'offset only, from 0',
      mode: { acceptedOffsetParams: ['offset'] as const, offsetBase: 0 as const },
      param: 'offset',
      base: 0,
    },
  ])('paging $name: found, kept, and the values to set named', async ({ mode, param, base }) => {
    const s = await setup(mode);
    const report = await doctor(s, s.doc());
    const paging = row(report, 'dms.paging');
    expect(paging.verdict).toBe('ok');
    expect(paging.evidence).toContain(`honours ${param} from ${base}`);
    expect(paging.evidence).toContain(`"offsetParam": "${param}", "offsetBase": ${base}`);
    expect(await loadPagingRecord(s.store, new URL(s.emulator.url).host, s.projectId)).toMatchObject({ param, base });
  });

  it('an explicit setting that disagrees with upstream is a problem whose fix names the values', async () => {
    const s = await setup({ acceptedOffsetParams: ['offset'], offsetBase: 0 });
    const report = await doctor(s, s.doc({ offsetParam: 'start', offsetBase: 1 }));
    expect(row(report, 'dms.paging')).toMatchObject({
      verdict: 'problem',
      fix: 'Set "offsetParam": "offset", "offsetBase": 0 in the configuration (list, show and the notifier read it).',
    });
  });

  it('fewer than two tasks: paging is unknown, with how to settle it', async () => {
    const s = await setup({}, 1);
    const report = await doctor(s, s.doc());
    expect(row(report, 'dms.paging')).toMatchObject({
      verdict: 'unknown',
      fix: expect.stringContaining('two background tasks'),
    });
  });

  it(
    'refused credentials, a missing instance, a missing topic, a missing secret: each a problem with its ' + 'fix',
    async () => {
      const s = await setup();
      const wrong = await doctor(s, s.doc(), { env: { CLOUD_SDK_SK: 'not-the-secret-key-0123456789' } });
      expect(row(wrong, 'dms.credentials')).toMatchObject({
        verdict: 'problem',
        evidence: expect.stringMatching(/^HTTP 401 APIGW\.0301/),
      });
      expect(wrong.results.some((r) => r.check === 'dms.paging')).toBe(false);

      const doc = s.doc();
      const projects = { [s.projectId]: { region: 'cn-north-4', instances: [{ id: 'gone-0000', engine: 'kafka' }] } };
      const missing = await doctor(s, { ...doc, projects });
      expect(row(missing, 'dms.instance', `${s.projectId}/gone-0000`)).toMatchObject({
        verdict: 'problem',
        evidence: expect.stringContaining('HTTP 404'),
      });

      const topicUrn = `urn:smn:cn-north-4:${s.projectId}:not-there`;
      const noTopic = await doctor(
        s,
        s.doc({}, { destinations: { sms: { type: 'smn', topicUrn, endpoint: s.emulator.url } } }),
      );
      expect(row(noTopic, 'smn.topic', 'sms')).toMatchObject({
        verdict: 'problem',
        evidence: expect.stringContaining('SMN.0006'),
      });

      const noSecret = await doctor(s, s.doc(), { env: { HOOK_SECRET: '' } });
      expect(row(noSecret, 'secret.readable', 'env:HOOK_SECRET')).toMatchObject({
        verdict: 'problem',
        fix: expect.stringContaining('Set the environment variable HOOK_SECRET'),
      });
    },
  );

  it('a CSMS secret the agency may not read (403): a problem naming the permission', async () => {
    const s = await setup();
    const put = (name: string, denied: boolean) =>
      fetch(`${s.emulator.url}/__emulator/secrets`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ projectId: s.projectId, name, value: 'http://127.0.0.1:9/hook', denied }),
      });
    expect((await put('hook-url', true)).status).toBe(201);
    expect((await put('other-url', false)).status).toBe(201);
    const destinations = {
      hook: { type: 'webhook', url: { csms: 'hook-url' }, secrets: [{ env: 'HOOK_SECRET' }] },
      other: { type: 'slack', url: { csms: 'other-url' } },
    };
    const report = await doctor(s, s.doc({ csms: { endpoint: s.emulator.url } }, { destinations }));
    expect(row(report, 'secret.readable', 'csms:hook-url')).toMatchObject({
      verdict: 'problem',
      evidence: expect.stringContaining('403'),
      fix: expect.stringContaining('csms:secretVersion:get'),
    });
    expect(row(report, 'secret.readable', 'csms:other-url').verdict).toBe('ok');
  });

  it('a destination host judged by the URL policy on what it resolves to', async () => {
    const s = await setup();
    const notify = {
      allowInsecureWebhooks: false,
      destinations: { hook: { type: 'webhook', url: { env: 'HOOK_URL' }, secrets: [{ env: 'HOOK_SECRET' }] } },
    };
    const env = { HOOK_URL: 'https://hooks.example.com/in' };
    const inside = await doctor(s, s.doc({}, notify), { env, resolveHost: async () => ['93.184.216.34', '10.0.0.7'] });
    expect(row(inside, 'destination.url', 'hook')).toMatchObject({
      verdict: 'problem',
      evidence: expect.stringContaining('non-public'),
    });
    const outside = await doctor(s, s.doc({}, notify), { env, resolveHost: async () => ['93.184.216.34'] });
    expect(row(outside, 'destination.url', 'hook')).toMatchObject({
      verdict: 'ok',
      evidence: 'https://hooks.example.com resolves to 1 public address(es)',
    });
  });

  it('a clock 10 minutes off is a problem (Huawei refuses signatures 15 minutes off)', async () => {
    const s = await setup();
    const report = await doctor(s, s.doc(), { now: () => Date.now() + 600_000 });
    expect(row(report, 'clock.skew')).toMatchObject({
      verdict: 'problem',
      evidence: expect.stringMatching(/ahead of upstream by 60\d s/),
    });
  });

  it('a configuration that does not load: one problem naming the setting, nothing else read', async () => {
    const s = await setup();
    const report = await doctor(s, { ...s.doc(), pageSize: 1000 });
    expect(row(report, 'config.loads')).toMatchObject({
      verdict: 'problem',
      evidence: expect.stringContaining('pageSize'),
    });
    expect(report.results.filter((r) => r.check.startsWith('dms.'))).toEqual([]);
    expect(s.emulator.requests).toEqual([]);
  });

  it('never prints a secret value, in JSON or text', async () => {
    const s = await setup();
    const report = await doctor(s, s.doc());
    const out = JSON.stringify(report) + renderDoctorText(report);
    for (const secret of [
      EMULATOR_CREDENTIALS.secretAccessKey,
      WEBHOOK_SECRET,
      WEBHOOK_SECRET.slice(6),
      'http://127.0.0.1:9/hook',
    ]) {
      expect(out).not.toContain(secret);
    }
  });
});
