/**
 * HTTP events as the three gateways send them (API Gateway payload 2.0 and REST 1.0, FunctionGraph
 * APIG), the tokens and paths the tests use: pure builders, nothing started.
 */
import type { HttpResponse } from '../../lib/http/response';
import { SEED_IDS } from '../../dev/emulator/seed';

export const TOKEN_A = 'tok-A-0123456789abcdefghij';
export const TOKEN_B = 'tok-B-zyxwvutsrqponmlkjihg';
export const P = SEED_IDS.mainProject;
export const K = SEED_IDS.kafkaPaged;
export const LIST_PATH = `/v2/${P}/instances/${K}/tasks`;

export interface EventInput {
  readonly path: string;
  readonly query?: string;
  readonly headers?: Record<string, string>;
  readonly method?: string;
  /** Path parameters as the gateway extracted them; by default parsed from `path`. */
  readonly pathParameters?: Record<string, string> | null;
  readonly body?: string;
}

export const auth = (token = TOKEN_A): Record<string, string> => ({ authorization: `Bearer ${token}` });

/** A gateway decodes path parameters; a malformed escape stays as it is. */
function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function pathParams(path: string): Record<string, string> | null {
  const m = /^\/v2\/([^/]+)\/instances\/([^/]+)\/tasks(?:\/([^/]+))?$/.exec(path);
  if (!m) return null;
  const out: Record<string, string> = { project_id: decode(m[1] ?? ''), instance_id: decode(m[2] ?? '') };
  if (m[3] !== undefined) out.task_id = decode(m[3]);
  return out;
}

/** API Gateway HTTP API, payload 2.0. */
export function v2Event(i: EventInput): Record<string, unknown> {
  const method = i.method ?? 'GET';
  const params = i.pathParameters === undefined ? pathParams(i.path) : i.pathParameters;
  const qs = Object.fromEntries(new URLSearchParams(i.query ?? ''));
  return {
    version: '2.0',
    routeKey: `${method} ${i.path}`,
    rawPath: i.path,
    rawQueryString: i.query ?? '',
    headers: { host: 'api.example.com', ...(i.headers ?? {}) },
    ...(Object.keys(qs).length > 0 ? { queryStringParameters: qs } : {}),
    ...(params ? { pathParameters: params } : {}),
    requestContext: {
      accountId: '123',
      apiId: 'api',
      domainName: 'api.example.com',
      http: { method, path: i.path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'test' },
      requestId: 'gw-v2-req',
      routeKey: 'x',
      stage: '$default',
      time: '',
      timeEpoch: 0,
    },
    isBase64Encoded: false,
    ...(i.body !== undefined ? { body: i.body } : {}),
  };
}

/** API Gateway REST API, payload 1.0 (multi-value maps included). */
export function v1Event(i: EventInput): Record<string, unknown> {
  const method = i.method ?? 'GET';
  const params = i.pathParameters === undefined ? pathParams(i.path) : i.pathParameters;
  const pairs = new Map<string, string[]>();
  for (const [k, v] of new URLSearchParams(i.query ?? '')) pairs.set(k, [...(pairs.get(k) ?? []), v]);
  const multi = Object.fromEntries(pairs);
  const single = Object.fromEntries([...pairs].map(([k, v]) => [k, v[v.length - 1] ?? '']));
  const headers = { Host: 'api.example.com', ...(i.headers ?? {}) };
  return {
    resource: '/v2/{project_id}/instances/{instance_id}/tasks',
    path: i.path,
    httpMethod: method,
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
    queryStringParameters: Object.keys(single).length > 0 ? single : null,
    multiValueQueryStringParameters: Object.keys(multi).length > 0 ? multi : null,
    pathParameters: params,
    stageVariables: null,
    requestContext: {
      accountId: '123',
      apiId: 'api',
      httpMethod: method,
      identity: { sourceIp: '127.0.0.1' },
      path: i.path,
      requestId: 'gw-v1-req',
      resourceId: 'r',
      resourcePath: '/v2/{project_id}/instances/{instance_id}/tasks',
      stage: 'prod',
    },
    body: i.body ?? null,
    isBase64Encoded: false,
  };
}

/** Huawei FunctionGraph APIG trigger: body base64-encoded, small requestContext. */
export function fgEvent(i: EventInput): Record<string, unknown> {
  const params = i.pathParameters === undefined ? pathParams(i.path) : i.pathParameters;
  return {
    httpMethod: i.method ?? 'GET',
    path: i.path,
    pathParameters: params ?? {},
    queryStringParameters: Object.fromEntries(new URLSearchParams(i.query ?? '')),
    headers: { host: 'apig.example.com', ...(i.headers ?? {}) },
    body: Buffer.from(i.body ?? '', 'utf8').toString('base64'),
    isBase64Encoded: true,
    requestContext: { apiId: 'fg-api', requestId: 'fg-req-1', stage: 'RELEASE' },
  };
}

export function json(r: HttpResponse): Record<string, unknown> {
  return JSON.parse(r.body) as Record<string, unknown>;
}
