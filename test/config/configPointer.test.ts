import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EMULATOR_CREDENTIALS, SEED_IDS, startEmulator, type Emulator } from '../../dev/emulator';
import { buildLocalConfig } from '../../dev/localConfig';
import { ConfigError } from '../../lib/config';
import { createHttpHandler, listRoute, type ContextLike } from '../../lib/tasks';
import { createNotifyHandler } from '../../lib/notify/createNotifyHandler';
import { FAST_CLIENT } from '../support/functions';
import { LIST_PATH, P, TOKEN_A, fgEvent } from '../support/events';

/**
 * The whole configuration from one secret: a small pointer document (`configFrom`) in the environment,
 * the document itself in CSMS (signed with the FunctionGraph context's credentials) or SSM, read on the
 * first invocation and kept while warm, a failed read retried by the next invocation.
 */
const AGENCY = {
  accessKeyId: 'FGPOINTERAK00000001',
  secretAccessKey: 'fg-pointer-sk-SECRET-0123',
  securityToken: 'fg-pointer-token-SECRET-abc',
};
const context: ContextLike = {
  getRequestID: () => 'fg-pointer-0001',
  getRemainingTimeInMilliSeconds: () => 30_000,
  getSecurityAccessKey: () => AGENCY.accessKeyId,
  getSecuritySecretKey: () => AGENCY.secretAccessKey,
  getSecurityToken: () => AGENCY.securityToken,
};

let emulator: Emulator;
let dir: string;
beforeAll(async () => {
  emulator = await startEmulator({ credentials: [EMULATOR_CREDENTIALS, AGENCY], lockout: false });
  dir = mkdtempSync(join(tmpdir(), 'dtf-pointer-'));
});
afterAll(async () => {
  await emulator.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(async () => {
  await fetch(`${emulator.url}/__emulator/secrets`, { method: 'DELETE' });
  emulator.resetRequests();
});

const putSecret = (name: string, value: string): Promise<Response> =>
  fetch(`${emulator.url}/__emulator/secrets`, {
    method: 'POST',
    body: JSON.stringify({ projectId: P, name, value }),
  });

/** The whole document, as it is kept in CSMS: the agency's credentials, tokens in the environment. */
function wholeDocument(): Record<string, unknown> {
  return { ...buildLocalConfig({ endpoint: emulator.url }), credentials: { source: 'functiongraph' } };
}

const pointer = {
  configFrom: { csms: 'dtf-config' },
  credentials: { source: 'functiongraph' },
  csms: { projectId: P, region: 'cn-north-4', endpoint: '' },
};
function pointerEnv(patch: Record<string, unknown> = {}): NodeJS.ProcessEnv {
  const doc = { ...pointer, csms: { ...pointer.csms, endpoint: emulator.url }, ...patch };
  return { DMS_TASKS_CONFIG: JSON.stringify(doc), API_TOKENS: TOKEN_A };
}

const listEvent = () => fgEvent({ path: LIST_PATH, query: 'limit=1', headers: { authorization: `Bearer ${TOKEN_A}` } });
const csmsReads = (): number => emulator.requests.filter((r) => r.path.includes('/secrets/dtf-config/')).length;

describe('configFrom: the whole configuration from a CSMS secret', () => {
  it('reads it once per warm instance, signed with the context credentials, and serves with it', async () => {
    await putSecret('dtf-config', JSON.stringify(wholeDocument()));
    const handler = createHttpHandler(listRoute, { env: pointerEnv(), client: FAST_CLIENT });
    expect((await handler(listEvent(), context)).statusCode).toBe(200);
    expect((await handler(listEvent(), context)).statusCode).toBe(200);
    expect(csmsReads()).toBe(1);
    expect(emulator.requests.every((r) => r.signed)).toBe(true);
  });

  it('answers 500 while the secret is missing or not JSON, and serves once it is there (not kept)', async () => {
    const logs: string[] = [];
    const handler = createHttpHandler(listRoute, { env: pointerEnv(), client: FAST_CLIENT, log: (l) => logs.push(l) });
    expect((await handler(listEvent(), context)).statusCode).toBe(500);
    await putSecret('dtf-config', '{"projects": {"x": SECRET-TEXT');
    expect((await handler(listEvent(), context)).statusCode).toBe(500);
    await putSecret('dtf-config', JSON.stringify(wholeDocument()));
    expect((await handler(listEvent(), context)).statusCode).toBe(200);
    expect(csmsReads()).toBe(3);
    const printed = logs.join('\n');
    expect(printed).toContain('csms:dtf-config is not valid JSON');
    expect(printed).not.toContain('SECRET');
  });

  it('refuses a pointer that names another pointer, and a bad whole document, naming the setting', async () => {
    await putSecret('dtf-config', JSON.stringify(pointer));
    const logs: string[] = [];
    const handler = createHttpHandler(listRoute, { env: pointerEnv(), client: FAST_CLIENT, log: (l) => logs.push(l) });
    expect((await handler(listEvent(), context)).statusCode).toBe(500);
    expect(logs.join('\n')).toContain('is itself a pointer');
    await putSecret('dtf-config', JSON.stringify({ ...wholeDocument(), pageSize: 0 }));
    expect((await handler(listEvent(), context)).statusCode).toBe(500);
    expect(logs.join('\n')).toContain('pageSize');
  });

  it('validates the pointer at cold start: the notifier fails its init naming the setting', () => {
    const bad = pointerEnv({ csms: { region: 'cn-north-4' } });
    expect(() => createNotifyHandler({ env: bad })).toThrow(ConfigError);
    expect(() => createNotifyHandler({ env: pointerEnv({ extra: 1 }) })).toThrow(/\(root\).*extra/);
  });

  it('runs the notifier on the pointed-to document', async () => {
    const doc = {
      ...wholeDocument(),
      projects: {
        [SEED_IDS.mainProject]: { region: 'cn-north-4', instances: [{ id: SEED_IDS.kafkaPaged, engine: 'kafka' }] },
      },
      notify: { store: { type: 'file', path: join(dir, 'state.json') } },
    };
    await putSecret('dtf-config', JSON.stringify(doc));
    const run = createNotifyHandler({ env: pointerEnv(), log: () => undefined });
    const timer = { version: 'v1.0', time: '2026-01-01T00:00:00+08:00', trigger_type: 'TIMER', trigger_name: 't' };
    expect(await run(timer, context)).toMatchObject({ runId: 'fg-pointer-0001', instancesScanned: 1 });
    expect(await run(timer, context)).toMatchObject({ instancesScanned: 1 });
    expect(csmsReads()).toBe(1);
  });
});

describe('configFrom: the whole configuration from an SSM parameter', () => {
  it('reads the parameter with the SSM reader, once', async () => {
    const names: string[] = [];
    const doc = { ...buildLocalConfig({ endpoint: emulator.url }) };
    const handler = createHttpHandler(listRoute, {
      env: {
        DMS_TASKS_CONFIG: JSON.stringify({ configFrom: { ssm: '/dtf/config' } }),
        API_TOKENS: TOKEN_A,
        CLOUD_SDK_AK: EMULATOR_CREDENTIALS.accessKeyId,
        CLOUD_SDK_SK: EMULATOR_CREDENTIALS.secretAccessKey,
      },
      client: FAST_CLIENT,
      ssm: async (name) => {
        names.push(name);
        return JSON.stringify(doc);
      },
    });
    expect((await handler(listEvent(), undefined)).statusCode).toBe(200);
    expect((await handler(listEvent(), undefined)).statusCode).toBe(200);
    expect(names).toEqual(['/dtf/config']);
  });
});
