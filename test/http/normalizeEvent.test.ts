import { describe, expect, it } from 'vitest';
import { detectEventShape, normalizeEvent, TokenSet, authenticate, type AuthenticationError } from '../../lib/http';
import { nextOffsetAfter } from '../../lib/tasks';
import { fgEvent, LIST_PATH, v1Event, v2Event } from '../support/events';

describe('normalizeEvent', () => {
  it('detects the three shapes', () => {
    expect(detectEventShape(v2Event({ path: '/' }))).toBe('apigw-http-v2');
    expect(detectEventShape(v1Event({ path: '/' }))).toBe('apigw-rest-v1');
    expect(detectEventShape(fgEvent({ path: '/' }))).toBe('functiongraph-apig');
    expect(detectEventShape({ httpMethod: 'GET', path: '/', version: '1.0' })).toBe('apigw-rest-v1');
  });

  it('decodes a base64 body, lower-cases headers, gives empty maps for nulls', () => {
    const r = normalizeEvent({
      ...fgEvent({ path: LIST_PATH, body: '{"a":1}', headers: { 'X-Thing': 'v' } }),
      queryStringParameters: null,
      pathParameters: null,
    });
    expect(r.body).toBe('{"a":1}');
    expect(r.headers.get('x-thing')).toBe('v');
    expect(r.query.size).toBe(0);
    expect(r.pathParameters.size).toBe(0);
    expect(r.gatewayRequestId).toBe('fg-req-1');
    const bare = normalizeEvent({ httpMethod: 'get', path: '/x' });
    expect(bare.method).toBe('GET');
    expect(bare.headers.size).toBe(0);
  });

  it('HTTP API: reads repeated parameters from rawQueryString; REST: from the multi-value map', () => {
    expect(normalizeEvent(v2Event({ path: '/', query: 'a=1&a=2&b=%20' })).query).toEqual(
      new Map([
        ['a', ['1', '2']],
        ['b', [' ']],
      ]),
    );
    expect(normalizeEvent(v1Event({ path: '/', query: 'a=1&a=2' })).query.get('a')).toEqual(['1', '2']);
  });

  it('keeps odd keys as data', () => {
    const r = normalizeEvent(v2Event({ path: '/', query: '__proto__=1&constructor=2' }));
    expect([...r.query.keys()]).toEqual(['__proto__', 'constructor']);
  });
});

describe('nextOffsetAfter', () => {
  it.each([
    // base 0
    [0, 0, 10, '64', 10, 10],
    [0, 60, 4, '64', 10, undefined],
    [0, 0, 0, '0', 10, undefined],
    [0, 0, 10, '10', 10, 10], // task_count read as the page size: a full page may have a successor
    [0, 0, 10, '10', undefined, undefined],
    [0, 0, 5, 'x', undefined, undefined],
    [0, undefined, 10, '64', undefined, 10],
    // base 1 (the default): the first task is 1, and 0 reads as 1
    [1, 1, 10, '64', 10, 11],
    [1, undefined, 10, '64', undefined, 11],
    [1, 0, 10, '64', 10, 11],
    [1, 61, 4, '64', 10, undefined],
    [1, 51, 10, '64', 10, 61],
    [1, 55, 10, '64', 10, 65], // the page was full: one more may exist
    [1, 55, 10, '64', undefined, undefined], // task_count says 64 and the next would be the 65th
    [1, 1, 50, '64', 100, 51], // a short page (the server clamped) that task_count says is not the last
  ] as const)(
    'base %i, offset %s, %i received, count %s, limit %s -> %s',
    (base, offset, received, count, limit, next) => {
      expect(nextOffsetAfter(offset, received, count, limit, base)).toBe(next);
    },
  );
});

describe('bearer tokens', () => {
  const tokens = new TokenSet(['tok-one-0123456789abc', 'tok-two-0123456789abc']);
  it('accepts any configured token, case-insensitive scheme', () => {
    expect(() => authenticate('Bearer tok-one-0123456789abc', tokens)).not.toThrow();
    expect(() => authenticate('bearer   tok-two-0123456789abc', tokens)).not.toThrow();
  });
  it.each([undefined, '', '   '])('missing %j', (h) => {
    expect(() => authenticate(h, tokens)).toThrow(
      expect.objectContaining({ reason: 'missing' }) as AuthenticationError,
    );
  });
  it.each(['Bearer tok-one', 'Token tok-one-0123456789abc', 'Bearer tok-one-0123456789abc tok-two-0123456789abc'])(
    'invalid %j',
    (h) => {
      expect(() => authenticate(h, tokens)).toThrow(
        expect.objectContaining({ reason: 'invalid' }) as AuthenticationError,
      );
    },
  );
  it('never serialises the tokens', () => {
    expect(JSON.stringify({ tokens })).not.toContain('tok-one');
  });
});
