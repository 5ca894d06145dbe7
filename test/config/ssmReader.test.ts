import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { awsSdkEnvFor, type SsmStandIn, startSsmStandIn } from '../../dev/ssmStandIn';
import { defaultSsmReader } from '../../lib/secrets/resolveSecret';

/**
 * The default SSM reader builds one `SSMClient` per cold start: later reads reuse it, and with it
 * its kept-alive connection. A local stand-in speaking SSM's JSON protocol counts the connections.
 */
let ssm: SsmStandIn;

beforeAll(async () => {
  ssm = await startSsmStandIn((name) => `v${name}`);
  for (const [k, v] of Object.entries(awsSdkEnvFor(ssm.url))) vi.stubEnv(k, v);
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await ssm.close();
});

describe('defaultSsmReader', () => {
  it('is one reader with one client: sequential reads share a connection', async () => {
    const read = defaultSsmReader();
    expect(defaultSsmReader()).toBe(read);
    for (const name of ['/a', '/b', '/c']) await expect(read(name)).resolves.toBe(`v${name}`);
    expect(ssm.connections()).toBe(1);
  });
});
