import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, SEED_IDS, type Emulator } from '../../dev/emulator';
import { createNotifyHandler } from '../../lib/notify/createNotifyHandler';

/** The notifier on FunctionGraph: agency credentials from the context, the run id from `getRequestID()`. */
const AGENCY = {
  accessKeyId: 'FGNOTIFYAK000000001',
  secretAccessKey: 'fg-notify-sk-SECRET-0123456',
  securityToken: 'fg-notify-token-SECRET-abcdef',
};

let emulator: Emulator;
let dir: string;
beforeAll(async () => {
  emulator = await startEmulator({ credentials: [AGENCY], lockout: false });
  dir = mkdtempSync(join(tmpdir(), 'fg-notify-'));
});
afterAll(async () => {
  await emulator.close();
  rmSync(dir, { recursive: true, force: true });
});

function handler(logs: Record<string, unknown>[]): ReturnType<typeof createNotifyHandler> {
  const doc = {
    endpoint: emulator.url,
    credentials: { source: 'functiongraph' },
    projects: {
      [SEED_IDS.mainProject]: { region: 'cn-north-4', instances: [{ id: SEED_IDS.kafkaPaged, engine: 'kafka' }] },
    },
    notify: { store: { type: 'file', path: join(dir, 'state.json') } },
  };
  return createNotifyHandler({ env: { DMS_TASKS_CONFIG: JSON.stringify(doc) }, log: (e) => logs.push(e) });
}

const timer = {
  version: 'v1.0',
  time: '2026-01-01T00:00:00+08:00',
  trigger_type: 'TIMER',
  trigger_name: 'every-minute',
};

describe('the notifier on FunctionGraph', () => {
  it('scans with the context credentials and logs the run under getRequestID()', async () => {
    const logs: Record<string, unknown>[] = [];
    const run = handler(logs);
    const summary = await run(timer, {
      getRequestID: () => 'fg-timer-run-42',
      getRemainingTimeInMilliSeconds: () => 60_000,
      getSecurityAccessKey: () => AGENCY.accessKeyId,
      getSecuritySecretKey: () => AGENCY.secretAccessKey,
      getSecurityToken: () => AGENCY.securityToken,
    });
    expect(summary).toMatchObject({ runId: 'fg-timer-run-42', instancesScanned: 1 });
    expect(emulator.requests.length).toBeGreaterThan(0);
    expect(emulator.requests.every((r) => r.signed)).toBe(true);
    expect(logs.find((l) => l.msg === 'notify run')).toMatchObject({ runId: 'fg-timer-run-42' });
    const printed = JSON.stringify(logs);
    for (const s of Object.values(AGENCY)) expect(printed).not.toContain(s);
  });

  it('refuses to run, naming the context methods, when the context has no agency credentials', async () => {
    const run = handler([]);
    emulator.resetRequests();
    await expect(run(timer, { getRequestID: () => 'r' })).rejects.toMatchObject({
      name: 'MissingContextCredentialsError',
      missing: ['getSecurityAccessKey()', 'getSecuritySecretKey()', 'getSecurityToken()'],
    });
    expect(emulator.requests).toEqual([]);
  });
});

describe('an SMN destination on FunctionGraph', () => {
  it('publishes signed with the agency credentials of the invocation, security token included', async () => {
    const project = SEED_IDS.mainProject;
    const inst = emulator.addInstance(project, { name: 'fg-smn', engine: 'kafka' }).instance_id;
    const topicUrn = emulator.addSmnTopic(project, 'fg-oncall');
    const doc = {
      endpoint: emulator.url,
      credentials: { source: 'functiongraph' },
      projects: { [project]: { region: 'cn-north-4', instances: [{ id: inst, engine: 'kafka' }] } },
      notify: {
        destinations: { topic: { type: 'smn', topicUrn, endpoint: emulator.url } },
        store: { type: 'file', path: join(dir, 'smn-state.json') },
        allowInsecureWebhooks: true,
      },
    };
    const logs: Record<string, unknown>[] = [];
    const run = createNotifyHandler({ env: { DMS_TASKS_CONFIG: JSON.stringify(doc) }, log: (e) => logs.push(e) });
    const context = {
      getRequestID: () => 'fg-smn',
      getRemainingTimeInMilliSeconds: () => 60_000,
      getSecurityAccessKey: () => AGENCY.accessKeyId,
      getSecuritySecretKey: () => AGENCY.secretAccessKey,
      getSecurityToken: () => AGENCY.securityToken,
    };
    await run(timer, context); // baseline
    const task = emulator.addTask(project, inst, { name: 'restartInstance', status: 'FAILED' }).id;
    emulator.resetRequests();
    expect(await run(timer, context)).toMatchObject({ newFailures: 1, sent: 1, dead: 0 });
    const publish = emulator.requests.filter((r) => r.path.endsWith('/publish'));
    expect(publish.map((r) => [r.status, r.signed])).toEqual([[200, true]]);
    expect(emulator.smnPublished.at(-1)?.structure?.email).toContain(task);
    const printed = JSON.stringify(logs);
    for (const s of Object.values(AGENCY)) expect(printed).not.toContain(s);
  });
});
