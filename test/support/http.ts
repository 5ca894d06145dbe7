import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { expect } from 'vitest';
import type { HttpHandler, HttpHandlerOptions } from '../../lib/tasks';
import { functionsFor } from './functions';
import type { HttpResponse } from '../../lib/http';
import { buildLocalConfig, localEnvironment, type LocalConfigOptions } from '../../dev/localConfig';
import type { Emulator } from '../../dev/emulator';
import { TOKEN_A } from './events';

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
  const fns = functionsFor({ env, ...(options.handler && { http: options.handler }) });
  return { list: fns.list(), show: fns.show(), env, logs: fns.logs };
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
