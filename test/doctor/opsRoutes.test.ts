import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EMULATOR_CREDENTIALS, startEmulator, type Emulator } from '../../dev/emulator';
import { type Sink, startSink } from '../../dev/sink';
import { createOpsHandler } from '../../lib/ops/createOpsHandler';
import { FileStore } from '../../lib/state/fileStore';
import { v2Event } from '../support/events';
import { expectMatchesOpenApi } from '../support/http';

const TOKEN = 'doctor-token-0123456789abcdef';
const WHSEC = `whsec_${randomBytes(24).toString('base64')}`;

let emulator: Emulator | undefined;
let sink: Sink | undefined;
afterEach(async () => {
  await emulator?.close();
  await sink?.close();
  emulator = undefined;
  sink = undefined;
});

async function opsStack() {
  emulator = await startEmulator({ seed: false });
  sink = await startSink({ secrets: { hook: WHSEC } });
  const projectId = randomBytes(16).toString('hex');
  const instanceId = emulator.addInstance(projectId, { name: 'orders', engine: 'kafka' }).instance_id;
  for (let i = 0; i < 3; i += 1) emulator.addTask(projectId, instanceId, { status: 'SUCCESS' });
  const doc = {
    endpoint: emulator.url,
    projects: { [projectId]: { region: 'cn-north-4', instances: [{ id: instanceId, engine: 'kafka' }] } },
    http: { tokens: [{ env: 'API_TOKENS' }] },
    notify: {
      allowInsecureWebhooks: true,
      destinations: { hook: { type: 'webhook', url: { env: 'HOOK_URL' }, secrets: [{ env: 'HOOK_SECRET' }] } },
    },
  };
  const env = {
    CLOUD_SDK_AK: EMULATOR_CREDENTIALS.accessKeyId,
    CLOUD_SDK_SK: EMULATOR_CREDENTIALS.secretAccessKey,
    API_TOKENS: TOKEN,
    HOOK_URL: sink.urlFor('webhook', 'hook'),
    HOOK_SECRET: WHSEC,
    DMS_TASKS_CONFIG: JSON.stringify(doc),
  };
  const store = new FileStore(join(mkdtempSync(join(tmpdir(), 'ops-doctor-')), 'state.json'));
  const handler = createOpsHandler({ env, store, log: () => undefined });
  const call = (method: string, path: string, query?: string, token = TOKEN) =>
    handler(
      v2Event({
        method,
        path,
        ...(query !== undefined ? { query } : {}),
        headers: { authorization: `Bearer ${token}` },
        pathParameters: null,
      }),
    );
  return { call, sink };
}

describe('ops: GET /ops/v1/doctor and POST /ops/v1/destinations/{id}/test', () => {
  it('the self-check with the deployment credentials: documented JSON, and a text table', async () => {
    const s = await opsStack();
    const r = await s.call('GET', '/ops/v1/doctor');
    expect(r.statusCode, r.body).toBe(200);
    expectMatchesOpenApi('doctor', r);
    const report = JSON.parse(r.body) as { results: { check: string; verdict: string }[] };
    expect(report.results.find((x) => x.check === 'dms.credentials')?.verdict).toBe('ok');
    expect(report.results.find((x) => x.check === 'dms.paging')?.verdict).toBe('ok');
    const text = await s.call('GET', '/ops/v1/doctor', 'format=text');
    expect(text.headers['Content-Type']).toMatch(/^text\/plain/);
    expect(text.body).toMatch(/^check +subject +verdict +evidence +fix/);
    expect(text.body).toContain('dms.credentials');
    expect((await s.call('GET', '/ops/v1/doctor', 'format=xml')).statusCode).toBe(400);
    expect((await s.call('GET', '/ops/v1/doctor', undefined, 'wrong-token-0123456789abcdef')).statusCode).toBe(401);
  });

  it('a test notification: 200 with the answer, 429 with Retry-After within 10 s, 404 for an unknown id', async () => {
    const s = await opsStack();
    const sent = await s.call('POST', '/ops/v1/destinations/hook/test');
    expect(sent.statusCode, sent.body).toBe(200);
    expectMatchesOpenApi('testDestination', sent);
    expect(JSON.parse(sent.body)).toMatchObject({ destinationId: 'hook', delivered: true, status: 204 });
    expect(s.sink.requests).toHaveLength(1);
    const again = await s.call('POST', '/ops/v1/destinations/hook/test');
    expect(again.statusCode).toBe(429);
    expect(Number(again.headers['Retry-After'])).toBeGreaterThanOrEqual(1);
    expect(s.sink.requests).toHaveLength(1);
    const unknown = await s.call('POST', '/ops/v1/destinations/nope/test');
    expect(unknown.statusCode).toBe(404);
    expect((await s.call('GET', '/ops/v1/destinations/hook/test')).statusCode).toBe(405);
  });
});
