import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ID_PATTERN } from '../../lib/config';
import { isCalendarTime } from '../../lib/tasks';
import type { HttpResponse } from '../../lib/http';
import { EMULATOR_CREDENTIALS, SEED_IDS, startEmulator, SEED, type Emulator } from '../../dev/emulator';
import { createOpsHandler } from '../../lib/ops/createOpsHandler';
import type { HttpHandler } from '../../lib/tasks/createHttpHandler';
import { PAGE_TOKEN, startPageStack, type PageStack } from '../ops/stack';
import { BAD_ESCAPES } from '../support/hostileInputs';
import { expectMatchesOpenApi, handlersFor, type Handlers } from '../support/http';
import { fgEvent, TOKEN_A, v1Event, v2Event, type EventInput } from '../support/events';

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

// ---- The operator API and the fleet page (issue 20: the fuzz covers them and the page's forms) ----

/**
 * Property: whatever event reaches the operator function (its API, the fleet page, the page's forms,
 * with or without a token, a session cookie, a CSRF token, a same-site Origin), the status is an
 * integer from 100 to 599 and below 500 (client garbage is the client's problem), the body is JSON or
 * HTML as the route says, and no secret (the bearer token, the cloud secret key, the session key)
 * appears in an answer or a log line.
 */
describe('fuzz: random events at the operator function (API, fleet page, forms)', () => {
  let stack: PageStack;
  let ops: HttpHandler;
  const logs: string[] = [];
  const SESSION_SECRET = 'fuzz-session-secret-0123456789abcdef';
  let session = { cookie: '', csrf: '' };
  let silenceId = '';
  const HOST = 'api.example.com';

  beforeAll(async () => {
    stack = await startPageStack();
    ops = createOpsHandler({
      env: { ...stack.env, OPS_SESSION_KEY: SESSION_SECRET },
      store: stack.store,
      log: (l) => logs.push(l),
    });
    silenceId = stack.seededSilenceId;
    const signIn = await ops(
      v2Event({
        method: 'POST',
        path: '/ops/v1/fleet/session',
        headers: { host: HOST, origin: `https://${HOST}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token: PAGE_TOKEN }).toString(),
      }),
    );
    const cookie = (signIn.headers['Set-Cookie'] ?? '').split(';')[0] ?? '';
    const page = await ops(v2Event({ path: '/ops/v1/fleet', headers: { host: HOST, cookie } }));
    session = { cookie, csrf: /name="csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '' };
    expect(session.csrf).not.toBe('');
  }, 60_000);
  afterAll(async () => {
    await stack?.close();
  });

  const id = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(SEED_IDS.mainProject, SEED_IDS.kafkaPaged, SEED_IDS.rabbitmq) },
    { weight: 1, arbitrary: fc.constant('SEEDED') },
    { weight: 2, arbitrary: fc.constantFrom(...nasty, ...BAD_ESCAPES) },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }).map(enc) },
  );
  const opsPath = fc.oneof(
    fc.constantFrom('/ops/v1/history', '/ops/v1/silences', '/ops/v1/fleet', '/ops/v1/fleet.json'),
    fc.constantFrom('/ops/v1/fleet/session', '/ops/v1/fleet/logout', '/ops/v1/fleet/silences'),
    id.map((s) => `/ops/v1/silences/${s}`),
    id.map((s) => `/ops/v1/fleet/silences/${s}/expire`),
    fc.tuple(id, id, id).map(([p, i, t]) => `/ops/v1/fleet/tasks/${p}/${i}/${t}`),
    fc
      .tuple(
        fc.constantFrom('', '/prod', '/a/b', '/%2e%2e', '/%E0%A4%A'),
        fc.constantFrom('/ops/v1/fleet', '/ops/v1/silences'),
      )
      .map(([prefix, p]) => `${prefix}${p}`),
    anyPath,
  );
  const formField = fc.oneof(
    fc.constantFrom('token', 'csrf', 'instance', 'task', 'minutes', 'createdBy', 'comment'),
    fc.string({ maxLength: 8 }),
  );
  const formValue = fc.oneof(
    fc.constantFrom(PAGE_TOKEN, 'CSRF', '60', '0', '10081', '-1', '1e3', 'kafka-orders', 'restart*', '********#'),
    fc.string({ unit: 'binary', maxLength: 30 }),
    fc.string({ maxLength: 600 }),
  );
  const formBody = fc.oneof(
    fc.array(fc.tuple(formField, formValue), { maxLength: 7 }).map((pairs) => new URLSearchParams(pairs).toString()),
    fc.constantFrom(...BAD_ESCAPES).map((b) => `comment=${b}&minutes=60`),
  );
  const jsonBody = fc.oneof(
    fc.jsonValue().map((v) => JSON.stringify(v)),
    fc
      .record(
        {
          matchers: fc.dictionary(fc.constantFrom('instance', 'task', 'project', 'x'), formValue, { maxKeys: 3 }),
          endsAt: fc.oneof(fc.constant('2027-02-30T00:00:00Z'), fc.string({ maxLength: 30 })),
          minutes: fc.integer({ min: -10, max: 20_000 }),
          comment: formValue,
          createdBy: formValue,
        },
        { requiredKeys: [] },
      )
      .map((o) => JSON.stringify(o)),
  );
  const body = fc.oneof(
    { weight: 2, arbitrary: fc.constant(undefined) },
    { weight: 4, arbitrary: formBody },
    { weight: 2, arbitrary: jsonBody },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 100 }) },
  );
  const opsHeaders = fc
    .record(
      {
        authorization: fc.oneof(fc.constant(`Bearer ${PAGE_TOKEN}`), headerValue),
        cookie: fc.oneof(
          fc.constant('SESSION'),
          fc.constant('SESSION; dtf_ops_session=v1.1.x.y'),
          fc.string({ maxLength: 40 }).map((s) => `dtf_ops_session=${s}`),
          fc.string({ maxLength: 60 }),
        ),
        origin: fc.constantFrom(`https://${HOST}`, 'https://evil.example', 'null', '%', ''),
        'content-type': fc.constantFrom('application/x-www-form-urlencoded', 'application/json', 'text/plain'),
        other: fc.string({ maxLength: 20 }),
      },
      { requiredKeys: [] },
    )
    .map(({ other, ...h }) => ({ host: HOST, ...h, ...(other !== undefined ? { 'x-other': other } : {}) }));
  const opsMethod = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom('GET', 'POST') },
    { weight: 1, arbitrary: fc.constantFrom('DELETE', 'PUT', 'HEAD', 'OPTIONS', 'get', 'X') },
  );

  // A token pasted into the URL or the search box: refused or redacted, never shown.
  const opsQuery = fc.oneof(
    { weight: 4, arbitrary: randomQuery },
    { weight: 1, arbitrary: fc.constantFrom(`token=${PAGE_TOKEN}`, `q=${PAGE_TOKEN}`, `q=x${PAGE_TOKEN}y&page=1`) },
  );
  const secrets = (): string[] => [PAGE_TOKEN, SESSION_SECRET, EMULATOR_CREDENTIALS.secretAccessKey];

  it('any event: a status from 100 to 599 and below 500, JSON or HTML, no secret echoed', async () => {
    const before = logs.length;
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(
        shape,
        opsPath,
        fc.option(opsQuery),
        opsHeaders,
        opsMethod,
        body,
        async (make, p, q, hd, m, b) => {
          runs++;
          const headers: Record<string, string> = { ...hd };
          if (headers.cookie) headers.cookie = headers.cookie.replace('SESSION', session.cookie);
          const path = p.replace('SEEDED', silenceId);
          const withCsrf = b?.replace('CSRF', session.csrf);
          const input: EventInput = {
            path,
            method: m,
            headers,
            pathParameters: null,
            ...(q !== null ? { query: q } : {}),
            ...(withCsrf !== undefined ? { body: withCsrf } : {}),
          };
          const r = await ops(make(input));
          expect(Number.isInteger(r.statusCode)).toBe(true);
          expect(r.statusCode).toBeGreaterThanOrEqual(100);
          expect(r.statusCode, `${m} ${path}: ${r.body.slice(0, 300)}`).toBeLessThan(500);
          const type = r.headers['Content-Type'] ?? '';
          if (r.statusCode !== 303) expect(type).toMatch(/^(application\/json|text\/html; charset=utf-8)$/);
          if (type === 'application/json') JSON.parse(r.body);
          const answer = `${JSON.stringify(r.headers)}\n${r.body}`;
          for (const s of secrets()) expect(answer.includes(s), `${m} ${path} echoes a secret`).toBe(false);
        },
      ),
      { numRuns: 1500 },
    );
    expect(runs).toBeGreaterThanOrEqual(1500);
    const lines = logs.slice(before).join('\n');
    for (const s of secrets()) expect(lines.includes(s)).toBe(false);
    // Some of the inputs were good enough to be served (a page, a JSON view, a silence made).
    expect(logs.slice(before).filter((l) => /"status":(200|201|303)/.test(l)).length).toBeGreaterThan(20);
  });
});
