import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { expect } from 'vitest';
import { createHttpHandler, listRoute, showRoute, type HttpHandler, type HttpHandlerOptions } from '../../lib/tasks';
import type { HttpResponse } from '../../lib/http';
import { buildLocalConfig, localEnvironment, type LocalConfigOptions } from '../../dev/localConfig';
import { EMULATOR_CREDENTIALS, SEED_IDS, type Emulator } from '../../dev/emulator';

export const TOKEN_A = 'tok-A-0123456789abcdefghij';
export const TOKEN_B = 'tok-B-zyxwvutsrqponmlkjihg';
export const P = SEED_IDS.mainProject;
export const K = SEED_IDS.kafkaPaged;
export const LIST_PATH = `/v2/${P}/instances/${K}/tasks`;

/** Fast retries for tests: the same 3 attempts, without the production waits. */
export const FAST_CLIENT: HttpHandlerOptions['client'] = { retry: { attempts: 3, baseDelayMs: 5, maxDelayMs: 20 } };

export interface Handlers {
  readonly list: HttpHandler;
  readonly show: HttpHandler;
  readonly env: Record<string, string>;
  readonly logs: string[];
}

/** Both handlers, configured like `npm start` against `emulator`, with overrides. */
export function handlersFor(
  emulator: Emulator,
  config: Partial<Omit<LocalConfigOptions, 'endpoint'>> & { patch?: (c: Record<string, unknown>) => void } = {},
  options: { tokens?: readonly string[]; env?: Record<string, string>; handler?: HttpHandlerOptions } = {},
): Handlers {
  const { patch, ...rest } = config;
  const doc = buildLocalConfig({ endpoint: emulator.url, timeoutMs: 2000, ...rest });
  patch?.(doc);
  const env = { ...localEnvironment(doc, options.tokens ?? [TOKEN_A]), ...options.env };
  const logs: string[] = [];
  const opts: HttpHandlerOptions = { env, client: FAST_CLIENT, log: (l) => logs.push(l), ...options.handler };
  return { list: createHttpHandler(listRoute, opts), show: createHttpHandler(showRoute, opts), env, logs };
}

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

// ---- OpenAPI ----------------------------------------------------------------------------------

type Doc = {
  paths: Record<
    string,
    Record<
      string,
      {
        responses: Record<
          string,
          { $ref?: string; headers?: Record<string, unknown>; content?: Record<string, { schema: unknown }> }
        >;
      }
    >
  >;
  components: {
    responses: Record<string, { headers?: Record<string, unknown>; content?: Record<string, { schema: unknown }> }>;
    headers: Record<string, { required?: boolean; schema: unknown }>;
  };
};

export const OPENAPI = JSON.parse(readFileSync(join(__dirname, '..', '..', 'openapi', 'openapi.json'), 'utf8')) as Doc;
const DOC_ID = 'urn:dtf:openapi';
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema({ ...OPENAPI, $id: DOC_ID } as unknown as object);

const ROUTE_PATHS = {
  list: { method: 'get', path: '/v2/{project_id}/instances/{instance_id}/tasks' },
  show: { method: 'get', path: '/v2/{project_id}/instances/{instance_id}/tasks/{task_id}' },
  fleet: { method: 'get', path: '/ops/v1/fleet.json' },
  doctor: { method: 'get', path: '/ops/v1/doctor' },
  testDestination: { method: 'post', path: '/ops/v1/destinations/{destination_id}/test' },
} as const;

function local(ref: string): string {
  return ref.replace(/^#\/components\/\w+\//, '');
}

/** Asserts a real response matches the OpenAPI document: status documented, body schema, headers. */
export function expectMatchesOpenApi(route: keyof typeof ROUTE_PATHS, r: HttpResponse): void {
  const { method, path } = ROUTE_PATHS[route];
  const op = OPENAPI.paths[path]?.[method];
  const declared = op?.responses[String(r.statusCode)];
  expect(declared, `status ${r.statusCode} documented for ${route}`).toBeDefined();
  const resolved = declared?.$ref ? OPENAPI.components.responses[local(declared.$ref)] : declared;
  const pointer = declared?.$ref
    ? `${DOC_ID}#/components/responses/${local(declared.$ref)}/content/application~1json/schema`
    : `${DOC_ID}#/paths/${path.replace(/~/g, '~0').replace(/\//g, '~1')}` +
      `/${method}/responses/${r.statusCode}/content/application~1json/schema`;
  const validate = ajv.getSchema(pointer);
  expect(validate, `schema at ${pointer}`).toBeDefined();
  const body: unknown = JSON.parse(r.body);
  const ok = validate?.(body);
  expect(ok, `body of ${r.statusCode} validates: ${JSON.stringify(validate?.errors)}`).toBe(true);
  expect(r.headers['Content-Type']).toMatch(/^application\/json/);
  const lower = new Map(Object.entries(r.headers).map(([k, v]) => [k.toLowerCase(), v]));
  for (const [name, h] of Object.entries(resolved?.headers ?? {})) {
    const header = (h as { $ref?: string }).$ref
      ? OPENAPI.components.headers[local((h as { $ref: string }).$ref)]
      : (h as { required?: boolean; schema: unknown });
    const value = lower.get(name.toLowerCase());
    if (header?.required) expect(value, `header ${name} on ${r.statusCode}`).toBeDefined();
    if (value !== undefined) {
      const check = ajv.compile(header?.schema as object);
      expect(check(value), `header ${name}: ${value}`).toBe(true);
    }
  }
}

export { EMULATOR_CREDENTIALS, SEED_IDS };
