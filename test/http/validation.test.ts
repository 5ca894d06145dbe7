import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../dev/emulator';
import { isCalendarTime } from '../../lib/tasks';
import { expectMatchesOpenApi, handlersFor, type Handlers } from '../support/http';
import { auth, json, K, LIST_PATH, P, v2Event } from '../support/events';

let emulator: Emulator;
let h: Handlers;
beforeAll(async () => {
  emulator = await startEmulator();
  h = handlersFor(emulator);
});
afterAll(async () => {
  await emulator.close();
});
beforeEach(() => emulator.resetRequests());

/** Every case: 400, the expected code, a message naming the field, and no upstream call. */
async function expect400(
  route: 'list' | 'show',
  path: string,
  query: string,
  code: string,
  field: RegExp,
): Promise<void> {
  const r = await h[route](v2Event({ path, query, headers: auth() }));
  expect(r.statusCode, r.body).toBe(400);
  expectMatchesOpenApi(route, r);
  const body = json(r);
  expect(body.error_code).toBe(code);
  expect(body.error_msg).toMatch(field);
  expect(emulator.requests).toHaveLength(0);
}

describe('path ids', () => {
  it.each([
    ['project_id', `/v2/${'a'.repeat(65)}/instances/${K}/tasks`, 'DTF.00400001'],
    ['project_id', `/v2/-abc/instances/${K}/tasks`, 'DTF.00400001'],
    ['project_id', `/v2/..%2F..%2Fetc/instances/${K}/tasks`, 'DTF.00400001'],
    ['project_id', `/v2/p%20q/instances/${K}/tasks`, 'DTF.00400001'],
    ['instance_id', `/v2/${P}/instances/..%2Ftasks/tasks`, 'DTF.00400002'],
    ['instance_id', `/v2/${P}/instances/a.b/tasks`, 'DTF.00400002'],
    ['instance_id', `/v2/${P}/instances/%E2%9C%93/tasks`, 'DTF.00400002'],
    ['instance_id', `/v2/${P}/instances/_x/tasks`, 'DTF.00400002'],
  ])('list %s %s', (field, path, code) =>
    expect400('list', path, '', code, new RegExp(`^${field}: must be 1 to 64 characters`)),
  );

  it.each([
    [`${LIST_PATH}/..`, 'task_id'],
    [`${LIST_PATH}/a%2Fb`, 'task_id'],
    [`${LIST_PATH}/${'t'.repeat(65)}`, 'task_id'],
    [`${LIST_PATH}/x%00`, 'task_id'],
  ])('show %s', (path, field) => expect400('show', path, '', 'DTF.00400003', new RegExp(`^${field}:`)));

  it('an empty path parameter is required', async () => {
    const r = await h.list(
      v2Event({
        path: '/v2//instances/x/tasks',
        pathParameters: { project_id: '', instance_id: 'x' },
        headers: auth(),
      }),
    );
    expect(r.statusCode).toBe(400);
    expect(json(r).error_msg).toMatch(/^project_id: is required/);
  });

  it('64 characters are accepted', async () => {
    const r = await h.list(v2Event({ path: `/v2/${P}/instances/${'i'.repeat(64)}/tasks`, headers: auth() }));
    expect(r.statusCode).toBe(404); // reached upstream: unknown instance
    expect(emulator.requests).toHaveLength(1);
  });
});

describe('query parameters', () => {
  it.each([
    ['start=-1', 'DTF.00400010', /^start: must be a non-negative integer/],
    ['start=1.5', 'DTF.00400010', /^start:/],
    ['start=', 'DTF.00400010', /^start:/],
    ['start=1e3', 'DTF.00400010', /^start:/],
    ['offset=abc', 'DTF.00400010', /^offset:/],
    ['offset=2147483648', 'DTF.00400010', /^offset: .*2147483647/],
    ['offset=%2B1', 'DTF.00400010', /^offset:/],
    ['start=1&offset=2', 'DTF.00400011', /^start\/offset:/],
    ['limit=0', 'DTF.00400012', /^limit: must be an integer from 1 to 100/],
    ['limit=000', 'DTF.00400012', /^limit:/],
    ['limit=101', 'DTF.00400012', /^limit:/],
    ['limit=00101', 'DTF.00400012', /^limit:/],
    ['limit=%2B5', 'DTF.00400012', /^limit:/],
    ['limit=5.0', 'DTF.00400012', /^limit:/],
    ['start=02147483648', 'DTF.00400010', /^start:/],
    ['limit=-5', 'DTF.00400012', /^limit:/],
    ['limit=', 'DTF.00400012', /^limit:/],
    ['limit=ten', 'DTF.00400012', /^limit:/],
    ['begin_time=2026010100000', 'DTF.00400013', /^begin_time: must be a real UTC date-time written YYYYMMDDHHmmss/],
    ['begin_time=20260230000000', 'DTF.00400013', /^begin_time:/],
    ['begin_time=20230229000000', 'DTF.00400013', /^begin_time:/],
    ['begin_time=20260431000000', 'DTF.00400013', /^begin_time:/],
    ['begin_time=20261301000000', 'DTF.00400013', /^begin_time:/],
    ['begin_time=20260101240000', 'DTF.00400013', /^begin_time:/],
    ['begin_time=20260101006000', 'DTF.00400013', /^begin_time:/],
    ['begin_time=20260101000060', 'DTF.00400013', /^begin_time:/],
    ['begin_time=2026-01-01T00:00:00Z', 'DTF.00400013', /^begin_time:/],
    ['end_time=19691231235959', 'DTF.00400014', /^end_time:/],
    ['end_time=20260100000000', 'DTF.00400014', /^end_time:/],
    [
      'begin_time=20260102000000&end_time=20260101000000',
      'DTF.00400015',
      /^begin_time: must not be later than end_time/,
    ],
    ['all=yes', 'DTF.00400016', /^all: must be "true" or "false"/],
    ['all=', 'DTF.00400016', /^all:/],
    [
      'ofset=10',
      'DTF.00400017',
      /^query parameter #1: unknown query parameter \(allowed: start, offset, limit, begin_time, end_time, all;/,
    ],
    ['limit=10&Limit=10', 'DTF.00400017', /^query parameter #2: /],
    ['limit=5&limit=5', 'DTF.00400018', /^limit: must be given at most once/],
  ])('list ?%s', (query, code, message) => expect400('list', LIST_PATH, query, code, message));

  it('show takes no query parameters', () =>
    expect400('show', `${LIST_PATH}/abc`, 'limit=1', 'DTF.00400017', /this route takes no query parameters/));

  it('valid edges pass: leap day, begin = end, limit 1 and 100, offset 0 and 2147483647', async () => {
    for (const q of [
      'begin_time=20240229235959&end_time=20240229235959',
      'limit=1',
      'limit=50',
      'limit=100',
      'offset=0',
      'start=2147483647',
      'start=0002147483647',
      'start=0&offset=0',
      'all=false',
    ]) {
      const r = await h.list(v2Event({ path: LIST_PATH, query: q, headers: auth() }));
      expect(r.statusCode, q).toBe(200);
    }
  });

  it('judges numbers by value: 050 and 0050 are both 50, sent upstream as 50', async () => {
    for (const q of ['limit=050&start=011', 'limit=0050&start=0011', 'limit=50&start=11']) {
      emulator.resetRequests();
      const r = await h.list(v2Event({ path: LIST_PATH, query: q, headers: auth() }));
      expect(r.statusCode, q).toBe(200);
      expect(emulator.requests[0]?.query).toEqual({ start: '11', limit: '50' });
      expect(r.headers.Link).toBe(`<${LIST_PATH}?start=61&limit=50>; rel="next"`);
    }
  });

  it('validation comes after authentication (a caller without a token learns nothing)', async () => {
    const r = await h.list(v2Event({ path: LIST_PATH, query: 'ofset=1' }));
    expect(r.statusCode).toBe(401);
  });
});

describe('isCalendarTime', () => {
  it.each([
    ['20000229000000', true],
    ['19000228000000', false],
    ['21000229000000', false],
    ['99991231235959', true],
    ['19700101000000', true],
    ['２０２６０１０１００００００', false],
  ])('%s -> %s', (v, ok) => expect(isCalendarTime(v)).toBe(ok));
});
