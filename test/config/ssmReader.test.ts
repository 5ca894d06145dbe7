import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { defaultSsmReader } from '../../lib/config/resolveSecret';

/**
 * The default SSM reader builds one `SSMClient` per cold start: later reads reuse it, and with it
 * its kept-alive connection. A local stand-in speaking SSM's JSON protocol counts the connections.
 */
let ssm: Server;
let connections = 0;

beforeAll(async () => {
  ssm = createServer((req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString('utf8')));
    req.on('end', () => {
      const input = JSON.parse(text) as { Name?: string };
      res.setHeader('content-type', 'application/x-amz-json-1.1');
      res.end(
        JSON.stringify({ Parameter: { Name: input.Name, Type: 'SecureString', Value: `v${input.Name}`, Version: 1 } }),
      );
    });
  });
  ssm.on('connection', () => connections++);
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
  ssm.closeAllConnections();
  await new Promise((resolve) => ssm.close(resolve));
});

describe('defaultSsmReader', () => {
  it('is one reader with one client: sequential reads share a connection', async () => {
    const read = defaultSsmReader();
    expect(defaultSsmReader()).toBe(read);
    for (const name of ['/a', '/b', '/c']) await expect(read(name)).resolves.toBe(`v${name}`);
    expect(connections).toBe(1);
  });
});
