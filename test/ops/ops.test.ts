import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { afterEach, describe, expect, it } from 'vitest';
import type { HttpResponse } from '../../lib/http/response';
import { OPENAPI } from '../support/http';
import { fgEvent, v2Event } from '../support/events';
import { createHarness, HOUR, MIN, type Harness } from '../notify/harness';

const TOKEN = 'ops-token-0123456789abcdef';
const P = 'ops/v1';
const auth = { authorization: `Bearer ${TOKEN}` };

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

type Json = Record<string, unknown>;
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema({ ...OPENAPI, $id: 'urn:dtf:ops' } as unknown as object);

/** Asserts the response is documented for the operation (status and body schema). */
function expectDocumented(path: string, method: string, r: HttpResponse): void {
  const op = (OPENAPI.paths as Record<string, Record<string, { responses: Record<string, Json> }>>)[path]?.[method];
  const declared = op?.responses[String(r.statusCode)];
  expect(declared, `${method} ${path} documents ${r.statusCode}`).toBeDefined();
  const ref = declared?.$ref as string | undefined;
  const pointer = ref
    ? `urn:dtf:ops#/components/responses/${ref.split('/').pop()}/content/application~1json/schema`
    : `urn:dtf:ops#/paths/${path.replace(/\//g, '~1')}/${method}/responses/${r.statusCode}` +
      '/content/application~1json/schema';
  const validate = ajv.getSchema(pointer);
  expect(validate, pointer).toBeDefined();
  expect(validate?.(JSON.parse(r.body)), JSON.stringify(validate?.errors)).toBe(true);
  expect(r.headers['X-Dtf-Request-Id']).toBeTruthy();
}

interface Ops {
  call(method: string, path: string, o?: { query?: string; body?: string; headers?: Json }): Promise<HttpResponse>;
  readonly logs: string[];
}

function opsFor(x: Harness, extraEnv: Record<string, string> = {}): Ops {
  const fns = x.functions({
    doc: { http: { tokens: [{ env: 'API_TOKENS' }] } },
    env: { API_TOKENS: TOKEN, ...extraEnv },
  });
  const handler = fns.ops();
  return {
    logs: fns.logs,
    call: (method, path, o = {}) =>
      handler(
        v2Event({
          method,
          path: `/${P}/${path}`,
          ...(o.query !== undefined ? { query: o.query } : {}),
          ...(o.body !== undefined ? { body: o.body } : {}),
          headers: { ...auth, ...(o.headers as Record<string, string> | undefined) },
          pathParameters: null,
        }),
      ),
  };
}

const body = (r: HttpResponse): Json => JSON.parse(r.body) as Json;
const items = (r: HttpResponse): Json[] => body(r).items as Json[];

/** Every history item, following next_cursor. */
async function allHistory(ops: Ops, query = ''): Promise<Json[]> {
  const out: Json[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < 100; i++) {
    const q = [query, 'limit=2', cursor ? `cursor=${cursor}` : ''].filter(Boolean).join('&');
    const r = await ops.call('GET', 'history', { query: q });
    expect(r.statusCode, r.body).toBe(200);
    expectDocumented('/ops/v1/history', 'get', r);
    out.push(...items(r));
    cursor = body(r).next_cursor as string | undefined;
    if (!cursor) return out;
  }
  throw new Error('history did not end');
}

function silenceBody(x: Harness, matchers: Json, minutes = 60): string {
  return JSON.stringify({
    endsAt: new Date(x.clock.t + minutes * MIN).toISOString(),
    matchers,
    createdBy: 'ops@example.com',
    comment: 'planned resize',
  });
}

describe('ops: silences API', () => {
  it('create, list, expire early; unknown id 404; a configured silence 409; documented answers', async () => {
    h = await createHarness({
      destinations: [{ type: 'webhook', name: 'hook' }],
      notify: {
        silences: [
          {
            id: 'from-config',
            startsAt: '2026-11-20T00:00Z',
            endsAt: '2026-11-21T00:00Z',
            matchers: { tasks: ['x'] },
          },
        ],
      },
    });
    const ops = opsFor(h);
    const created = await ops.call('POST', 'silences', { body: silenceBody(h, { instances: ['orders'] }) });
    expect(created.statusCode, created.body).toBe(201);
    expectDocumented('/ops/v1/silences', 'post', created);
    const s = body(created);
    expect(s).toMatchObject({
      state: 'active',
      source: 'api',
      createdBy: 'ops@example.com',
      comment: 'planned resize',
    });
    expect(s.id).toMatch(/^sil_/);
    const listed = await ops.call('GET', 'silences');
    expectDocumented('/ops/v1/silences', 'get', listed);
    expect((body(listed).silences as Json[]).map((x) => [x.id, x.source])).toEqual([
      ['from-config', 'config'],
      [s.id, 'api'],
    ]);
    h.advance(10 * MIN);
    const expired = await ops.call('DELETE', `silences/${s.id as string}`);
    expect(expired.statusCode, expired.body).toBe(200);
    expectDocumented('/ops/v1/silences/{silence_id}', 'delete', expired);
    expect(body(expired)).toMatchObject({ state: 'expired', endsAt: new Date(h.clock.t).toISOString() });
    const after = body(await ops.call('GET', 'silences')).silences as Json[];
    expect(after.find((x) => x.id === s.id)).toMatchObject({ state: 'expired' });

    const unknown = await ops.call('DELETE', 'silences/sil_AAAAAAAAAAAAAAAA');
    expect(unknown.statusCode).toBe(404);
    expect(body(unknown)).toMatchObject({ error_code: 'DTF.00404010' });
    expectDocumented('/ops/v1/silences/{silence_id}', 'delete', unknown);
    const configured = await ops.call('DELETE', 'silences/from-config');
    expect(configured.statusCode).toBe(409);
    expectDocumented('/ops/v1/silences/{silence_id}', 'delete', configured);
    // One request log line per call, naming the route, without the token.
    const lines = ops.logs.map((l) => JSON.parse(l) as Json);
    expect(lines.map((l) => `${l.route} ${l.status}`)).toEqual([
      'POST /ops/v1/silences 201',
      'GET /ops/v1/silences 200',
      'DELETE /ops/v1/silences/{silence_id} 200',
      'GET /ops/v1/silences 200',
      'DELETE /ops/v1/silences/{silence_id} 404',
      'DELETE /ops/v1/silences/{silence_id} 409',
    ]);
    expect(ops.logs.join('\n')).not.toContain(TOKEN);
  });

  it.each([
    ['not JSON', '{', 'DTF.00400030', /body/],
    ['an array', '[]', 'DTF.00400031', /body: must be an object/],
    ['no matchers', JSON.stringify({ endsAt: '2026-11-21T00:00Z', createdBy: 'a' }), 'DTF.00400031', /matchers/],
    [
      'empty matchers',
      JSON.stringify({ endsAt: '2026-11-21T00:00Z', createdBy: 'a', matchers: {} }),
      'DTF.00400031',
      /at least one/,
    ],
    [
      'no createdBy',
      JSON.stringify({ endsAt: '2026-11-21T00:00Z', matchers: { tasks: ['a'] } }),
      'DTF.00400031',
      /createdBy/,
    ],
    [
      'an unknown event',
      JSON.stringify({ endsAt: '2026-11-21T00:00Z', createdBy: 'a', matchers: { events: ['late'] } }),
      'DTF.00400031',
      /events\[0\]/,
    ],
    [
      'an end in the past',
      JSON.stringify({
        endsAt: '2020-01-01T00:00Z',
        startsAt: '2019-12-31T00:00Z',
        createdBy: 'a',
        matchers: { tasks: ['a'] },
      }),
      'DTF.00400031',
      /future/,
    ],
    [
      'a time without a zone',
      JSON.stringify({ endsAt: '2026-11-21T00:00', createdBy: 'a', matchers: { tasks: ['a'] } }),
      'DTF.00400031',
      /endsAt/,
    ],
    [
      'an unknown field',
      JSON.stringify({ endsAt: '2026-11-21T00:00Z', createdBy: 'a', matchers: { tasks: ['a'] }, id: 'mine' }),
      'DTF.00400031',
      /body\.id/,
    ],
    ['too large', JSON.stringify({ comment: 'x'.repeat(20_000) }), 'DTF.00413000', /16384/],
  ])('refuses a silence with %s: clear 4xx, nothing stored', async (_name, raw, code, message) => {
    h = await createHarness({ destinations: [{ type: 'webhook', name: 'hook' }] });
    const ops = opsFor(h);
    const r = await ops.call('POST', 'silences', { body: raw });
    expect(r.statusCode).toBeGreaterThanOrEqual(400);
    expect(r.statusCode).toBeLessThan(500);
    expect(body(r)).toMatchObject({ error_code: code });
    expect(body(r).error_msg).toMatch(message);
    expectDocumented('/ops/v1/silences', 'post', r);
    expect(body(await ops.call('GET', 'silences')).silences).toEqual([]);
  });

  it('bearer auth, methods, routes and query parameters like list and show', async () => {
    h = await createHarness({ destinations: [{ type: 'webhook', name: 'hook' }] });
    const ops = opsFor(h);
    const none = await ops.call('GET', 'history', { headers: { authorization: '' } });
    expect(none.statusCode).toBe(401);
    expect(none.headers['WWW-Authenticate']).toMatch(/^Bearer/);
    const wrong = await ops.call('POST', 'silences', {
      headers: { authorization: 'Bearer wrong-token-0123456789' },
      body: silenceBody(h, { tasks: ['a'] }),
    });
    expect(wrong.statusCode).toBe(401);
    expect(body(await ops.call('GET', 'silences')).silences).toEqual([]);
    const put = await ops.call('PUT', 'silences');
    expect([put.statusCode, put.headers.Allow]).toEqual([405, 'GET, POST']);
    expect((await ops.call('POST', 'history')).headers.Allow).toBe('GET');
    expect((await ops.call('GET', 'nothing')).statusCode).toBe(404);
    const bad = await ops.call('GET', 'silences', { query: 'state=active' });
    expect([bad.statusCode, body(bad).error_code]).toEqual([400, 'DTF.00400017']);
    const badId = await ops.call('DELETE', 'silences/..%2F..');
    expect(badId.statusCode).toBe(400);
  });
});

describe('ops: history over the outbox', () => {
  it('shows every state (pending, delivered, dead, silenced) with filters and cursor paging', async () => {
    h = await createHarness({
      destinations: [
        { type: 'webhook', name: 'hook' },
        { type: 'slack', name: 'gone' },
      ],
    });
    const ops = opsFor(h);
    const orders = h.addInstance('orders');
    const billing = h.addInstance('billing');
    await h.run();
    h.advance(5 * MIN);
    // Slack answers 404 (permanent: dead); the webhook answers 503 once for `billing` (pending).
    h.sink.respond(({ type, name }) => (type === 'slack' && name === 'gone' ? { status: 404 } : undefined));
    const delivered = h.fail(orders, { name: 'restartInstance' });
    expect(await h.run()).toMatchObject({ sent: 1, dead: 1 });
    h.sink.respond(({ type }) => (type === 'webhook' ? { status: 503, body: 'busy' } : { status: 404 }));
    const pending = h.fail(billing, { name: 'changeDiskSize' });
    h.advance(MIN);
    await h.run();
    const created = await ops.call('POST', 'silences', { body: silenceBody(h, { tasks: ['modify*'] }) });
    expect(created.statusCode).toBe(201);
    const silenced = h.fail(orders, { name: 'modifyInstanceSpec' });
    h.advance(MIN);
    expect(await h.run()).toMatchObject({ silenced: 2 }); // both destinations

    const all = await allHistory(ops);
    expect(all).toHaveLength(6);
    // One page holding everything: newest first by queued time (the store reads in id order).
    const queued = (body(await ops.call('GET', 'history', { query: 'limit=100' })).items as Json[]).map((i) =>
      String(i.queued_at),
    );
    expect(queued).toHaveLength(6);
    expect(new Set(queued).size).toBeGreaterThan(2);
    expect(queued).toEqual([...queued].sort().reverse());
    const byState = (state: string) => all.filter((i) => i.state === state).map((i) => (i.task as Json).id);
    expect(byState('delivered')).toEqual([delivered]);
    expect(byState('dead').sort()).toEqual([delivered, pending].sort());
    expect(byState('pending')).toEqual([pending]);
    expect(byState('silenced')).toEqual([silenced, silenced]);
    const dead = all.find((i) => i.state === 'dead' && (i.task as Json).id === delivered);
    expect(dead).toMatchObject({ destination: 'gone', attempts: 1, receiver: { status: 404, reason: 'HTTP 404' } });
    const waiting = all.find((i) => i.state === 'pending');
    expect(waiting).toMatchObject({
      receiver: { status: 503, reason: 'HTTP 503' },
      instance: { id: billing, name: 'billing' },
    });
    expect(waiting?.next_attempt_at).toBeDefined();
    const quiet = all.find((i) => i.state === 'silenced');
    expect(quiet).toMatchObject({ silenced_by: body(created).id, attempts: 0, event: 'failed' });
    // Never a URL or a secret.
    const text = JSON.stringify(all);
    for (const secret of h.secretValues) expect(text).not.toContain(secret);
    expect(text).not.toContain('http://');

    expect((await allHistory(ops, 'state=silenced')).length).toBe(2);
    expect((await allHistory(ops, `task=${delivered}`)).map((i) => i.state).sort()).toEqual(['dead', 'delivered']);
    expect((await allHistory(ops, 'task=changeDiskSize&state=pending')).length).toBe(1);
    expect((await allHistory(ops, 'instance=billing')).length).toBe(2);
    expect((await allHistory(ops, `instance=${orders}&event=failed`)).length).toBe(4);
    expect((await allHistory(ops, `project=${h.projectId}`)).length).toBe(6);
    expect((await allHistory(ops, 'project=other')).length).toBe(0);
    const since = new Date(h.clock.t - MIN).toISOString();
    expect((await allHistory(ops, `since=${encodeURIComponent(since)}`)).map((i) => i.state)).toEqual([
      'silenced',
      'silenced',
    ]);
  });

  it.each([
    ['state=lost', 'DTF.00400032', /state/],
    ['since=yesterday', 'DTF.00400032', /since/],
    ['limit=0', 'DTF.00400012', /limit/],
    ['limit=101', 'DTF.00400012', /limit/],
    ['cursor=not%20a%20cursor', 'DTF.00400033', /cursor/],
    ['project=..%2Fx', 'DTF.00400032', /project/],
    ['state=dead&state=pending', 'DTF.00400018', /state/],
    ['url=x', 'DTF.00400017', /query parameter #1/],
  ])('refuses %s with a documented 400', async (query, code, message) => {
    h = await createHarness({ destinations: [{ type: 'webhook', name: 'hook' }] });
    const r = await opsFor(h).call('GET', 'history', { query });
    expect(r.statusCode).toBe(400);
    expect(body(r)).toMatchObject({ error_code: code });
    expect(body(r).error_msg).toMatch(message);
    expectDocumented('/ops/v1/history', 'get', r);
  });

  it('answers a FunctionGraph APIG event with a stage prefix', async () => {
    h = await createHarness({ destinations: [{ type: 'webhook', name: 'hook' }] });
    const http = { tokens: [{ env: 'API_TOKENS' }] };
    const handler = h.functions({ doc: { http }, env: { API_TOKENS: TOKEN } }).ops();
    const r = await handler(fgEvent({ path: '/RELEASE/ops/v1/history', headers: auth, pathParameters: {} }));
    expect(r.statusCode, r.body).toBe(200);
    expect(body(r)).toEqual({ items: [] });
  });
});

describe('ops: a silence created while a notification is in flight', () => {
  it('through the API during the POST: delivered once, recorded delivered; the next failure is silenced', async () => {
    h = await createHarness({ destinations: [{ type: 'webhook', name: 'hook' }] });
    const ops = opsFor(h);
    const inst = h.addInstance('orders');
    await h.run();
    h.advance(5 * MIN);
    const first = h.fail(inst);
    const x = h;
    let created: HttpResponse | undefined;
    const racing: typeof fetch = async (input, init) => {
      created ??= await ops.call('POST', 'silences', { body: silenceBody(x, { instances: ['orders'] }, 120) });
      return fetch(input, init);
    };
    expect(await h.run({ handler: { fetch: racing } })).toMatchObject({ sent: 1, silenced: 0 });
    expect(created?.statusCode).toBe(201);
    h.advance(5 * MIN);
    const second = h.fail(inst);
    expect(await h.run()).toMatchObject({ sent: 0, silenced: 1 });
    h.advance(3 * HOUR);
    expect(await h.run()).toMatchObject({ sent: 0, silenced: 0 });
    expect(h.sink.accepted.map((r) => r.raw.includes(first))).toEqual([true]);
    const hist = await allHistory(ops);
    expect(hist.map((i) => [(i.task as Json).id, i.state]).sort()).toEqual(
      [
        [first, 'delivered'],
        [second, 'silenced'],
      ].sort(),
    );
  });
});
