import { describe, expect, it } from 'vitest';
import { HttpError } from '../../lib/http/errors';
import type { NormalizedRequest } from '../../lib/http/normalizeEvent';
import { RouteTable, routeName, type Route } from '../../lib/http/routes';

const answer = async () => ({
  response: { statusCode: 200, headers: {}, body: '', isBase64Encoded: false as const },
});

const ROUTES: readonly Route<null>[] = [
  { method: 'GET', path: '/ops/v1/silences', answer },
  { method: 'POST', path: '/ops/v1/silences', answer },
  { method: 'DELETE', path: '/ops/v1/silences/{silence_id}', answer },
  { method: 'GET', path: '/ops/v1/fleet.json', answer },
  { method: 'GET', path: '/v2/{project_id}/instances/{instance_id}/tasks', answer },
];

function request(method: string, path: string, pathParameters: Record<string, string> = {}): NormalizedRequest {
  return {
    kind: 'apigw-http-v2',
    method,
    path,
    pathParameters: new Map(Object.entries(pathParameters)),
    query: new Map(),
    headers: new Map(),
    body: '',
    gatewayRequestId: undefined,
    sourceIp: undefined,
  };
}

function refusal(table: RouteTable<null>, req: NormalizedRequest): HttpError {
  try {
    table.match(req);
  } catch (e) {
    if (e instanceof HttpError) return e;
    throw e;
  }
  throw new Error('matched');
}

describe('RouteTable', () => {
  const table = new RouteTable(ROUTES);

  it('matches method and template at the end of the path, a stage prefix and a trailing slash allowed', () => {
    const m = table.match(request('DELETE', '/prod/ops/v1/silences/sil_1/'));
    expect([m.name, m.prefix, m.params.get('silence_id')]).toEqual([
      'DELETE /ops/v1/silences/{silence_id}',
      '/prod',
      'sil_1',
    ]);
    expect(table.match(request('POST', '/ops/v1/silences')).name).toBe('POST /ops/v1/silences');
  });

  it('reads a template literally (a dot is a dot) and a parameter as one non-empty segment', () => {
    expect(refusal(table, request('GET', '/ops/v1/fleetxjson')).status).toBe(404);
    expect(refusal(table, request('DELETE', '/ops/v1/silences/a/b')).status).toBe(404);
    // An empty segment is no parameter, and one trailing slash at most is allowed.
    expect(refusal(table, request('DELETE', '/ops/v1/silences//')).status).toBe(404);
  });

  it('decodes a parameter once; one that is not valid percent-encoding stays as sent', () => {
    expect(table.match(request('DELETE', '/ops/v1/silences/..%2F..')).params.get('silence_id')).toBe('../..');
    expect(table.match(request('DELETE', '/ops/v1/silences/%E0%A4%A')).params.get('silence_id')).toBe('%E0%A4%A');
    expect(table.match(request('DELETE', '/ops/v1/silences/%2541')).params.get('silence_id')).toBe('%41');
  });

  it('404 for a path no route names, 405 with every method of the path in Allow', () => {
    const none = refusal(table, request('GET', '/ops/v1/nothing'));
    expect([none.status, none.code]).toEqual([404, 'DTF.00404000']);
    const put = refusal(table, request('PUT', '/ops/v1/silences'));
    expect([put.status, put.headers.Allow]).toEqual([405, 'GET, POST']);
    // The method is never echoed in the message.
    expect(refusal(table, request('SECRET-TOKEN-VALUE', '/ops/v1/silences')).message).not.toContain('SECRET');
  });

  it('the gateway’s path parameters win over the path, and route a path of the gateway’s own', () => {
    const both = table.match(request('GET', '/v2/p/instances/i/tasks', { project_id: 'gw-p' }));
    expect([both.params.get('project_id'), both.params.get('instance_id')]).toEqual(['gw-p', 'i']);
    const mapped = table.match(request('GET', '/custom-base/listing', { project_id: 'p1', instance_id: '' }));
    expect(mapped.name).toBe('GET /v2/{project_id}/instances/{instance_id}/tasks');
    expect([...mapped.params]).toEqual([
      ['project_id', 'p1'],
      ['instance_id', ''],
    ]);
  });

  it('names a route by method and template, as the log line and openapi/openapi.json do', () => {
    expect(ROUTES.map(routeName)).toContain('GET /v2/{project_id}/instances/{instance_id}/tasks');
  });
});
