import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createHttpHandler, listRoute } from '../../lib/http';
import { buildLocalConfig } from '../../dev/localConfig';
import { EMULATOR_CREDENTIALS, startEmulator, type Emulator } from '../../dev/emulator';
import { FAST_CLIENT, LIST_PATH, TOKEN_A, v2Event } from './support';

/**
 * The default SSM reader: the real `@aws-sdk/client-ssm` (external to the bundles, loaded on first
 * use), pointed by `AWS_ENDPOINT_URL_SSM` at a local stand-in that speaks SSM's JSON protocol.
 */
const PARAMETERS: Record<string, string> = { '/dtf/sk': EMULATOR_CREDENTIALS.secretAccessKey, '/dtf/tokens': TOKEN_A };

let emulator: Emulator;
let ssm: Server;
const asked: { target: string | undefined; name: unknown; decrypt: unknown }[] = [];

beforeAll(async () => {
  emulator = await startEmulator();
  ssm = createServer((req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString('utf8')));
    req.on('end', () => {
      const input = JSON.parse(text) as { Name?: unknown; WithDecryption?: unknown };
      asked.push({
        target: req.headers['x-amz-target'] as string | undefined,
        name: input.Name,
        decrypt: input.WithDecryption,
      });
      const value = typeof input.Name === 'string' ? PARAMETERS[input.Name] : undefined;
      res.setHeader('content-type', 'application/x-amz-json-1.1');
      if (value === undefined) {
        res.statusCode = 400;
        res.end(JSON.stringify({ __type: 'ParameterNotFound', message: 'not found' }));
        return;
      }
      res.end(JSON.stringify({ Parameter: { Name: input.Name, Type: 'SecureString', Value: value, Version: 1 } }));
    });
  });
  await new Promise<void>((resolve) => ssm.listen(0, '127.0.0.1', resolve));
  vi.stubEnv('AWS_ENDPOINT_URL_SSM', `http://127.0.0.1:${(ssm.address() as AddressInfo).port}`);
  vi.stubEnv('AWS_REGION', 'eu-west-1');
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIDEXAMPLE');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'test-secret-access-key');
  vi.stubEnv('AWS_SESSION_TOKEN', '');
  vi.stubEnv('AWS_PROFILE', '');
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await new Promise((resolve) => ssm.close(resolve));
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
    expect(asked.map((a) => a.name).sort()).toEqual(['/dtf/sk', '/dtf/tokens']);
    expect(asked.every((a) => a.target === 'AmazonSSM.GetParameter' && a.decrypt === true)).toBe(true);
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
