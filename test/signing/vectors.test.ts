/**
 * Fixed vectors: each Authorization below was produced once by the official SDK signer
 * (`@huaweicloud/huaweicloud-sdk-core` 3.1.211, driven through its HcClient) with
 * `support/generateVectors.ts`, and pasted here. These tests check OUR signer against the pasted
 * values; the SDK is not loaded.
 */
import { describe, expect, it } from 'vitest';
import { computeSignature, signRequest, SIGNING, type Credentials, type RequestToSign } from '../../lib/signing';

interface SigningVector {
  readonly name: string;
  readonly request: RequestToSign;
  readonly credentials: Credentials;
  /** Signing time, ISO 8601. */
  readonly date: string;
  /** What the SDK signed. */
  readonly authorization: string;
}

const VECTORS: readonly SigningVector[] = [
  {
    name: 'seed example: list tasks with start, limit, begin_time, end_time',
    request: {
      method: 'GET',
      host: 'dms.cn-north-4.myhuaweicloud.com',
      pathSegments: [
        'v2',
        '0a1b2c3d4e5f60718293a4b5c6d7e8f9',
        'instances',
        '5c3a9e10-8d2b-4a62-9f1e-2b7c4d5e6f70',
        'tasks',
      ],
      query: { start: 1, limit: 10, begin_time: '20200623000000', end_time: '20200624000000' },
      headers: { 'X-Project-Id': '0a1b2c3d4e5f60718293a4b5c6d7e8f9', 'Content-Type': 'application/json' },
    },
    credentials: { accessKeyId: 'HPUAEXAMPLEAKEXAMPLE', secretAccessKey: 'exampleSecretKeyexampleSecretKey12345678' },
    date: '2020-06-23T03:00:03.000Z',
    authorization:
      'SDK-HMAC-SHA256 Access=HPUAEXAMPLEAKEXAMPLE, ' +
      'SignedHeaders=content-type;host;x-project-id;x-sdk-date, ' +
      'Signature=23c09765348a6bf1d0ddd0d02e6f3bf393a2d74448ae507a2c4f2a37134b9b95',
  },
  {
    name: 'seed example: show one task',
    request: {
      method: 'GET',
      host: 'dms.cn-north-4.myhuaweicloud.com',
      pathSegments: [
        'v2',
        '0a1b2c3d4e5f60718293a4b5c6d7e8f9',
        'instances',
        '5c3a9e10-8d2b-4a62-9f1e-2b7c4d5e6f70',
        'tasks',
        'ff80808272dcc90f0172df1e490f41b0',
      ],
      query: {},
      headers: { 'X-Project-Id': '0a1b2c3d4e5f60718293a4b5c6d7e8f9', 'Content-Type': 'application/json' },
    },
    credentials: { accessKeyId: 'HPUAEXAMPLEAKEXAMPLE', secretAccessKey: 'exampleSecretKeyexampleSecretKey12345678' },
    date: '2020-06-23T03:00:08.000Z',
    authorization:
      'SDK-HMAC-SHA256 Access=HPUAEXAMPLEAKEXAMPLE, ' +
      'SignedHeaders=content-type;host;x-project-id;x-sdk-date, ' +
      'Signature=6ed6e89386c0a266ceb98682e1a3c6954161f1570fbbbf06c3fd22ace3391c4b',
  },
  {
    name: 'temporary credentials: X-Security-Token signed',
    request: {
      method: 'GET',
      host: 'dms.cn-north-4.myhuaweicloud.com',
      pathSegments: [
        'v2',
        '0a1b2c3d4e5f60718293a4b5c6d7e8f9',
        'instances',
        '5c3a9e10-8d2b-4a62-9f1e-2b7c4d5e6f70',
        'tasks',
      ],
      query: { offset: 0, limit: 50 },
      headers: { 'X-Project-Id': '0a1b2c3d4e5f60718293a4b5c6d7e8f9', 'Content-Type': 'application/json' },
    },
    credentials: {
      accessKeyId: 'HPUAEXAMPLEAKEXAMPLE',
      secretAccessKey: 'exampleSecretKeyexampleSecretKey12345678',
      securityToken: 'gQpjbi1ub3J0aC00XEXAMPLETOKEN-_.+/=0123456789abcdefghijklmnopqrstuvwxyz',
    },
    date: '2026-11-23T01:40:02.000Z',
    authorization:
      'SDK-HMAC-SHA256 Access=HPUAEXAMPLEAKEXAMPLE, ' +
      'SignedHeaders=content-type;host;x-project-id;x-sdk-date;x-security-token, ' +
      'Signature=a8adc297ed259a3316f4fd57f1dea80f88318f363317bb8ed33e9a93f6a6505b',
  },
  {
    name: 'host with port (emulator)',
    request: {
      method: 'GET',
      host: '127.0.0.1:8443',
      pathSegments: [
        'v2',
        '0a1b2c3d4e5f60718293a4b5c6d7e8f9',
        'instances',
        '5c3a9e10-8d2b-4a62-9f1e-2b7c4d5e6f70',
        'tasks',
      ],
      query: { start: 0 },
      headers: { 'X-Project-Id': '0a1b2c3d4e5f60718293a4b5c6d7e8f9', 'Content-Type': 'application/json' },
    },
    credentials: { accessKeyId: 'HPUAEXAMPLEAKEXAMPLE', secretAccessKey: 'exampleSecretKeyexampleSecretKey12345678' },
    date: '2026-02-28T23:59:59.000Z',
    authorization:
      'SDK-HMAC-SHA256 Access=HPUAEXAMPLEAKEXAMPLE, ' +
      'SignedHeaders=content-type;host;x-project-id;x-sdk-date, ' +
      'Signature=05a43e65434b47e60d7900d7403843e8b29cdaf24570b951e60f52361de81667',
  },
  {
    name: 'eu-west-101 host on .eu, no content-type',
    request: {
      method: 'GET',
      host: 'dms.eu-west-101.myhuaweicloud.eu',
      pathSegments: [
        'v2',
        '0a1b2c3d4e5f60718293a4b5c6d7e8f9',
        'instances',
        '5c3a9e10-8d2b-4a62-9f1e-2b7c4d5e6f70',
        'tasks',
      ],
      query: { limit: 10 },
      headers: { 'X-Project-Id': '0a1b2c3d4e5f60718293a4b5c6d7e8f9' },
    },
    credentials: { accessKeyId: 'HPUAEXAMPLEAKEXAMPLE', secretAccessKey: 'exampleSecretKeyexampleSecretKey12345678' },
    date: '2024-02-29T12:00:00.000Z',
    authorization:
      'SDK-HMAC-SHA256 Access=HPUAEXAMPLEAKEXAMPLE, ' +
      'SignedHeaders=host;x-project-id;x-sdk-date, ' +
      'Signature=e4df2e07fa333d0345e59a18171fa10fb2f8203d72bce4d4cb002a9561d0c975',
  },
  {
    name: 'unicode query key and values (emoji as a surrogate pair)',
    request: {
      method: 'GET',
      host: 'dms.cn-north-4.myhuaweicloud.com',
      pathSegments: [
        'v2',
        '0a1b2c3d4e5f60718293a4b5c6d7e8f9',
        'instances',
        '5c3a9e10-8d2b-4a62-9f1e-2b7c4d5e6f70',
        'tasks',
      ],
      query: { név: 'Zoë', q: '中文 😀' },
      headers: { 'X-Project-Id': '0a1b2c3d4e5f60718293a4b5c6d7e8f9', 'Content-Type': 'application/json' },
    },
    credentials: { accessKeyId: 'HPUAEXAMPLEAKEXAMPLE', secretAccessKey: 'exampleSecretKeyexampleSecretKey12345678' },
    date: '2025-06-01T08:30:00.000Z',
    authorization:
      'SDK-HMAC-SHA256 Access=HPUAEXAMPLEAKEXAMPLE, ' +
      'SignedHeaders=content-type;host;x-project-id;x-sdk-date, ' +
      'Signature=81162b92427efcfbfa086a9eb80a726eacca80545a11ea454b6f698f5ca61e26',
  },
  {
    name: 'empty query values and an empty key',
    request: {
      method: 'GET',
      host: 'dms.cn-north-4.myhuaweicloud.com',
      pathSegments: [
        'v2',
        '0a1b2c3d4e5f60718293a4b5c6d7e8f9',
        'instances',
        '5c3a9e10-8d2b-4a62-9f1e-2b7c4d5e6f70',
        'tasks',
      ],
      query: { begin_time: '', end_time: '', '': 'x', limit: 10 },
      headers: { 'X-Project-Id': '0a1b2c3d4e5f60718293a4b5c6d7e8f9', 'Content-Type': 'application/json' },
    },
    credentials: { accessKeyId: 'HPUAEXAMPLEAKEXAMPLE', secretAccessKey: 'exampleSecretKeyexampleSecretKey12345678' },
    date: '2025-12-31T23:59:59.000Z',
    authorization:
      'SDK-HMAC-SHA256 Access=HPUAEXAMPLEAKEXAMPLE, ' +
      'SignedHeaders=content-type;host;x-project-id;x-sdk-date, ' +
      'Signature=843a9069406b5c53d0f1b7d2af3516fc6c5e9156fd3edaef8d9aa1dc55f2597f',
  },
  {
    name: 'reserved characters in the query, sorted by raw key',
    request: {
      method: 'GET',
      host: 'dms.cn-north-4.myhuaweicloud.com',
      pathSegments: [
        'v2',
        '0a1b2c3d4e5f60718293a4b5c6d7e8f9',
        'instances',
        '5c3a9e10-8d2b-4a62-9f1e-2b7c4d5e6f70',
        'tasks',
      ],
      query: { 'a b': "!'()*", 'a+b': 'x&y=z/?#', 'a~': '~-._', A: '%20' },
      headers: { 'X-Project-Id': '0a1b2c3d4e5f60718293a4b5c6d7e8f9', 'Content-Type': 'application/json' },
    },
    credentials: { accessKeyId: 'HPUAEXAMPLEAKEXAMPLE', secretAccessKey: 'exampleSecretKeyexampleSecretKey12345678' },
    date: '2030-01-01T00:00:00.000Z',
    authorization:
      'SDK-HMAC-SHA256 Access=HPUAEXAMPLEAKEXAMPLE, ' +
      'SignedHeaders=content-type;host;x-project-id;x-sdk-date, ' +
      'Signature=740aac92479c045bde1b12a3e2c19373628544176c561092130054518e588476',
  },
  {
    name: 'reserved and unicode characters in a path segment (encoded once by both)',
    request: {
      method: 'GET',
      host: 'dms.cn-north-4.myhuaweicloud.com',
      pathSegments: ['v2', '0a1b2c3d4e5f60718293a4b5c6d7e8f9', 'instances', '(*)!,;=:@&+$é~%[]', 'tasks'],
      query: {},
      headers: { 'X-Project-Id': '0a1b2c3d4e5f60718293a4b5c6d7e8f9', 'Content-Type': 'application/json' },
    },
    credentials: { accessKeyId: 'HPUAEXAMPLEAKEXAMPLE', secretAccessKey: 'exampleSecretKeyexampleSecretKey12345678' },
    date: '2026-11-23T01:40:02.000Z',
    authorization:
      'SDK-HMAC-SHA256 Access=HPUAEXAMPLEAKEXAMPLE, ' +
      'SignedHeaders=content-type;host;x-project-id;x-sdk-date, ' +
      'Signature=0d24784dd22e045623b0d517cba83bbbc4a91f97751b7faaa6130017405994dc',
  },
  {
    name: 'no X-Project-Id, no content-type: only host and x-sdk-date signed',
    request: {
      method: 'GET',
      host: 'dms.cn-north-4.myhuaweicloud.com',
      pathSegments: ['v2', 'config', 'features'],
      query: {},
      headers: {},
    },
    credentials: { accessKeyId: 'HPUAEXAMPLEAKEXAMPLE', secretAccessKey: 'exampleSecretKeyexampleSecretKey12345678' },
    date: '2001-09-09T01:46:40.000Z',
    authorization:
      'SDK-HMAC-SHA256 Access=HPUAEXAMPLEAKEXAMPLE, ' +
      'SignedHeaders=host;x-sdk-date, ' +
      'Signature=6c24fcbda1c4b521bd551ab0f31ea01ce6ddca3ad831c29c3c43d66c0da10444',
  },
];

describe('signRequest reproduces the official SDK signer on fixed vectors', () => {
  it.each(VECTORS.map((v) => [v.name, v] as const))('%s', (_name, v) => {
    const headers = signRequest(v.request, v.credentials, { date: new Date(v.date) });
    expect(headers[SIGNING.authorizationHeader]).toBe(v.authorization);
  });

  it('seed example: the canonical request and string to sign, step by step', () => {
    const v = VECTORS[0] as SigningVector;
    const { [SIGNING.authorizationHeader]: _authorization, ...signed } = signRequest(v.request, v.credentials, {
      date: new Date(v.date),
    });
    expect(signed).toEqual({
      'X-Project-Id': '0a1b2c3d4e5f60718293a4b5c6d7e8f9',
      'Content-Type': 'application/json',
      'X-Sdk-Date': '20200623T030003Z',
      host: 'dms.cn-north-4.myhuaweicloud.com',
    });
    const parts = computeSignature(v.request, signed, '20200623T030003Z', v.credentials.secretAccessKey);
    expect(parts.canonicalRequest).toBe(
      [
        'GET',
        '/v2/0a1b2c3d4e5f60718293a4b5c6d7e8f9/instances/5c3a9e10-8d2b-4a62-9f1e-2b7c4d5e6f70/tasks/',
        'begin_time=20200623000000&end_time=20200624000000&limit=10&start=1',
        'content-type:application/json',
        'host:dms.cn-north-4.myhuaweicloud.com',
        'x-project-id:0a1b2c3d4e5f60718293a4b5c6d7e8f9',
        'x-sdk-date:20200623T030003Z',
        '',
        'content-type;host;x-project-id;x-sdk-date',
        SIGNING.emptyBodySha256,
      ].join('\n'),
    );
    expect(parts.stringToSign).toBe(
      'SDK-HMAC-SHA256\n20200623T030003Z\nf04d7361c0de963c271c24a4bba01430d6d6581c54ef14ecc8b937d1ccd7ba22',
    );
    expect(parts.signedHeaders).toBe('content-type;host;x-project-id;x-sdk-date');
    expect(parts.signature).toBe('23c09765348a6bf1d0ddd0d02e6f3bf393a2d74448ae507a2c4f2a37134b9b95');
  });
});
