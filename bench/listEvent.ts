import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { EMULATOR_CREDENTIALS } from '../dev/emulator/constants';
import { SEED_IDS } from '../dev/emulator/seed';

// What the benchmark gives the `list` handler, in a file of its own so that the child processes of the
// HTTPS mode (`tlsChild.ts`) load it without the emulator.

/** Path of the seeded instance every list benchmark reads (64 tasks). */
export const LIST_PATH = `/v2/${SEED_IDS.mainProject}/instances/${SEED_IDS.kafkaPaged}/tasks`;

/**
 * Environment of a `list` handler against `endpoint`, the emulator's credentials and a request budget
 * of 10,000/s: the default 20/s would pace the benchmark instead of measuring it.
 */
export function listHandlerEnv(endpoint: string, extra: Record<string, unknown> = {}): Record<string, string> {
  return {
    CLOUD_SDK_AK: EMULATOR_CREDENTIALS.accessKeyId,
    CLOUD_SDK_SK: EMULATOR_CREDENTIALS.secretAccessKey,
    API_TOKENS: 'bench-token-0123456789abcdef',
    DMS_TASKS_CONFIG: JSON.stringify({
      endpoint,
      projects: { [SEED_IDS.mainProject]: 'cn-north-4' },
      requestsPerSecond: 10_000,
      ...extra,
    }),
  };
}

/** An API Gateway v2 event for `GET` {@link LIST_PATH} with `query`, authorised by the bench token. */
export function listHandlerEvent(query: Readonly<Record<string, string>>): APIGatewayProxyEventV2 {
  const routeKey = 'GET /v2/{project_id}/instances/{instance_id}/tasks';
  return {
    version: '2.0',
    routeKey,
    rawPath: LIST_PATH,
    rawQueryString: new URLSearchParams(query).toString(),
    headers: { authorization: 'Bearer bench-token-0123456789abcdef', host: 'localhost' },
    queryStringParameters: { ...query },
    pathParameters: { project_id: SEED_IDS.mainProject, instance_id: SEED_IDS.kafkaPaged },
    isBase64Encoded: false,
    requestContext: {
      accountId: 'bench',
      apiId: 'bench',
      domainName: 'localhost',
      domainPrefix: 'localhost',
      http: { method: 'GET', path: LIST_PATH, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'bench' },
      requestId: 'bench',
      routeKey,
      stage: '$default',
      time: new Date().toISOString(),
      timeEpoch: Date.now(),
    },
  };
}

/** The Lambda context the benchmark gives the handler. */
export const BENCH_CONTEXT = {
  getRemainingTimeInMillis: () => 29_000,
  awsRequestId: 'bench',
  functionName: 'list',
} as unknown as Context;
