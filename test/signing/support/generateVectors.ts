/**
 * Prints the table of `vectors.test.ts`: each case signed by the official SDK (the oracle), as a
 * literal to paste. The test then checks our signer against the pasted values, without the SDK.
 *
 * Run: node --import tsx test/signing/support/generateVectors.ts
 */
import { sdkSign } from './sdkOracle';
import { JSON_CONTENT_TYPE, PROJECT_SEGMENT, toOurRequest, toSdkCall, type SigningCase } from './signingCase';

const credentials = {
  accessKeyId: 'HPUAEXAMPLEAKEXAMPLE',
  secretAccessKey: 'exampleSecretKeyexampleSecretKey12345678',
};
const token = 'gQpjbi1ub3J0aC00XEXAMPLETOKEN-_.+/=0123456789abcdefghijklmnopqrstuvwxyz';
const project = '0a1b2c3d4e5f60718293a4b5c6d7e8f9';
const instance = '5c3a9e10-8d2b-4a62-9f1e-2b7c4d5e6f70';
const list = ['v2', PROJECT_SEGMENT, 'instances', instance, 'tasks'];
const dms = 'dms.cn-north-4.myhuaweicloud.com';

const VECTORS: readonly (readonly [string, SigningCase])[] = [
  [
    'seed example: list tasks with start, limit, begin_time, end_time',
    {
      host: dms,
      path: list,
      projectId: project,
      query: { start: 1, limit: 10, begin_time: '20200623000000', end_time: '20200624000000' },
      contentType: JSON_CONTENT_TYPE,
      credentials,
      date: new Date('2020-06-23T03:00:03Z'),
    },
  ],
  [
    'seed example: show one task',
    {
      host: dms,
      path: [...list, 'ff80808272dcc90f0172df1e490f41b0'],
      projectId: project,
      query: {},
      contentType: JSON_CONTENT_TYPE,
      credentials,
      date: new Date('2020-06-23T03:00:08Z'),
    },
  ],
  [
    'temporary credentials: X-Security-Token signed',
    {
      host: dms,
      path: list,
      projectId: project,
      query: { offset: 0, limit: 50 },
      contentType: JSON_CONTENT_TYPE,
      credentials: { ...credentials, securityToken: token },
      date: new Date('2026-11-23T01:40:02Z'),
    },
  ],
  [
    'host with port (emulator)',
    {
      host: '127.0.0.1:8443',
      path: list,
      projectId: project,
      query: { start: 0 },
      contentType: JSON_CONTENT_TYPE,
      credentials,
      date: new Date('2026-02-28T23:59:59Z'),
    },
  ],
  [
    'eu-west-101 host on .eu, no content-type',
    {
      host: 'dms.eu-west-101.myhuaweicloud.eu',
      path: list,
      projectId: project,
      query: { limit: 10 },
      credentials,
      date: new Date('2024-02-29T12:00:00Z'),
    },
  ],
  [
    'unicode query key and values (emoji as a surrogate pair)',
    {
      host: dms,
      path: list,
      projectId: project,
      query: { név: 'Zoë', q: '中文 😀' },
      contentType: JSON_CONTENT_TYPE,
      credentials,
      date: new Date('2025-06-01T08:30:00Z'),
    },
  ],
  [
    'empty query values and an empty key',
    {
      host: dms,
      path: list,
      projectId: project,
      query: { begin_time: '', end_time: '', '': 'x', limit: 10 },
      contentType: JSON_CONTENT_TYPE,
      credentials,
      date: new Date('2025-12-31T23:59:59Z'),
    },
  ],
  [
    'reserved characters in the query, sorted by raw key',
    {
      host: dms,
      path: list,
      projectId: project,
      query: { 'a b': "!'()*", 'a+b': 'x&y=z/?#', 'a~': '~-._', A: '%20' },
      contentType: JSON_CONTENT_TYPE,
      credentials,
      date: new Date('2030-01-01T00:00:00Z'),
    },
  ],
  [
    'reserved and unicode characters in a path segment (encoded once by both)',
    {
      host: dms,
      path: ['v2', PROJECT_SEGMENT, 'instances', '(*)!,;=:@&+$é~%[]', 'tasks'],
      projectId: project,
      query: {},
      contentType: JSON_CONTENT_TYPE,
      credentials,
      date: new Date('2026-11-23T01:40:02Z'),
    },
  ],
  [
    'no X-Project-Id, no content-type: only host and x-sdk-date signed',
    {
      host: dms,
      path: ['v2', 'config', 'features'],
      query: {},
      credentials,
      date: new Date('2001-09-09T01:46:40Z'),
    },
  ],
];

async function main(): Promise<void> {
  const rows: string[] = [];
  for (const [name, c] of VECTORS) {
    const sdk = await sdkSign(toSdkCall(c));
    const fields = {
      name,
      request: toOurRequest(c),
      credentials: c.credentials,
      date: c.date.toISOString(),
      authorization: sdk.authorization,
    };
    const lines = Object.entries(fields).map(([key, value]) => `    ${key}: ${JSON.stringify(value)},`);
    rows.push(`  {\n${lines.join('\n')}\n  },`);
  }
  process.stdout.write(`export const VECTORS: readonly SigningVector[] = [\n${rows.join('\n')}\n];\n`);
}

void main();
