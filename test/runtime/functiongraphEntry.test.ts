import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMULATOR_CREDENTIALS, startEmulator, type Emulator } from '../../dev/emulator';
import { buildLocalConfig } from '../../dev/localConfig';
import { createHttpHandler, listRoute } from '../../lib/tasks';
import type { HttpResponse } from '../../lib/http';
import { functiongraphEntry, type PlatformHandler } from '../../lib/runtime/functiongraphEntry';
import { FAST_CLIENT, LIST_PATH, TOKEN_A, fgEvent } from '../http/support';

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
