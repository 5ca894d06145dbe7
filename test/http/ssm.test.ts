import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createHttpHandler, listRoute } from '../../lib/tasks';
import { buildLocalConfig } from '../../dev/localConfig';
import { awsSdkEnvFor, type SsmStandIn, startSsmStandIn } from '../../dev/ssmStandIn';
import { EMULATOR_CREDENTIALS, startEmulator, type Emulator } from '../../dev/emulator';
import { FAST_CLIENT } from '../support/functions';
import { LIST_PATH, TOKEN_A, v2Event } from '../support/events';

/**
 * The default SSM reader: the real `@aws-sdk/client-ssm` (external to the bundles, loaded on first
 * use), pointed by `AWS_ENDPOINT_URL_SSM` at a local stand-in that speaks SSM's JSON protocol.
 */
const PARAMETERS: Record<string, string> = { '/dtf/sk': EMULATOR_CREDENTIALS.secretAccessKey, '/dtf/tokens': TOKEN_A };

let emulator: Emulator;
let ssm: SsmStandIn;

beforeAll(async () => {
  emulator = await startEmulator();
  ssm = await startSsmStandIn((name) => PARAMETERS[name]);
  for (const [k, v] of Object.entries(awsSdkEnvFor(ssm.url))) vi.stubEnv(k, v);
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await ssm.close();
  await emulator.close();
});

describe('secrets by SSM reference through the AWS SDK', () => {
  it('reads SecureString parameters with decryption and serves the request', async () => {
    const config = {
      ...buildLocalConfig({ endpoint: emulator.url }),
      credentials: { ak: { env: 'CLOUD_SDK_AK' }, sk: { ssm: '/dtf/sk' } },
      http: { tokens: [{ ssm: '/dtf/tokens' }] },
    };
    const env = { DMS_TASKS_CONFIG: JSON.stringify(config), CLOUD_SDK_AK: EMULATOR_CREDENTIALS.accessKeyId };
    const logs: string[] = [];
    const h = createHttpHandler(listRoute, { env, client: FAST_CLIENT, log: (l) => logs.push(l) });
    const res = await h(v2Event({ path: LIST_PATH, headers: { authorization: `Bearer ${TOKEN_A}` } }));
    expect(res.statusCode, logs.join('\n')).toBe(200);
    expect(ssm.requests.map((a) => a.name).sort()).toEqual(['/dtf/sk', '/dtf/tokens']);
    expect(ssm.requests.every((a) => a.target === 'AmazonSSM.GetParameter' && a.decrypt === true)).toBe(true);
  });

  it('a missing parameter is a generic 500, the log naming the reference', async () => {
    const config = {
      ...buildLocalConfig({ endpoint: emulator.url }),
      credentials: { ak: { env: 'CLOUD_SDK_AK' }, sk: { ssm: '/dtf/missing' } },
    };
    const env = {
      DMS_TASKS_CONFIG: JSON.stringify(config),
      CLOUD_SDK_AK: EMULATOR_CREDENTIALS.accessKeyId,
      API_TOKENS: TOKEN_A,
    };
    const logs: string[] = [];
    const res = await createHttpHandler(listRoute, { env, client: FAST_CLIENT, log: (l) => logs.push(l) })(
      v2Event({ path: LIST_PATH, headers: { authorization: `Bearer ${TOKEN_A}` } }),
    );
    expect(res.statusCode).toBe(500);
    expect(logs.join('\n')).toContain('cannot resolve secret ssm:/dtf/missing: SSM read failed (ParameterNotFound)');
  });
});
