import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  buildSignedUrl,
  computeSignature,
  parseAuthorization,
  signRequest,
  SIGNING,
  type RequestToSign,
} from '../../lib/signing';

const credentials = {
  accessKeyId: 'HPUAEXAMPLEAKEXAMPLE',
  secretAccessKey: 'exampleSecretKeyexampleSecretKey12345678',
};
const date = new Date('2020-06-23T03:00:03Z');
const req: RequestToSign = {
  method: 'GET',
  host: 'dms.cn-north-4.myhuaweicloud.com',
  pathSegments: ['v2', 'p1', 'instances', 'i1', 'tasks'],
  query: { limit: 10 },
  headers: { [SIGNING.projectHeader]: 'p1' },
};

describe('signRequest', () => {
  it('adds X-Sdk-Date, host and Authorization to the caller headers, and does not touch the input', () => {
    const before = JSON.stringify(req);
    const headers = signRequest(req, credentials, { date });
    expect(Object.keys(headers)).toEqual([
      SIGNING.projectHeader,
      SIGNING.dateHeader,
      'host',
      SIGNING.authorizationHeader,
    ]);
    expect(headers[SIGNING.dateHeader]).toBe('20200623T030003Z');
    expect(headers.host).toBe(req.host);
    expect(parseAuthorization(headers[SIGNING.authorizationHeader] as string)?.signedHeaders).toEqual([
      'host',
      'x-project-id',
      'x-sdk-date',
    ]);
    expect(JSON.stringify(req)).toBe(before);
  });

  it('signs X-Security-Token for temporary credentials', () => {
    const headers = signRequest(req, { ...credentials, securityToken: 'tok' }, { date });
    expect(headers[SIGNING.securityTokenHeader]).toBe('tok');
    expect(parseAuthorization(headers[SIGNING.authorizationHeader] as string)?.signedHeaders).toContain(
      'x-security-token',
    );
  });

  it('replaces, never duplicates, a caller header it sets itself, whatever its case', () => {
    const clean = signRequest(req, credentials, { date });
    const headers = signRequest(
      {
        ...req,
        headers: { ...req.headers, 'x-sdk-date': '19990101T000000Z', Host: 'evil.example', authorization: 'forged' },
      },
      credentials,
      { date },
    );
    expect(headers).toEqual(clean);
  });

  it('keeps a caller X-Security-Token when the credentials have none', () => {
    const headers = signRequest({ ...req, headers: { ...req.headers, 'X-Security-Token': 'tok' } }, credentials, {
      date,
    });
    expect(headers).toEqual(signRequest(req, { ...credentials, securityToken: 'tok' }, { date }));
  });

  it('upper-cases the method', () => {
    expect(signRequest({ ...req, method: 'get' }, credentials, { date })).toEqual(
      signRequest(req, credentials, { date }),
    );
  });

  it('changes the signature when anything signed changes', () => {
    const base = signRequest(req, credentials, { date })[SIGNING.authorizationHeader];
    const variants: RequestToSign[] = [
      { ...req, host: `${req.host}:443` },
      { ...req, pathSegments: [...req.pathSegments, 't1'] },
      { ...req, query: { limit: 11 } },
      { ...req, query: { limit: 10, start: '' } },
      { ...req, headers: { [SIGNING.projectHeader]: 'p2' } },
      { ...req, method: 'DELETE' },
    ];
    for (const variant of variants)
      expect(signRequest(variant, credentials, { date })[SIGNING.authorizationHeader]).not.toBe(base);
    expect(
      signRequest(req, credentials, { date: new Date(date.getTime() + 1000) })[SIGNING.authorizationHeader],
    ).not.toBe(base);
    expect(
      signRequest(req, { ...credentials, secretAccessKey: 'other' }, { date })[SIGNING.authorizationHeader],
    ).not.toBe(base);
  });

  it('hashes the body bytes; an empty body hashes like none', () => {
    const signed = { host: req.host };
    const none = computeSignature(req, signed, '20200623T030003Z', 'sk');
    expect(none.canonicalRequest.endsWith(`\n${SIGNING.emptyBodySha256}`)).toBe(true);
    expect(computeSignature({ ...req, body: '' }, signed, '20200623T030003Z', 'sk')).toEqual(none);
    const text = computeSignature({ ...req, body: '{"a":"é"}' }, signed, '20200623T030003Z', 'sk');
    const bytes = computeSignature(
      { ...req, body: new TextEncoder().encode('{"a":"é"}') },
      signed,
      '20200623T030003Z',
      'sk',
    );
    expect(bytes).toEqual(text);
    expect(text.canonicalRequest.split('\n').at(-1)).toBe(
      createHash('sha256').update('{"a":"é"}', 'utf8').digest('hex'),
    );
  });
});

describe('buildSignedUrl', () => {
  it('encodes each segment once, has no trailing slash, and sends the canonical query', () => {
    expect(
      buildSignedUrl('https://dms.cn-north-4.myhuaweicloud.com', {
        pathSegments: ['v2', 'p 1', 'tasks'],
        query: { b: 'x y', a: '' },
      }),
    ).toBe('https://dms.cn-north-4.myhuaweicloud.com/v2/p%201/tasks?a=&b=x%20y');
  });

  it('has no "?" without a query', () => {
    expect(buildSignedUrl('http://127.0.0.1:8443', { pathSegments: ['v2', 'p1'] })).toBe('http://127.0.0.1:8443/v2/p1');
    expect(buildSignedUrl('http://127.0.0.1:8443', { pathSegments: ['v2'], query: { a: undefined } })).toBe(
      'http://127.0.0.1:8443/v2',
    );
  });
});
