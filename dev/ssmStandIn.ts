import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One `GetParameter` call the stand-in answered. */
export interface SsmRequest {
  readonly target: string | undefined;
  readonly name: unknown;
  readonly decrypt: unknown;
}

export interface SsmStandIn {
  /** `http://127.0.0.1:PORT`, for `AWS_ENDPOINT_URL_SSM`. */
  readonly url: string;
  /** Every call, in order. */
  readonly requests: readonly SsmRequest[];
  /** TCP connections accepted (a client that keeps its connection alive opens one). */
  readonly connections: () => number;
  close(): Promise<void>;
}

/**
 * A local stand-in for SSM's JSON protocol (`GetParameter` only), for the real `@aws-sdk/client-ssm`:
 * `value(name)` answers a SecureString, `undefined` a `ParameterNotFound` (400).
 */
export async function startSsmStandIn(value: (name: string) => string | undefined): Promise<SsmStandIn> {
  const requests: SsmRequest[] = [];
  let connections = 0;
  const server = createServer((req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => {
      text += c.toString('utf8');
    });
    req.on('end', () => {
      const input = JSON.parse(text) as { Name?: unknown; WithDecryption?: unknown };
      const target = req.headers['x-amz-target'];
      requests.push({
        target: typeof target === 'string' ? target : undefined,
        name: input.Name,
        decrypt: input.WithDecryption,
      });
      const found = typeof input.Name === 'string' ? value(input.Name) : undefined;
      res.setHeader('content-type', 'application/x-amz-json-1.1');
      if (found === undefined) {
        res.statusCode = 400;
        res.end(JSON.stringify({ __type: 'ParameterNotFound', message: 'not found' }));
        return;
      }
      res.end(JSON.stringify({ Parameter: { Name: input.Name, Type: 'SecureString', Value: found, Version: 1 } }));
    });
  });
  server.on('connection', () => {
    connections++;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    connections: () => connections,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** The environment that points the AWS SDK at a stand-in with dummy credentials and no profile. */
export function awsSdkEnvFor(url: string): Record<string, string> {
  return {
    AWS_ENDPOINT_URL_SSM: url,
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'test-secret-access-key',
    AWS_SESSION_TOKEN: '',
    AWS_PROFILE: '',
  };
}
