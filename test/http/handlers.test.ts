import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { buildLocalConfig, localEnvironment } from '../../dev/localConfig';
import { startEmulator, SEED_IDS, type Emulator } from '../../dev/emulator';
import { DEFAULT_ALL_MAX_PAGES, HEADERS, type HttpResponse } from '../../lib/http';
import { expectMatchesOpenApi, handlersFor } from '../support/http';
import { auth, fgEvent, json, K, LIST_PATH, P, TOKEN_A, TOKEN_B, v1Event, v2Event } from '../support/events';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  await emulator.close();
});
/** When the running test began, by the emulator's clock (real time here): the `at` of its own requests. */
let testStartedAt = '';
beforeEach(() => {
  emulator.clearFaults();
  emulator.setLatency(0);
  emulator.resetRequests();
  testStartedAt = new Date().toISOString();
});
// Tests read `emulator.requests[0]` as their own request. A request that arrived before the test began
// belongs to an earlier test whose upstream call outlived it: such tests use their own emulator (see
// 'a slow upstream'). This makes any new one that forgets fail here, by name, instead of sometimes
// failing a later test's assertion.
afterEach(() => {
  const leftover = emulator.requests.filter((q) => q.at < testStartedAt);
  expect(leftover, 'requests left by an earlier test in the shared emulator').toEqual([]);
});

type Task = { id: string };
const ids = (r: HttpResponse): string[] => (json(r).tasks as Task[]).map((t) => t.id);

describe('list: pagination', () => {
  it('returns the upstream body field for field, and a Link / X-Next-Offset for the next page', async () => {
    const h = handlersFor(emulator);
    const r = await h.list(v2Event({ path: LIST_PATH, query: 'limit=10', headers: auth() }));
    expect(r.statusCode).toBe(200);
    expectMatchesOpenApi('list', r);
    const body = json(r);
    expect(Object.keys(body)).toEqual(['task_count', 'tasks']);
    expect(body.task_count).toBe('64');
    const task = (body.tasks as Record<string, unknown>[])[0] ?? {};
    expect(Object.keys(task).sort()).toEqual([
      'created_at',
      'id',
      'name',
      'params',
      'status',
      'updated_at',
      'user_id',
      'user_name',
    ]);
    expect(typeof task.params).toBe('string');
    // No start: the first task, 1 (offsetBase); the next page starts at the 11th.
    expect(r.headers[HEADERS.nextOffset]).toBe('11');
    expect(r.headers.Link).toBe(`<${LIST_PATH}?start=11&limit=10>; rel="next"`);
    expect(r.headers[HEADERS.upstreamRequestId]).toBe(emulator.requests[0]?.requestId);
    expect(r.headers[HEADERS.requestId]).toBe('gw-v2-req');
  });

  it.each(['start', 'offset'] as const)('walks every page with %s, and the Link keeps the name used', async (name) => {
    const h = handlersFor(emulator);
    const seen: string[] = [];
    let query: string | undefined = `${name}=0&limit=25`;
    let pages = 0;
    while (query !== undefined && pages < 10) {
      const r = await h.list(v2Event({ path: LIST_PATH, query, headers: auth() }));
      expect(r.statusCode).toBe(200);
      seen.push(...ids(r));
      pages++;
      const link = r.headers.Link;
      if (link) expect(link).toContain(`${name}=`);
      query = link ? /\?([^>]+)>/.exec(link)?.[1] : undefined;
    }
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(64);
  });

  it.each([
    ['start', 'start'],
    ['start', 'offset'],
    ['offset', 'start'],
    ['offset', 'offset'],
  ] as const)('config offsetParam=%s, caller uses %s: upstream gets the configured name', async (configured, used) => {
    const h = handlersFor(emulator, { offsetParam: configured });
    const r = await h.list(v2Event({ path: LIST_PATH, query: `${used}=61&limit=10`, headers: auth() }));
    expect(r.statusCode).toBe(200);
    expect(ids(r)).toHaveLength(4);
    expect(r.headers.Link).toBeUndefined();
    const q = emulator.requests[0]?.query ?? {};
    expect(q[configured]).toBe('61');
    expect(Object.keys(q)).not.toContain(configured === 'start' ? 'offset' : 'start');
  });

  it('a caller who gave no offset gets a Link under the configured offsetParam', async () => {
    const h = handlersFor(emulator, { offsetParam: 'offset' });
    const r = await h.list(v2Event({ path: LIST_PATH, query: 'limit=10', headers: auth() }));
    expect(r.headers.Link).toBe(`<${LIST_PATH}?offset=11&limit=10>; rel="next"`);
  });

  it('start and offset with the same value are accepted', async () => {
    const h = handlersFor(emulator);
    const r = await h.list(v2Event({ path: LIST_PATH, query: 'start=5&offset=5&limit=5', headers: auth() }));
    expect(r.statusCode).toBe(200);
  });

  it('an empty instance has no next page', async () => {
    const h = handlersFor(emulator);
    const r = await h.list(v2Event({ path: `/v2/${P}/instances/${SEED_IDS.kafkaEmpty}/tasks`, headers: auth() }));
    expect(r.statusCode).toBe(200);
    expect(json(r)).toEqual({ task_count: '0', tasks: [] });
    expect(r.headers.Link).toBeUndefined();
    expectMatchesOpenApi('list', r);
  });

  it('passes begin_time/end_time through', async () => {
    const h = handlersFor(emulator);
    const r = await h.list(
      v2Event({ path: LIST_PATH, query: 'begin_time=20200101000000&end_time=20991231235959', headers: auth() }),
    );
    expect(r.statusCode).toBe(200);
    expect(emulator.requests[0]?.query).toMatchObject({ begin_time: '20200101000000', end_time: '20991231235959' });
  });
});

describe('list: all=true', () => {
  it('follows every page, de-duplicated, and says it was not truncated', async () => {
    const h = handlersFor(emulator);
    const r = await h.list(v2Event({ path: LIST_PATH, query: 'all=true&limit=20', headers: auth() }));
    expect(r.statusCode).toBe(200);
    expectMatchesOpenApi('list', r);
    expect(new Set(ids(r)).size).toBe(64);
    expect(json(r).task_count).toBe('64');
    expect(r.headers[HEADERS.pages]).toBe('4');
    expect(r.headers[HEADERS.truncated]).toBe('false');
    expect(r.headers.Link).toBeUndefined();
    expect(r.headers[HEADERS.upstreamRequestId]?.split(', ')).toHaveLength(4);
    expect(emulator.requests.every((q) => q.query.limit === '20')).toBe(true);
  });

  it('starts at the base and asks pageSize (100) per page by default: one request', async () => {
    const h = handlersFor(emulator);
    const r = await h.list(v2Event({ path: LIST_PATH, query: 'all=true', headers: auth() }));
    expect(ids(r)).toHaveLength(64);
    expect(emulator.requests.map((q) => q.query)).toEqual([{ start: '1', limit: '100' }]);
  });

  it('stops at the page bound and reports it in headers, with a Link to go on', async () => {
    const h = handlersFor(emulator, {}, { handler: { allMaxPages: 2 } });
    const r = await h.list(v2Event({ path: LIST_PATH, query: 'all=true&limit=10&offset=0', headers: auth() }));
    expect(r.statusCode).toBe(200);
    expectMatchesOpenApi('list', r);
    expect(ids(r)).toHaveLength(20);
    expect(r.headers[HEADERS.truncated]).toBe('true');
    expect(r.headers[HEADERS.pages]).toBe('2');
    // offset=0 forwarded as given; the emulator reads it as the first task, so the walk goes on at 11.
    expect(emulator.requests.map((q) => q.query.start)).toEqual(['0', '11']);
    expect(r.headers[HEADERS.nextOffset]).toBe('21');
    expect(r.headers.Link).toBe(`<${LIST_PATH}?offset=21&limit=10&all=true>; rel="next"`);
    expect(emulator.requests).toHaveLength(2);
    expect(DEFAULT_ALL_MAX_PAGES).toBe(20);
  });

  it('a server honouring neither paging name: the walk stalls and says it is truncated, with no Link', async () => {
    const stuck = await startEmulator({ acceptedOffsetParams: [] });
    try {
      const r = await handlersFor(stuck).list(
        v2Event({ path: LIST_PATH, query: 'all=true&limit=10', headers: auth() }),
      );
      expect(r.statusCode).toBe(200);
      expectMatchesOpenApi('list', r);
      expect(ids(r)).toHaveLength(10);
      expect(r.headers[HEADERS.truncated]).toBe('true');
      expect(r.headers.Link).toBeUndefined();
      // The second page under each name: the first page again both times.
      expect(stuck.requests.map((q) => q.query.start ?? `offset=${q.query.offset}`)).toEqual(['1', '11', 'offset=11']);
    } finally {
      await stuck.close();
    }
  });
});

describe('show', () => {
  it('returns one task in the upstream list shape', async () => {
    const h = handlersFor(emulator);
    const t = SEED_IDS.recentFailures[0];
    const r = await h.show(
      v2Event({ path: `/v2/${t.projectId}/instances/${t.instanceId}/tasks/${t.taskId}`, headers: auth() }),
    );
    expect(r.statusCode).toBe(200);
    expectMatchesOpenApi('show', r);
    const body = json(r);
    expect(body.task_count).toBe('1');
    expect(ids(r)).toEqual([t.taskId]);
    expect(r.headers[HEADERS.upstreamRequestId]).toMatch(/^[0-9a-f]{32}$/);
  });
});

describe('auth', () => {
  const call = (h: ReturnType<typeof handlersFor>, headers: Record<string, string>) =>
    h.list(v2Event({ path: LIST_PATH, headers }));

  it('missing token: 401 with WWW-Authenticate, no upstream call', async () => {
    const r = await call(handlersFor(emulator), {});
    expect(r.statusCode).toBe(401);
    expectMatchesOpenApi('list', r);
    expect(r.headers['WWW-Authenticate']).toBe('Bearer realm="dms-task-functions"');
    expect(json(r).error_code).toBe('DTF.00401001');
    expect(emulator.requests).toHaveLength(0);
  });

  it.each([
    ['Bearer wrong-token-0123456789'],
    [`Basic ${Buffer.from('a:b').toString('base64')}`],
    [`Bearer ${TOKEN_A}x`],
    [`Bearer ${TOKEN_A.slice(0, -1)}`],
    ['Bearer'],
    [TOKEN_A],
  ])('wrong credentials %s: 401 invalid_token', async (value) => {
    const r = await call(handlersFor(emulator), { authorization: value });
    expect(r.statusCode).toBe(401);
    expectMatchesOpenApi('list', r);
    expect(r.headers['WWW-Authenticate']).toBe('Bearer realm="dms-task-functions", error="invalid_token"');
    expect(json(r).error_code).toBe('DTF.00401002');
    expect(emulator.requests).toHaveLength(0);
  });

  it('accepts several tokens at once (rotation), from one comma-separated ref and from several refs', async () => {
    const one = handlersFor(emulator, {}, { tokens: [TOKEN_A, TOKEN_B] });
    expect((await call(one, auth(TOKEN_A))).statusCode).toBe(200);
    expect((await call(one, auth(TOKEN_B))).statusCode).toBe(200);
    const two = handlersFor(
      emulator,
      { patch: (c) => ((c.http as Record<string, unknown>).tokens = [{ env: 'API_TOKENS' }, { env: 'NEXT_TOKENS' }]) },
      { tokens: [TOKEN_A], env: { NEXT_TOKENS: TOKEN_B } },
    );
    expect((await call(two, auth(TOKEN_A))).statusCode).toBe(200);
    expect((await call(two, { Authorization: `bearer ${TOKEN_B}` })).statusCode).toBe(200);
    expect((await call(two, auth('tok-C-not-configured-000'))).statusCode).toBe(401);
  });

  it('authRequired false: no token needed', async () => {
    const h = handlersFor(emulator, { authRequired: false }, { tokens: [] });
    const r = await call(h, {});
    expect(r.statusCode).toBe(200);
  });

  it('a token ref resolving to a too-short token is a configuration error: generic 500', async () => {
    const h = handlersFor(emulator, {}, { tokens: ['short'] });
    const r = await call(h, auth('short'));
    expect(r.statusCode).toBe(500);
    expectMatchesOpenApi('list', r);
    expect(json(r).error_msg).not.toMatch(/token|API_TOKENS/i);
    expect(h.logs.join('\n')).toMatch(/http\.tokens\[0\].*shorter than 16/);
  });
});

describe('configuration', () => {
  it('a project not configured is a 404 without any upstream call', async () => {
    const h = handlersFor(emulator);
    const r = await h.list(
      v2Event({ path: `/v2/00000000000000000000000000000000/instances/${K}/tasks`, headers: auth() }),
    );
    expect(r.statusCode).toBe(404);
    expectMatchesOpenApi('list', r);
    expect(json(r).error_code).toBe('DTF.00404001');
    expect(emulator.requests).toHaveLength(0);
  });

  it('allowInstances "watched" lets through only the configured instances', async () => {
    const h = handlersFor(emulator, {
      allowInstances: 'watched',
      patch: (c) => {
        const projects = c.projects as Record<string, { instances: unknown[] }>;
        const main = projects[P];
        if (main) main.instances = main.instances.slice(0, 1);
      },
    });
    expect((await h.list(v2Event({ path: LIST_PATH, headers: auth() }))).statusCode).toBe(200);
    emulator.resetRequests();
    const r = await h.list(v2Event({ path: `/v2/${P}/instances/${SEED_IDS.rocketmq}/tasks`, headers: auth() }));
    expect(r.statusCode).toBe(404);
    expect(json(r).error_code).toBe('DTF.00404002');
    expect(emulator.requests).toHaveLength(0);
  });

  it('allowInstances as a list', async () => {
    const h = handlersFor(emulator, { allowInstances: [SEED_IDS.rocketmq] });
    expect(
      (await h.list(v2Event({ path: `/v2/${P}/instances/${SEED_IDS.rocketmq}/tasks`, headers: auth() }))).statusCode,
    ).toBe(200);
    const r = await h.show(v2Event({ path: `${LIST_PATH}/${SEED_IDS.recentFailures[0].taskId}`, headers: auth() }));
    expect(r.statusCode).toBe(404);
    expect(json(r).error_code).toBe('DTF.00404002');
  });

  it('a configuration error answers 500 with a generic body; the precise message goes to the log', async () => {
    const h = handlersFor(emulator, { patch: (c) => (c.offsetParam = 'ofset') });
    const r = await h.list(v2Event({ path: LIST_PATH, headers: auth() }));
    expect(r.statusCode).toBe(500);
    expectMatchesOpenApi('list', r);
    expect(json(r).error_code).toBe('DTF.00500000');
    expect(r.body).not.toMatch(/offsetParam|ofset|configuration/);
    expect(h.logs).toHaveLength(1);
    expect(h.logs[0]).toMatch(/ConfigError: invalid configuration at offsetParam/);
    expect(emulator.requests).toHaveLength(0);
  });
});

describe('upstream errors', () => {
  it('unknown instance: 404 with the upstream code', async () => {
    const h = handlersFor(emulator);
    const r = await h.list(
      v2Event({ path: `/v2/${P}/instances/11111111-2222-4333-8444-555555555555/tasks`, headers: auth() }),
    );
    expect(r.statusCode).toBe(404);
    expectMatchesOpenApi('list', r);
    expect(json(r).error_code).toBe('DMS.00404022');
    expect(r.headers[HEADERS.upstreamRequestId]).toBe(emulator.requests[0]?.requestId);
  });

  it('unknown task: 404 with the upstream code', async () => {
    const h = handlersFor(emulator);
    const r = await h.show(v2Event({ path: `${LIST_PATH}/ff80808200000000000000000000dead`, headers: auth() }));
    expect(r.statusCode).toBe(404);
    expectMatchesOpenApi('show', r);
    expect(json(r).error_code).toBe('DMS.00404040');
  });

  it.each([
    [30, '30'],
    [120, '60'],
    [2_300_100_286, '60'],
  ])('429: 429 with Retry-After (upstream %i s: %s) and the upstream code', async (retryAfter, sent) => {
    emulator.injectFault({ kind: 'status', status: 429, retryAfter });
    const h = handlersFor(emulator);
    const r = await h.list(v2Event({ path: LIST_PATH, headers: auth() }));
    expect(r.statusCode).toBe(429);
    expectMatchesOpenApi('list', r);
    expect(r.headers['Retry-After']).toBe(sent);
    if (retryAfter > 60) expect(r.body).not.toContain(String(retryAfter));
    expect(json(r).error_code).toBe('APIGW.0308');
  });

  it('429 without Retry-After upstream: still sends one', async () => {
    emulator.injectFault({ kind: 'status', status: 429 });
    const h = handlersFor(emulator);
    const r = await h.show(v2Event({ path: `${LIST_PATH}/${SEED_IDS.recentFailures[0].taskId}`, headers: auth() }));
    expect(r.statusCode).toBe(429);
    expectMatchesOpenApi('show', r);
    expect(Number(r.headers['Retry-After'])).toBeGreaterThanOrEqual(1);
    expect(emulator.requests).toHaveLength(3);
  });

  it('500: 502 after the retries, with both request ids', async () => {
    emulator.injectFault({ kind: 'status', status: 500 });
    const h = handlersFor(emulator);
    const r = await h.list(v2Event({ path: LIST_PATH, headers: auth() }));
    expect(r.statusCode).toBe(502);
    expectMatchesOpenApi('list', r);
    expect(json(r)).toMatchObject({ error_code: 'DTF.00502001', request_id: 'gw-v2-req' });
    expect(emulator.requests).toHaveLength(3);
    expect(r.headers[HEADERS.upstreamRequestId]).toBe(emulator.requests[2]?.requestId);
  });

  it('a 500 that clears on retry is a 200', async () => {
    emulator.injectFault({ kind: 'status', status: 503, count: 2 });
    const h = handlersFor(emulator);
    const r = await h.list(v2Event({ path: LIST_PATH, headers: auth() }));
    expect(r.statusCode).toBe(200);
    expect(emulator.requests).toHaveLength(3);
  });

  it('connection reset: 502', async () => {
    emulator.injectFault({ kind: 'reset' });
    const h = handlersFor(emulator);
    const r = await h.list(v2Event({ path: LIST_PATH, headers: auth() }));
    expect(r.statusCode).toBe(502);
    expectMatchesOpenApi('list', r);
    expect(json(r).error_code).toBe('DTF.00502003');
  });

  it('malformed body: 502', async () => {
    emulator.injectFault({ kind: 'malformed' });
    const h = handlersFor(emulator);
    const r = await h.show(v2Event({ path: `${LIST_PATH}/${SEED_IDS.recentFailures[0].taskId}`, headers: auth() }));
    expect(r.statusCode).toBe(502);
    expectMatchesOpenApi('show', r);
    expect(json(r).error_code).toBe('DTF.00502002');
  });

  // The handler answers 504 and the test ends while the upstream call is still being delayed: the
  // emulator records it seconds later. An emulator of their own keeps those late requests out of the
  // log that the other tests read.
  describe('a slow upstream (an emulator of its own)', () => {
    let slow: Emulator;
    beforeAll(async () => {
      slow = await startEmulator();
    });
    afterAll(async () => {
      await slow.close();
    });
    beforeEach(() => {
      slow.clearFaults();
      slow.setLatency(0);
    });

    it('latency beyond the timeout: 504', async () => {
      slow.injectFault({ kind: 'latency', ms: 1500 });
      const h = handlersFor(slow, { timeoutMs: 150 });
      const r = await h.list(v2Event({ path: LIST_PATH, headers: auth() }));
      expect(r.statusCode).toBe(504);
      expectMatchesOpenApi('list', r);
      expect(json(r).error_code).toBe('DTF.00504001');
    });

    it('the Lambda deadline cuts the wait short: 504', async () => {
      slow.setLatency(3000);
      const h = handlersFor(slow);
      const started = Date.now();
      const r = await h.list(v2Event({ path: LIST_PATH, headers: auth() }), {
        awsRequestId: 'lambda-1',
        getRemainingTimeInMillis: () => 1400,
      });
      expect(r.statusCode).toBe(504);
      expect(Date.now() - started).toBeLessThan(1500);
      expect(r.headers[HEADERS.requestId]).toBe('lambda-1');
    });

    it("FunctionGraph's deadline (getRemainingTimeInMilliSeconds) cuts the wait short too: 504", async () => {
      slow.setLatency(3000);
      const h = handlersFor(slow);
      const started = Date.now();
      const r = await h.list(v2Event({ path: LIST_PATH, headers: auth() }), {
        getRemainingTimeInMilliSeconds: () => 1400,
      });
      expect(r.statusCode).toBe(504);
      expect(Date.now() - started).toBeLessThan(1500);
    });
  });

  it('upstream refusing our credentials is a 502, not a 401, and does not echo the upstream message', async () => {
    const h = handlersFor(emulator, {}, { env: { CLOUD_SDK_AK: 'UNKNOWNAK00000000000' } });
    const r = await h.list(v2Event({ path: LIST_PATH, headers: auth() }));
    expect(r.statusCode).toBe(502);
    expectMatchesOpenApi('list', r);
    expect(json(r).error_code).toBe('DTF.00502004');
    expect(r.body).not.toContain('UNKNOWNAK');
    expect(h.logs.join('\n')).not.toContain('UNKNOWNAK');
  });
});

describe('event shapes', () => {
  const t = SEED_IDS.recentFailures[0];
  const showPath = `/v2/${t.projectId}/instances/${t.instanceId}/tasks/${t.taskId}`;

  it.each([
    ['HTTP API 2.0', v2Event],
    ['REST API 1.0', v1Event],
    ['FunctionGraph APIG (base64 body)', fgEvent],
  ] as const)('%s: list and show answer the same', async (_name, make) => {
    const h = handlersFor(emulator);
    const l = await h.list(
      make({ path: LIST_PATH, query: 'offset=2&limit=3', headers: auth(), body: '{"ignored":true}' }),
    );
    expect(l.statusCode).toBe(200);
    expectMatchesOpenApi('list', l);
    expect(ids(l)).toHaveLength(3);
    expect(l.isBase64Encoded).toBe(false);
    const s = await h.show(make({ path: showPath, headers: auth() }));
    expect(s.statusCode).toBe(200);
    expect(ids(s)).toEqual([t.taskId]);
    const bad = await h.list(make({ path: LIST_PATH, query: 'limit=101', headers: auth() }));
    expect(bad.statusCode).toBe(400);
  });

  it('FunctionGraph without pathParameters: ids parsed from the path; request id from requestContext', async () => {
    const h = handlersFor(emulator);
    const r = await h.show(
      fgEvent({ path: `/prod${showPath}`, headers: { Authorization: `Bearer ${TOKEN_A}` }, pathParameters: null }),
    );
    expect(r.statusCode).toBe(200);
    expect(r.headers[HEADERS.requestId]).toBe('fg-req-1');
  });

  it('ids from the path: a trailing slash is accepted on both routes, an empty task segment is no route', async () => {
    const h = handlersFor(emulator);
    const list = await h.list(
      fgEvent({ path: `${LIST_PATH}/`, query: 'limit=1', headers: auth(), pathParameters: null }),
    );
    expect(list.statusCode, list.body).toBe(200);
    expect((await h.show(fgEvent({ path: `${showPath}/`, headers: auth(), pathParameters: null }))).statusCode).toBe(
      200,
    );
    const empty = await h.show(fgEvent({ path: `${LIST_PATH}/`, headers: auth(), pathParameters: null }));
    expect(empty.statusCode).toBe(404);
    expect(json(empty).error_code).toBe('DTF.00404000');
  });

  it('REST 1.0 repeated query parameters are seen (multiValueQueryStringParameters)', async () => {
    const h = handlersFor(emulator);
    const r = await h.list(v1Event({ path: LIST_PATH, query: 'limit=5&limit=6', headers: auth() }));
    expect(r.statusCode).toBe(400);
    expect(json(r).error_code).toBe('DTF.00400018');
  });

  it('a Link keeps a REST stage prefix', async () => {
    const h = handlersFor(emulator);
    const r = await h.list(v1Event({ path: `/prod${LIST_PATH}`, query: 'limit=5', headers: auth() }));
    expect(r.headers.Link).toBe(`</prod${LIST_PATH}?start=6&limit=5>; rel="next"`);
  });

  it('non-HTTP events and other methods are 4xx', async () => {
    const h = handlersFor(emulator);
    for (const e of [null, 42, 'x', {}, { version: '2.0' }, { Records: [] }]) {
      const r = await h.list(e);
      expect(r.statusCode).toBe(400);
      expect(json(r).error_code).toBe('DTF.00400099');
    }
    const r = await h.list(v2Event({ path: LIST_PATH, method: 'DELETE', headers: auth() }));
    expect(r.statusCode).toBe(405);
    expectMatchesOpenApi('list', r);
    expect(r.headers.Allow).toBe('GET');
    expect(emulator.requests).toHaveLength(0);
  });
});

describe('functions/*.ts', () => {
  it('read their configuration once, at cold start (import), from process.env', async () => {
    const logs: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((line: string) => void logs.push(line));
    for (const [k, v] of Object.entries(localEnvironment(buildLocalConfig({ endpoint: emulator.url }), [TOKEN_A])))
      vi.stubEnv(k, v);
    vi.resetModules();
    const list = await import('../../functions/list');
    const show = await import('../../functions/show');
    vi.stubEnv('DMS_TASKS_CONFIG', '{broken'); // too late: already read
    const r = await list.handler(v2Event({ path: LIST_PATH, query: 'limit=1', headers: auth() }), {
      awsRequestId: 'cold-1',
    });
    expect(r.statusCode).toBe(200);
    const t = SEED_IDS.recentFailures[0];
    expect(
      (
        await show.handler(
          v2Event({ path: `/v2/${t.projectId}/instances/${t.instanceId}/tasks/${t.taskId}`, headers: auth() }),
        )
      ).statusCode,
    ).toBe(200);
    expect(logs).toHaveLength(2);
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });
});

describe('logging', () => {
  it('writes exactly one structured line per request', async () => {
    const h = handlersFor(emulator);
    await h.list(v2Event({ path: LIST_PATH, query: 'limit=1', headers: auth() }), { awsRequestId: 'aws-1' });
    expect(h.logs).toHaveLength(1);
    const line = JSON.parse(h.logs[0] ?? '{}') as Record<string, unknown>;
    expect(line).toMatchObject({
      msg: 'request',
      method: 'GET',
      route: 'GET /v2/{project_id}/instances/{instance_id}/tasks',
      status: 200,
      requestId: 'aws-1',
      gatewayRequestId: 'gw-v2-req',
      event: 'apigw-http-v2',
    });
    expect(line.upstreamRequestIds).toEqual([emulator.requests[0]?.requestId]);
    expect(typeof line.durationMs).toBe('number');
  });
});
