import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildLocalConfig, localEnvironment } from '../../dev/localConfig';
import { GLOB_LIMITS } from '../../lib/core/glob';
import type { HttpResponse } from '../../lib/http/response';
import { createOpsHandler } from '../../lib/ops/createOpsHandler';
import { validateSilenceForm } from '../../lib/ops/page/validatePage';
import { FileStore } from '../../lib/state/fileStore';
import { v2Event } from '../support/events';
import { IMPOSSIBLE_TIMES } from '../support/hostileTimes';

const TOKEN = 'silences-token-0123456789abcdef';
const T0 = Date.UTC(2026, 11, 5, 12, 0, 0);
type Json = Record<string, unknown>;

let dir = '';
let call: (method: string, path: string, o?: { query?: string; body?: string }) => Promise<HttpResponse>;
let store: FileStore;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'dtf-silences-api-'));
  const storePath = join(dir, 'state.json');
  // No DMS call is made by these routes: the endpoint is never reached.
  const notify = { destinations: {}, store: { type: 'file', path: storePath } };
  const env = localEnvironment(buildLocalConfig({ endpoint: 'http://127.0.0.1:9', notify }), [TOKEN]);
  store = new FileStore(storePath);
  const handler = createOpsHandler({ env, store, now: () => T0, log: () => {} });
  call = (method, path, o = {}) =>
    handler(
      v2Event({
        method,
        path: `/ops/v1/${path}`,
        ...(o.query !== undefined ? { query: o.query } : {}),
        ...(o.body !== undefined ? { body: o.body } : {}),
        headers: { authorization: `Bearer ${TOKEN}` },
        pathParameters: null,
      }),
      {},
    );
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const body = (r: HttpResponse): Json => JSON.parse(r.body) as Json;
const silence = (o: Json) =>
  JSON.stringify({ endsAt: '2026-12-05T14:00Z', matchers: { instances: ['kafka-*'] }, createdBy: 'oncall', ...o });

async function expectRefused(r: HttpResponse, code: string, field: RegExp): Promise<void> {
  expect(r.statusCode).toBe(400);
  expect(body(r)).toMatchObject({ error_code: code });
  expect(body(r).error_msg).toMatch(field);
  expect(body(await call('GET', 'silences')).silences).toEqual([]);
}

describe('POST /ops/v1/silences refuses impossible dates and unbounded patterns', () => {
  it.each(IMPOSSIBLE_TIMES)('endsAt %j: 400 naming body.endsAt, nothing stored', async (endsAt) => {
    await expectRefused(await call('POST', 'silences', { body: silence({ endsAt }) }), 'DTF.00400031', /body\.endsAt/);
  });

  it.each([
    ['too long', ['x'.repeat(GLOB_LIMITS.maxLength + 1)], /body\.matchers\.instances\[0\].*128 characters/],
    [
      'too many wildcards',
      [`${'*'.repeat(GLOB_LIMITS.maxWildcards + 1)}#`],
      /body\.matchers\.instances\[0\].*wildcards/,
    ],
    [
      'too many patterns',
      Array.from({ length: GLOB_LIMITS.maxPatterns + 1 }, (_, i) => `k-${i}`),
      /body\.matchers\.instances.*32 patterns/,
    ],
  ])('instances %s: 400 naming the field', async (_label, instances, field) => {
    const r = await call('POST', 'silences', { body: silence({ matchers: { instances } }) });
    await expectRefused(r, 'DTF.00400031', field);
  });

  it('takes the issue’s "********#" and matches it in linear time (the page and the list answer)', async () => {
    const r = await call('POST', 'silences', { body: silence({ matchers: { instances: ['********#'] } }) });
    expect(r.statusCode).toBe(201);
    expect(body(r)).toMatchObject({ state: 'active', endsAt: '2026-12-05T14:00:00.000Z' });
  });
});

describe('GET /ops/v1/history refuses an impossible since', () => {
  it.each(IMPOSSIBLE_TIMES)('since %j: 400 naming since', async (since) => {
    const r = await call('GET', 'history', { query: `since=${encodeURIComponent(since)}` });
    expect(r.statusCode).toBe(400);
    expect(body(r).error_msg).toMatch(/^since: /);
  });

  it('a real leap day is taken', async () => {
    const r = await call('GET', 'history', { query: 'since=2024-02-29T00:00Z' });
    expect(r.statusCode).toBe(200);
  });
});

describe('the page form bounds its task-name glob', () => {
  const form = (task: string) =>
    new Map([
      ['task', task],
      ['minutes', '60'],
      ['createdBy', 'me'],
      ['comment', 'why'],
    ]);
  it.each([`${'*'.repeat(GLOB_LIMITS.maxWildcards + 1)}a`, `a${'*a'.repeat(GLOB_LIMITS.maxWildcards + 1)}`])(
    'refuses %j naming task',
    (task) => {
      expect(() => validateSilenceForm(form(task))).toThrow(
        expect.objectContaining({ message: expect.stringMatching(/^task: .*wildcards/) }),
      );
    },
  );
  it('takes a glob at the limit', () => {
    expect(validateSilenceForm(form(`${'*'.repeat(GLOB_LIMITS.maxWildcards)}a`))).toMatchObject({ minutes: 60 });
  });
});
