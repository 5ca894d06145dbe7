/**
 * The self-check against the emulator in each mode it distinguishes, and its time at a simulated
 * 20 ms round trip (median and spread of 5 runs):
 *
 *   node --import tsx scripts/doctor-modes.ts
 *
 * Prints one line per mode with the verdict of the rows that mode is about, then the timing line.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EMULATOR_CREDENTIALS, type EmulatorOptions, startEmulator } from '../dev/emulator';
import type { CheckResult } from '../lib/core/checkResult';
import { doctorInputFrom } from '../lib/ops/doctor/doctorInputFrom';
import { runDoctor } from '../lib/ops/doctor/runDoctor';
import { FileStore } from '../lib/state/fileStore';

interface Mode {
  readonly name: string;
  readonly emulator?: Partial<EmulatorOptions>;
  readonly doc?: Record<string, unknown>;
  readonly env?: Record<string, string>;
  readonly skewMs?: number;
  readonly denySecret?: boolean;
  readonly missingTopic?: boolean;
  /** The rows this mode is about. */
  readonly rows: readonly string[];
}

const MODES: readonly Mode[] = [
  { name: 'start and offset, from 1 (default)', rows: ['dms.paging', 'dms.task_count'] },
  { name: 'start only, from 0', emulator: { acceptedOffsetParams: ['start'], offsetBase: 0 }, rows: ['dms.paging'] },
  { name: 'offset only, from 1', emulator: { acceptedOffsetParams: ['offset'], offsetBase: 1 }, rows: ['dms.paging'] },
  {
    name: 'offset only, from 0, configured start/1',
    emulator: { acceptedOffsetParams: ['offset'], offsetBase: 0 },
    doc: { offsetParam: 'start', offsetBase: 1 },
    rows: ['dms.paging'],
  },
  { name: 'task_count per page', emulator: { taskCount: 'page' }, rows: ['dms.paging', 'dms.task_count'] },
  { name: 'wrong secret key', env: { CLOUD_SDK_SK: 'not-the-secret-0123456789' }, rows: ['dms.credentials'] },
  { name: 'CSMS secret read refused (403)', denySecret: true, rows: ['secret.readable'] },
  { name: 'SMN topic missing', missingTopic: true, rows: ['smn.topic'] },
  { name: 'clock 10 minutes ahead', skewMs: 600_000, rows: ['clock.skew'] },
];

async function once(mode: Mode, latencyMs = 0): Promise<{ rows: CheckResult[]; ms: number }> {
  const emulator = await startEmulator({ seed: false, latencyMs, ...mode.emulator });
  try {
    const projectId = randomBytes(16).toString('hex');
    const instanceId = emulator.addInstance(projectId, { name: 'orders', engine: 'kafka' }).instance_id;
    for (let i = 0; i < 3; i += 1) emulator.addTask(projectId, instanceId, { status: 'SUCCESS' });
    const topicUrn = mode.missingTopic
      ? `urn:smn:cn-north-4:${projectId}:gone`
      : emulator.addSmnTopic(projectId, 'alerts');
    if (mode.denySecret) {
      await fetch(`${emulator.url}/__emulator/secrets`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ projectId, name: 'hook-url', value: 'http://127.0.0.1:9/x', denied: true }),
      });
    }
    const doc = {
      endpoint: emulator.url,
      csms: { endpoint: emulator.url },
      projects: { [projectId]: { region: 'cn-north-4', instances: [{ id: instanceId, engine: 'kafka' }] } },
      notify: {
        allowInsecureWebhooks: true,
        destinations: {
          hook: { type: 'slack', url: mode.denySecret ? { csms: 'hook-url' } : { env: 'HOOK_URL' } },
          sms: { type: 'smn', topicUrn, endpoint: emulator.url },
        },
      },
      ...mode.doc,
    };
    const env = {
      CLOUD_SDK_AK: EMULATOR_CREDENTIALS.accessKeyId,
      CLOUD_SDK_SK: EMULATOR_CREDENTIALS.secretAccessKey,
      HOOK_URL: 'http://127.0.0.1:9/x',
      ...mode.env,
    };
    const store = new FileStore(join(mkdtempSync(join(tmpdir(), 'doctor-modes-')), 'state.json'));
    const skew = mode.skewMs ?? 0;
    const start = performance.now();
    const report = await runDoctor(await doctorInputFrom(doc, { env, store, now: () => Date.now() + skew }));
    return { rows: [...report.results], ms: performance.now() - start };
  } finally {
    await emulator.close();
  }
}

async function main(): Promise<void> {
  for (const mode of MODES) {
    const { rows } = await once(mode);
    const shown = rows
      .filter((r) => mode.rows.includes(r.check))
      .map((r) => `${r.check} ${r.verdict}: ${r.evidence}${r.fix ? ` | fix: ${r.fix}` : ''}`);
    console.log(`${mode.name}\n  ${shown.join('\n  ')}`);
  }
  const times: number[] = [];
  for (let i = 0; i < 5; i += 1) times.push((await once(MODES[0] as Mode, 20)).ms);
  times.sort((a, b) => a - b);
  const median = times[2] ?? 0;
  console.log(
    `one self-check at 20 ms per emulator answer: median ${median.toFixed(0)} ms ` +
      `(min ${(times[0] ?? 0).toFixed(0)}, max ${(times[4] ?? 0).toFixed(0)}; 5 runs)`,
  );
}

void main();
