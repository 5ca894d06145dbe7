import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ID_PATTERN } from '../../lib/config';
import { isCalendarTime } from '../../lib/tasks';
import type { HttpResponse } from '../../lib/http';
import { startEmulator, SEED, type Emulator } from '../../dev/emulator';
import {
  expectMatchesOpenApi,
  fgEvent,
  handlersFor,
  TOKEN_A,
  v1Event,
  v2Event,
  type EventInput,
  type Handlers,
} from './support';

/**
 * Property: whatever path, query string and headers arrive, the answer is well-formed JSON with a
 * 2xx or 4xx status (never a 5xx for bad input), and nothing invalid ever reaches upstream.
 */
let emulator: Emulator;
let h: Handlers;
beforeAll(async () => {
  emulator = await startEmulator();
  h = handlersFor(emulator);
});
afterAll(async () => {
  await emulator.close();
});

const seedProject = SEED.projects[0];
const validIds = [
  seedProject?.project_id ?? '',
  ...(seedProject?.instances.map((i) => i.instance_id) ?? []),
  'ff8080828f1a2b3c018f1a2b3c4d0001',
];
const nasty = [
  '',
  '.',
  '..',
  '%2e%2e',
  '..%2F..',
  '%2F',
  'a/b',
  '%00',
  'a%20b',
  '\u00e9',
  '%E2%80%AE',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template-looking value is one of the inputs tried
  '${x}',
  '<script>',
  'a'.repeat(65),
  '-a',
  '_a',
  'a b',
  '%',
  '%zz',
  '\r\nX: y',
  '?',
  '#',
];

const segment = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...validIds) },
  { weight: 2, arbitrary: fc.constantFrom(...nasty) },
  { weight: 2, arbitrary: fc.stringMatching(/^[A-Za-z0-9_-]{1,70}$/) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
);
// The configured project often, so that a good share of the inputs is valid and reaches upstream.
const projectSegment = fc.oneof(
  { weight: 3, arbitrary: fc.constant(seedProject?.project_id ?? '') },
  { weight: 2, arbitrary: segment },
);
const enc = (s: string): string => (/^[\x21-\x7e]*$/.test(s) && !s.includes('/') ? s : encodeURIComponent(s));
const listPath = fc.tuple(projectSegment, segment).map(([p, i]) => `/v2/${enc(p)}/instances/${enc(i)}/tasks`);
const showPath = fc
  .tuple(projectSegment, segment, segment)
  .map(([p, i, t]) => `/v2/${enc(p)}/instances/${enc(i)}/tasks/${enc(t)}`);
const anyPath = fc.oneof(
  fc.webPath(),
  fc.string({ unit: 'binary', maxLength: 40 }).map((s) => `/${s}`),
);

const key = fc.oneof(
  fc.constantFrom(
    'start',
    'offset',
    'limit',
    'begin_time',
    'end_time',
    'all',
    'ofset',
    'LIMIT',
    '',
    '__proto__',
    'constructor',
  ),
  fc.string({ maxLength: 8 }),
);
const value = fc.oneof(
  fc.integer({ min: -5, max: 80 }).map(String),
  fc.constantFrom(
    '',
    'true',
    'false',
    '1e2',
    '0x10',
    ' 1',
    '99999999999',
    '2147483647',
    '2147483648',
    '050',
    '0050',
    '00000000000000000000100',
    '20240229000000',
    '20230229000000',
    '20260101000000',
    '20991231235959',
    '19700101000000',
  ),
  fc
    .date({ min: new Date('1960-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
    .map((d) => d.toISOString().replace(/[-:T]/g, '').slice(0, 14)),
  fc.string({ unit: 'binary', maxLength: 16 }),
);
const randomQuery = fc
  .array(fc.tuple(key, value), { maxLength: 5 })
  .map((pairs) => new URLSearchParams(pairs).toString());
const validQuery = fc
  .record(
    { start: fc.nat(70), limit: fc.integer({ min: 1, max: 100 }), all: fc.constantFrom('true', 'false') },
    { requiredKeys: [] },
  )
  .map((r) => new URLSearchParams(Object.entries(r).map(([k, v]): [string, string] => [k, String(v)])).toString());
const query = fc.oneof(
  { weight: 2, arbitrary: fc.constant('') },
  { weight: 3, arbitrary: validQuery },
  { weight: 5, arbitrary: randomQuery },
);

const headerValue = fc.oneof(
  fc.constant(`Bearer ${TOKEN_A}`),
  fc.constant(`bearer ${TOKEN_A}`),
  fc.string({ maxLength: 30 }),
  fc.constant('Bearer'),
  fc.constant(`Bearer ${TOKEN_A} extra`),
);
const headers = fc
  .record(
    {
      authorization: fc.oneof(
        { weight: 5, arbitrary: fc.constant(`Bearer ${TOKEN_A}`) },
        { weight: 2, arbitrary: headerValue },
      ),
      other: fc.dictionary(fc.string({ minLength: 1, maxLength: 10 }), fc.string({ maxLength: 20 }), { maxKeys: 3 }),
    },
    { requiredKeys: ['other'] },
  )
  .map(({ authorization, other }) => ({
    ...other,
    ...(authorization !== undefined ? { Authorization: authorization } : {}),
  }));

const method = fc.oneof(
  { weight: 8, arbitrary: fc.constant('GET') },
  { weight: 1, arbitrary: fc.constantFrom('POST', 'DELETE', 'get', 'HEAD', 'X') },
);
const shape = fc.constantFrom(v2Event, v1Event, fgEvent);
const pathParams = fc.oneof(
  { weight: 6, arbitrary: fc.constant(undefined) },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.dictionary(fc.constantFrom('project_id', 'instance_id', 'task_id', 'x'), segment) },
);

function expectWellFormed(r: HttpResponse, route: 'list' | 'show'): void {
  expect(r.statusCode).toBeGreaterThanOrEqual(200);
  expect(r.statusCode).toBeLessThan(500);
  expect(r.headers['Content-Type']).toBe('application/json');
  const body = JSON.parse(r.body) as Record<string, unknown>;
  if (r.statusCode >= 400) expect(Object.keys(body).sort()).toEqual(['error_code', 'error_msg', 'request_id']);
  else expect(Object.keys(body)).toEqual(['task_count', 'tasks']);
  expectMatchesOpenApi(route, r);
}

function expectOnlyValidUpstreamRequests(): void {
  for (const req of emulator.requests) {
    const m = /^\/v2\/([^/]+)\/instances\/([^/]+)\/tasks(?:\/([^/]+))?$/.exec(req.path);
    expect(m, req.path).not.toBeNull();
    for (const seg of (m ?? []).slice(1)) if (seg !== undefined) expect(seg).toMatch(ID_PATTERN);
    for (const [k, v] of Object.entries(req.query)) {
      expect(['start', 'offset', 'limit', 'begin_time', 'end_time']).toContain(k);
      if (k === 'begin_time' || k === 'end_time') expect(isCalendarTime(v)).toBe(true);
      else expect(v).toMatch(/^\d+$/);
      if (k === 'limit') expect(Number(v)).toBeLessThanOrEqual(100);
      // Values are sent as numbers: no leading zeros, within what the emulator accepts.
      expect(String(Number(v)) === v || k === 'begin_time' || k === 'end_time').toBe(true);
      if (k === 'start' || k === 'offset') expect(Number(v)).toBeLessThanOrEqual(2_147_483_647);
    }
    expect(req.signed).toBe(true);
  }
}

describe('fuzz: random events at the handlers', () => {
  it('list: always well-formed JSON 2xx/4xx, only valid input upstream', async () => {
    emulator.resetRequests();
    await fc.assert(
      fc.asyncProperty(
        shape,
        fc.oneof({ weight: 5, arbitrary: listPath }, { weight: 1, arbitrary: anyPath }),
        query,
        headers,
        method,
        pathParams,
        async (make, path, q, hd, m, pp) => {
          const input: EventInput = {
            path,
            query: q,
            headers: hd,
            method: m,
            ...(pp !== undefined ? { pathParameters: pp } : {}),
          };
          expectWellFormed(await h.list(make(input)), 'list');
        },
      ),
      { numRuns: 1500 },
    );
    expect(emulator.requests.length).toBeGreaterThan(20); // some inputs were valid and went through
    expectOnlyValidUpstreamRequests();
  });

  it('show: always well-formed JSON 2xx/4xx, only valid input upstream', async () => {
    emulator.resetRequests();
    await fc.assert(
      fc.asyncProperty(
        shape,
        fc.oneof({ weight: 5, arbitrary: showPath }, { weight: 1, arbitrary: anyPath }),
        query,
        headers,
        method,
        pathParams,
        async (make, path, q, hd, m, pp) => {
          const input: EventInput = {
            path,
            query: q,
            headers: hd,
            method: m,
            ...(pp !== undefined ? { pathParameters: pp } : {}),
          };
          expectWellFormed(await h.show(make(input)), 'show');
        },
      ),
      { numRuns: 1000 },
    );
    expect(emulator.requests.length).toBeGreaterThan(5);
    expectOnlyValidUpstreamRequests();
  });

  it('arbitrary JSON values as events: never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (event) => {
        const r = await h.list(event);
        expect(r.statusCode).toBeLessThan(500);
        JSON.parse(r.body);
      }),
      { numRuns: 500 },
    );
  });
});
