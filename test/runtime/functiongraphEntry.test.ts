import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMULATOR_CREDENTIALS, startEmulator, type Emulator } from '../../dev/emulator';
import { buildLocalConfig } from '../../dev/localConfig';
import { createHttpHandler, listRoute } from '../../lib/tasks';
import type { HttpResponse } from '../../lib/http';
import { functiongraphEntry, type PlatformHandler } from '../../lib/runtime/functiongraphEntry';
import { envReferencesOf } from '../../lib/secrets/envReferences';
import { FAST_CLIENT } from '../support/functions';
import { LIST_PATH, TOKEN_A, fgEvent } from '../support/events';

/** The FunctionGraph entry: the function's environment from RUNTIME_USERDATA and getUserData, then the module. */
let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ lockout: false });
});
afterAll(async () => {
  await emulator.close();
});

const echo: PlatformHandler = async (event) => event;

describe('functiongraphEntry', () => {
  it('copies RUNTIME_USERDATA into the environment before the module loads; a set variable wins', async () => {
    const env: NodeJS.ProcessEnv = {
      RUNTIME_USERDATA: JSON.stringify({ API_TOKENS: 'from-userdata', KEEP: 'userdata', N: 5 }),
      KEEP: 'process',
    };
    let seen: NodeJS.ProcessEnv | undefined;
    const handler = functiongraphEntry(() => {
      seen = { ...env };
      return echo;
    }, env);
    expect(await handler('e', {})).toBe('e');
    expect(seen).toMatchObject({ API_TOKENS: 'from-userdata', KEEP: 'process' });
    expect(seen?.N).toBeUndefined(); // not a string: not an environment value
  });

  it('takes the configuration variables from getUserData when the environment lacks them', async () => {
    const env: NodeJS.ProcessEnv = { API_TOKENS: TOKEN_A };
    const context = {
      getUserData: (key: string) =>
        key === 'DMS_TASKS_CONFIG'
          ? JSON.stringify({
              ...buildLocalConfig({ endpoint: emulator.url }),
              credentials: { ak: { env: 'AK' }, sk: { env: 'SK' } },
            })
          : key === 'AK'
            ? EMULATOR_CREDENTIALS.accessKeyId
            : undefined,
    };
    env.SK = EMULATOR_CREDENTIALS.secretAccessKey;
    env.AK = EMULATOR_CREDENTIALS.accessKeyId;
    const handler = functiongraphEntry(() => createHttpHandler(listRoute, { env, client: FAST_CLIENT }), env);
    const event = fgEvent({ path: LIST_PATH, query: 'limit=1', headers: { authorization: `Bearer ${TOKEN_A}` } });
    const r = (await handler(event, context)) as HttpResponse;
    expect(r.statusCode).toBe(200);
    expect(env.DMS_TASKS_CONFIG).toContain('"projects"');
  });

  it('reads every {"env": NAME} the configuration references through getUserData (encrypted settings)', async () => {
    // FunctionGraph documents encrypted settings only through getUserData: neither process.env nor
    // RUNTIME_USERDATA holds them. The configuration itself is in RUNTIME_USERDATA here.
    const doc = {
      ...buildLocalConfig({ endpoint: emulator.url }),
      credentials: { ak: { env: 'ENC_AK' }, sk: { env: 'ENC_SK' } },
      http: { tokens: [{ env: 'ENC_TOKENS' }], allowInstances: 'any' },
    };
    const encrypted: Record<string, string> = {
      ENC_AK: EMULATOR_CREDENTIALS.accessKeyId,
      ENC_SK: EMULATOR_CREDENTIALS.secretAccessKey,
      ENC_TOKENS: TOKEN_A,
      UNREFERENCED: 'never copied',
    };
    const env: NodeJS.ProcessEnv = { RUNTIME_USERDATA: JSON.stringify({ DMS_TASKS_CONFIG: JSON.stringify(doc) }) };
    const context = { getUserData: (key: string) => encrypted[key] ?? '' };
    const handler = functiongraphEntry(() => createHttpHandler(listRoute, { env, client: FAST_CLIENT }), env);
    const event = fgEvent({ path: LIST_PATH, query: 'limit=1', headers: { authorization: `Bearer ${TOKEN_A}` } });
    expect(((await handler(event, context)) as HttpResponse).statusCode).toBe(200);
    expect([env.ENC_AK, env.ENC_TOKENS, env.UNREFERENCED]).toEqual([encrypted.ENC_AK, TOKEN_A, undefined]);
  });

  it('finds each {"env": NAME} of a document once, with the default names, bounded', () => {
    const doc = { a: [{ env: 'X1' }, { env: 'X1' }], b: { c: { env: 'Y_2', other: 1 }, d: { env: 'bad name' } } };
    expect(envReferencesOf(doc)).toEqual([
      'API_TOKENS',
      'CLOUD_SDK_AK',
      'CLOUD_SDK_SECURITY_TOKEN',
      'CLOUD_SDK_SK',
      'X1',
    ]);
    const many = { refs: Array.from({ length: 1000 }, (_, i) => ({ env: `V${i}` })) };
    expect(envReferencesOf(many, 10)).toHaveLength(10);
  });

  it('loads once, and retries a load that failed', async () => {
    let loads = 0;
    const handler = functiongraphEntry(() => {
      loads += 1;
      if (loads === 1) throw new Error('bad configuration');
      return echo;
    }, {});
    await expect(handler(1, undefined)).rejects.toThrow('bad configuration');
    expect(await handler(2, undefined)).toBe(2);
    expect(await handler(3, undefined)).toBe(3);
    expect(loads).toBe(2);
  });

  it('ignores a RUNTIME_USERDATA that is not a JSON object, and a getUserData that throws', async () => {
    for (const text of ['not json', '[1,2]', '"s"']) {
      const env: NodeJS.ProcessEnv = { RUNTIME_USERDATA: text };
      const handler = functiongraphEntry(() => echo, env);
      const context = {
        getUserData: () => {
          throw new Error('no such key');
        },
      };
      expect(await handler('ok', context)).toBe('ok');
      expect(Object.keys(env)).toEqual(['RUNTIME_USERDATA']);
    }
  });
});
