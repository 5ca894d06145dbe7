import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED_IDS } from '../../dev/emulator';
import { normalizeEvent } from '../../lib/http/normalizeEvent';
import * as ERROR_CODES from '../../lib/http/errorCodes';
import type { HttpResponse } from '../../lib/http/response';
import { createOpsHandler } from '../../lib/ops/createOpsHandler';
import type { StateStore } from '../../lib/state/types';
import type { HttpHandler } from '../../lib/tasks/createHttpHandler';
import { startPageStack, type PageStack } from '../ops/stack';
import { BAD_ESCAPES } from '../support/hostileInputs';
import { handlersFor, type Handlers } from '../support/http';
import { fgEvent, v1Event, v2Event, type EventInput } from '../support/events';

/**
 * Issue 20 item 6: a bad percent-encoding anywhere in the path or the query is a 400 naming `path` or
 * `query`, before any other work (no route, no token check, no store read, no upstream call); it was
 * a 500 `URIError` (`DELETE /ops/v1/silences/%E0%A4%A`, 36 of 36 fuzz cases).
 */

/** Where a bad escape goes: `{}` is replaced by it (alone, after and before good text). */
const PATHS = [
  { method: 'DELETE', path: '/ops/v1/silences/{}' },
  { method: 'GET', path: '/ops/v1/history/{}' },
  { method: 'GET', path: '/ops/v1/{}' },
  { method: 'POST', path: '/ops/v1/fleet/silences/{}/expire' },
  { method: 'GET', path: `/ops/v1/fleet/tasks/${SEED_IDS.mainProject}/{}/t1` },
  { method: 'POST', path: '/{}/ops/v1/fleet/session' },
  { method: 'GET', path: `/v2/${SEED_IDS.mainProject}/instances/{}/tasks` },
  { method: 'GET', path: `/v2/{}/instances/${SEED_IDS.kafkaPaged}/tasks/t1` },
] as const;
const QUERIES = ['q={}', '{}=1', 'page=1&q=x{}y'] as const;
const SHAPES = { v2: v2Event, v1: v1Event, fg: fgEvent } as const;

interface Case {
  readonly shape: keyof typeof SHAPES;
  readonly input: EventInput;
  readonly field: 'path' | 'query';
}

function cases(): Case[] {
  const out: Case[] = [];
  for (const bad of BAD_ESCAPES) {
    const variants = [bad, `x${bad}`, `${bad}x`];
    for (const [shape] of Object.entries(SHAPES) as [keyof typeof SHAPES, unknown][]) {
      for (const p of PATHS) {
        for (const v of variants)
          out.push({
            shape,
            field: 'path',
            input: { method: p.method, path: p.path.replace('{}', v), pathParameters: null },
          });
      }
    }
    // Only an HTTP API event carries the raw query; the REST and FunctionGraph maps arrive decoded.
    for (const q of QUERIES)
      out.push({ shape: 'v2', field: 'query', input: { path: '/ops/v1/fleet', query: q.replace('{}', bad) } });
  }
  return out;
}
const CASES = cases();

/** A store that counts every call: a refused request must not reach it. */
function counting(store: StateStore): { store: StateStore; calls: () => number } {
  let n = 0;
  const wrap =
    <A extends unknown[], R>(f: (...a: A) => Promise<R>) =>
    (...a: A): Promise<R> => {
      n++;
      return f(...a);
    };
  return {
    calls: () => n,
    store: {
      get: wrap((k) => store.get(k)),
      getMany: wrap((k) => store.getMany(k)),
      put: wrap((k, v, o) => store.put(k, v, o)),
      create: wrap((k, v, o) => store.create(k, v, o)),
      update: wrap((k, ver, v, o) => store.update(k, ver, v, o)),
      listDue: wrap((now, limit) => store.listDue(now, limit)),
      scan: wrap((p, l, c) => store.scan(p, l, c)),
    },
  };
}

function expectRefused(r: HttpResponse, field: string, what: string): void {
  expect(r.statusCode, what).toBe(400);
  const json = r.headers['Content-Type'] === 'application/json';
  const text = json ? (JSON.parse(r.body) as { error_code: string; error_msg: string }).error_msg : r.body;
  if (json) expect((JSON.parse(r.body) as { error_code: string }).error_code, what).toBe(ERROR_CODES.invalidEncoding);
  expect(text, what).toContain(`${field}: bad percent-encoding`);
}

describe('normalizeEvent refuses bad percent-encoding', () => {
  it(`refuses each of ${CASES.length} hostile paths and queries, naming the field`, () => {
    for (const c of CASES) {
      const what = `${c.shape} ${c.input.method ?? 'GET'} ${c.input.path}?${c.input.query ?? ''}`;
      expect(() => normalizeEvent(SHAPES[c.shape](c.input)), what).toThrow(`${c.field}: bad percent-encoding`);
    }
  });

  it('keeps good escapes and decoded maps as they are; refuses decoded text that is not Unicode', () => {
    const ok = normalizeEvent(v2Event({ path: '/ops/v1/silences/a%20b%E2%82%AC%F0%9F%98%80', query: 'q=%E2%82%AC+x' }));
    expect(ok.path).toBe('/ops/v1/silences/a%20b%E2%82%AC%F0%9F%98%80');
    expect(ok.query.get('q')).toEqual(['€ x']);
    // A REST or FunctionGraph map is already decoded: a literal "%" in it is data, not an escape.
    expect(normalizeEvent(v1Event({ path: '/x', query: 'q=100%25' })).query.get('q')).toEqual(['100%']);
    for (const lone of ['\ud800', 'a\udfffb', '\udc00\ud800']) {
      const fg = { ...fgEvent({ path: '/x' }), queryStringParameters: { q: lone } };
      expect(() => normalizeEvent(fg)).toThrow('query: bad percent-encoding');
      expect(() => normalizeEvent(v1Event({ path: '/x', pathParameters: { silence_id: lone } }))).toThrow(
        'silence_id: bad percent-encoding',
      );
    }
  });

  it('reads the caller address the gateway saw, never a header', () => {
    const forged = { 'x-forwarded-for': '203.0.113.9' };
    expect(normalizeEvent(v2Event({ path: '/', headers: forged })).sourceIp).toBe('127.0.0.1');
    expect(normalizeEvent(v1Event({ path: '/', headers: forged })).sourceIp).toBe('127.0.0.1');
    const fg = fgEvent({ path: '/', headers: forged });
    expect(normalizeEvent(fg).sourceIp).toBeUndefined();
    expect(normalizeEvent({ ...fg, requestContext: { sourceIp: '198.51.100.7' } }).sourceIp).toBe('198.51.100.7');
  });
});

describe('the handlers answer 400 before any other work', () => {
  let stack: PageStack;
  let ops: HttpHandler;
  let tasks: Handlers;
  let storeCalls: () => number;
  beforeAll(async () => {
    stack = await startPageStack();
    const c = counting(stack.store);
    storeCalls = c.calls;
    ops = createOpsHandler({ env: stack.env, store: c.store, log: (l) => stack.logs.push(l) });
    tasks = handlersFor(stack.emulator);
  }, 60_000);
  afterAll(async () => {
    await stack?.close();
  });

  it("the issue's example: unauthenticated DELETE /ops/v1/silences/%E0%A4%A is a 400, not a 500 URIError", async () => {
    const r = await ops(v2Event({ method: 'DELETE', path: '/ops/v1/silences/%E0%A4%A', pathParameters: null }));
    expectRefused(r, 'path', 'example');
  });

  const title = `every hostile path and query (${CASES.length}) at ops, the fleet page, list and show`;
  it(`${title}: 400, no store read, no upstream call`, async () => {
    stack.emulator.resetRequests();
    const before = storeCalls();
    for (const c of CASES) {
      const event = SHAPES[c.shape](c.input);
      const what = `${c.shape} ${c.input.method ?? 'GET'} ${c.input.path}?${c.input.query ?? ''}`;
      const onTasks = c.input.path.startsWith('/v2/');
      const r = onTasks ? await tasks.list(event) : await ops(event);
      expectRefused(r, c.field, what);
    }
    expect(storeCalls() - before).toBe(0);
    expect(stack.emulator.requests).toEqual([]);
  });
});
