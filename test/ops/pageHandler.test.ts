import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED_IDS } from '../../dev/emulator';
import type { HttpHandler } from '../../lib/tasks/createHttpHandler';
import { escapeHtml } from '../../lib/ops/page/escapeHtml';
import { attentionRank } from '../../lib/ops/page/fleetData';
import type { FleetView } from '../../lib/ops/page/types';
import { SessionSigner, sessionKey } from '../../lib/ops/page/session';
import { NotifierSilences } from '../../lib/ops/page/silences';
import { FileStore } from '../../lib/state/fileStore';
import type { HttpResponse } from '../../lib/http/response';
import { functionsFor } from '../support/functions';
import { expectMatchesOpenApi } from '../support/http';
import { PAGE_TOKEN, startPageStack, XSS_NAME, type PageStack } from './stack';

let stack: PageStack;
let handler: HttpHandler;
const HOST = '127.0.0.1:9';

interface Req {
  readonly method?: string;
  readonly path: string;
  readonly query?: string;
  readonly headers?: Record<string, string>;
  readonly cookies?: readonly string[];
  readonly form?: Record<string, string>;
  /** The caller's address as the gateway saw it. @default none */
  readonly sourceIp?: string;
}

function event(r: Req): Record<string, unknown> {
  const method = r.method ?? 'GET';
  return {
    version: '2.0',
    rawPath: r.path,
    rawQueryString: r.query ?? '',
    headers: { host: HOST, ...(r.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}), ...r.headers },
    ...(r.cookies ? { cookies: r.cookies } : {}),
    requestContext: {
      http: { method, path: r.path, ...(r.sourceIp ? { sourceIp: r.sourceIp } : {}) },
      requestId: 'gw-1',
    },
    isBase64Encoded: false,
    ...(r.form ? { body: new URLSearchParams(r.form).toString() } : {}),
  };
}

const call = (r: Req, h: HttpHandler = handler): Promise<HttpResponse> => h(event(r));
const SAME_ORIGIN = { origin: `http://${HOST}` };

async function signIn(): Promise<{ cookie: string; csrf: string }> {
  const r = await call({
    method: 'POST',
    path: '/ops/v1/fleet/session',
    headers: SAME_ORIGIN,
    form: { token: PAGE_TOKEN },
  });
  expect(r.statusCode).toBe(303);
  const cookie = (r.headers['Set-Cookie'] ?? '').split(';')[0] ?? '';
  const page = await call({ path: '/ops/v1/fleet', cookies: [cookie] });
  const csrf = /name="csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
  return { cookie, csrf };
}

const silenceForm = { instance: 'kafka-orders', minutes: '60', createdBy: 'me', comment: 'maintenance' };

beforeAll(async () => {
  stack = await startPageStack();
  handler = stack.functions.ops();
}, 60_000);
afterAll(async () => {
  await stack?.close();
});

describe('escapeHtml', () => {
  it('escapes every character that can open markup or end an attribute', () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&\`</a>`)).toBe(
      '&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&#96;&lt;/a&gt;',
    );
    expect(escapeHtml(undefined)).toBe('');
  });
});

describe('SessionSigner', () => {
  const signer = new SessionSigner(sessionKey(undefined, [PAGE_TOKEN]));
  it('reads its own values only: the expiry and the store id they carry', () => {
    const v = signer.issue(10_000_000);
    expect(signer.read(v)?.expiresAtMs).toBe(10_000_000);
    expect(signer.read(v)?.id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(signer.read(`${v.slice(0, -1)}${v.endsWith('A') ? 'B' : 'A'}`)).toBeUndefined();
    expect(signer.read(v.replace(/^v1\.\d+/, 'v1.99999999999'))).toBeUndefined();
    expect(signer.read(undefined)).toBeUndefined();
  });
  it('refuses a session signed with another key: removing a token ends its sessions', () => {
    const other = new SessionSigner(sessionKey(undefined, ['another-token-0123456789']));
    expect(signer.read(other.issue(10_000_000))).toBeUndefined();
    const fixed = sessionKey('configured-session-secret', [PAGE_TOKEN]);
    const before = new SessionSigner(sessionKey('configured-session-secret', [])).issue(9e9);
    expect(new SessionSigner(fixed).read(before)).toBeDefined();
  });
  it('binds the CSRF token to the session', () => {
    const a = signer.issue(10_000_000);
    const b = signer.issue(10_000_000);
    expect(signer.checkCsrf(a, signer.csrfToken(a))).toBe(true);
    expect(signer.checkCsrf(a, signer.csrfToken(b))).toBe(false);
    expect(signer.checkCsrf(a, undefined)).toBe(false);
  });
});

describe('the fleet page handler', () => {
  it('shows only the sign-in form without a session, and never takes the token from the URL', async () => {
    const r = await call({ path: '/ops/v1/fleet', query: `token=${PAGE_TOKEN}` });
    expect(r.statusCode).toBe(400);
    const plain = await call({ path: '/ops/v1/fleet' });
    expect(plain.statusCode).toBe(200);
    expect(plain.body).toContain('name="token"');
    expect(plain.body).not.toContain('kafka-orders');
    expect(plain.headers['Content-Security-Policy']).toMatch(/script-src 'nonce-/);
  });

  it('sets an HttpOnly SameSite=Strict cookie, Secure except on loopback, that holds no token', async () => {
    const local = await call({
      method: 'POST',
      path: '/ops/v1/fleet/session',
      headers: SAME_ORIGIN,
      form: { token: PAGE_TOKEN },
    });
    expect(local.headers['Set-Cookie']).toMatch(
      /^dtf_ops_session=v1\.[^;]+; Path=\/ops\/v1; Max-Age=3600; HttpOnly; SameSite=Strict$/,
    );
    expect(local.headers['Set-Cookie']).not.toContain(PAGE_TOKEN);
    const remote = await call({
      method: 'POST',
      path: '/prod/ops/v1/fleet/session',
      headers: { host: 'ops.example.com', origin: 'https://ops.example.com' },
      form: { token: PAGE_TOKEN },
    });
    expect(remote.headers['Set-Cookie']).toMatch(/Path=\/prod\/ops\/v1; .*; Secure$/);
    expect(remote.headers.Location).toBe('/prod/ops/v1/fleet');
  });

  it('refuses a wrong token with 401 and the form, and logs no token', async () => {
    const r = await call({
      method: 'POST',
      path: '/ops/v1/fleet/session',
      headers: SAME_ORIGIN,
      form: { token: 'x'.repeat(20) },
    });
    expect(r.statusCode).toBe(401);
    expect(r.headers['Set-Cookie']).toBeUndefined();
    expect(stack.logs.join('\n')).not.toContain(PAGE_TOKEN);
  });

  it('escapes hostile task names and params everywhere', async () => {
    const { cookie } = await signIn();
    const page = await call({ path: '/ops/v1/fleet', cookies: [cookie] });
    expect(page.body).toContain(escapeHtml(XSS_NAME));
    expect(page.body).not.toContain(XSS_NAME);
    const task = await call({
      path: `/ops/v1/fleet/tasks/${SEED_IDS.mainProject}/${SEED_IDS.rabbitmq}/${stack.xssTaskId}`,
      cookies: [cookie],
    });
    expect(task.statusCode).toBe(200);
    expect(task.body).not.toContain('<script>alert(2)');
    expect(task.body).toContain('&lt;/pre&gt;&lt;script&gt;alert(2)&lt;/script&gt;');
    // The one script is the page's own, with this response's nonce (local times).
    const scripts = task.body.match(/<script[^>]*>/g) ?? [];
    expect(scripts).toHaveLength(1);
    expect(scripts[0]).toMatch(/^<script nonce="[A-Za-z0-9+/=]+">$/);
  });

  it('refuses changes from another site, without the CSRF token, or without a session; nothing changes', async () => {
    const { cookie, csrf } = await signIn();
    const silences = new NotifierSilences(stack.store, []);
    const before = await silences.active(Date.now());
    const attempts: Req[] = [
      { method: 'POST', path: '/ops/v1/fleet/silences', cookies: [cookie], form: { ...silenceForm, csrf } },
      {
        method: 'POST',
        path: '/ops/v1/fleet/silences',
        headers: { origin: 'https://evil.example' },
        cookies: [cookie],
        form: { ...silenceForm, csrf },
      },
      { method: 'POST', path: '/ops/v1/fleet/silences', headers: SAME_ORIGIN, cookies: [cookie], form: silenceForm },
      { method: 'POST', path: '/ops/v1/fleet/silences', headers: SAME_ORIGIN, form: { ...silenceForm, csrf } },
    ];
    const statuses = [];
    for (const a of attempts) statuses.push((await call(a)).statusCode);
    expect(statuses).toEqual([403, 403, 403, 401]);
    expect(await silences.active(Date.now())).toEqual(before);
  });

  it('answers bad silence input with 400 naming the field, and an unknown silence with 404', async () => {
    const { cookie, csrf } = await signIn();
    const post = (form: Record<string, string>, path = '/ops/v1/fleet/silences') =>
      call({ method: 'POST', path, headers: SAME_ORIGIN, cookies: [cookie], form: { ...form, csrf } });
    const bad: [Record<string, string>, string][] = [
      [{ ...silenceForm, instance: '', task: '' }, 'instance/task:'],
      [{ ...silenceForm, instance: '<b>' }, 'instance:'],
      [{ ...silenceForm, minutes: '0' }, 'minutes:'],
      [{ ...silenceForm, minutes: '20000' }, 'minutes:'],
      [{ ...silenceForm, comment: '' }, 'comment:'],
    ];
    const silences = new NotifierSilences(stack.store, []);
    const before = await silences.active(Date.now());
    for (const [f, field] of bad) {
      const r = await post(f);
      expect(r.statusCode).toBe(400);
      expect(r.body).toContain(field);
    }
    expect(await silences.active(Date.now())).toEqual(before);
    expect((await post({}, '/ops/v1/fleet/silences/sil_nope/expire')).statusCode).toBe(404);
    const ok = await post(silenceForm);
    expect(ok.statusCode).toBe(303);
  });

  it('serves the JSON behind the page to a bearer token, as the OpenAPI document says', async () => {
    const none = await call({ path: '/ops/v1/fleet.json' });
    expect(none.statusCode).toBe(401);
    expectMatchesOpenApi('fleet', none);
    const r = await call({
      path: '/ops/v1/fleet.json',
      query: 'q=kafka&page=1&page_size=2',
      headers: { authorization: `Bearer ${PAGE_TOKEN}` },
    });
    expect(r.statusCode).toBe(200);
    expectMatchesOpenApi('fleet', r);
    const body = JSON.parse(r.body) as { matchingInstances: number; pages: number; groups: unknown[] };
    expect(body.matchingInstances).toBe(3);
    expect(body.pages).toBe(2);
    const bad = await call({
      path: '/ops/v1/fleet.json',
      query: 'page_size=500',
      headers: { authorization: `Bearer ${PAGE_TOKEN}` },
    });
    expect(bad.statusCode).toBe(400);
    expectMatchesOpenApi('fleet', bad);
  });

  it('marks the stuck task with how far past its threshold, and puts instances needing attention first', async () => {
    const r = await call({ path: '/ops/v1/fleet.json', headers: { authorization: `Bearer ${PAGE_TOKEN}` } });
    expect(r.statusCode).toBe(200);
    expectMatchesOpenApi('fleet', r);
    const body = JSON.parse(r.body) as FleetView;
    const instances = body.groups.flatMap((g) => g.instances);
    const payments = instances.find((i) => i.instanceId === SEED_IDS.stuckTask.instanceId);
    const stuck = payments?.running.find((t) => t.id === SEED_IDS.stuckTask.taskId);
    // EXECUTING for 5 h against the default 120-minute threshold: about 3 h past it.
    expect(stuck?.stuckAfterMinutes).toBe(120);
    expect(stuck?.stuckOverMinutes).toBeGreaterThanOrEqual(179);
    expect(stuck?.stuckOverMinutes).toBeLessThan(190);
    expect(payments?.stuck).toBe(1);
    // A task running 10 min is not stuck.
    const orders = instances.find((i) => i.instanceId === SEED_IDS.kafkaPaged);
    expect(orders?.running.length).toBeGreaterThan(0);
    expect(orders?.running.every((t) => t.stuckOverMinutes === undefined)).toBe(true);
    expect(orders?.stuck).toBe(0);
    // Stuck first, then failing, then the quiet ones; each rank in the configured order.
    const ranks = instances.map(attentionRank);
    expect(ranks[0]).toBe(0);
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    expect(ranks).toContain(2);
    const html = await call({ path: '/ops/v1/fleet', cookies: [(await signIn()).cookie] });
    expect(html.body).toMatch(/STUCK<\/strong>, 3 h( \d+ min)? past its 2 h threshold/);
    expect(html.body.indexOf('rocketmq-payments')).toBeLessThan(html.body.indexOf('kafka-analytics'));
  });

  it('cuts the failure list at 5 with "+N more", and counts the notifications the history holds', async () => {
    const auth = { authorization: `Bearer ${PAGE_TOKEN}` };
    const r = await call({ path: '/ops/v1/fleet.json', query: 'page_size=100', headers: auth });
    expectMatchesOpenApi('fleet', r);
    const body = JSON.parse(r.body) as FleetView;
    const instances = body.groups.flatMap((g) => g.instances);
    for (const i of instances) {
      const failures = i.recentFailures.map((t) => t.createdAt);
      expect(failures).toEqual([...failures].sort().reverse());
      expect(i.recentFailures.length + i.moreFailures).toBe(
        i.moreFailures > 0 ? i.failures7d : i.recentFailures.length,
      );
    }
    const cut = instances.filter((i) => i.moreFailures > 0);
    expect(cut.length).toBeGreaterThan(0);
    // Every notice of the seed (one notifier run, 24 h back) is about a listed task: the counts are the history's.
    let history = 0;
    for (const i of instances) {
      const h = await call({ path: '/ops/v1/history', query: `instance=${i.instanceId}&limit=100`, headers: auth });
      const items = (JSON.parse(h.body) as { items: unknown[]; next_cursor?: string }).items.length;
      const n = i.notifications;
      expect(n.pending + n.delivered + n.dead + n.silenced).toBe(items);
      history += items;
    }
    expect(history).toBeGreaterThan(0);
    const html = await call({ path: '/ops/v1/fleet', query: 'page_size=100', cookies: [(await signIn()).cookie] });
    expect(html.body).toContain(`+${cut[0]?.moreFailures} more`);
  });

  it("sends a test per destination from the page: the receiver's answer, then 429 within 10 s", async () => {
    const { cookie, csrf } = await signIn();
    const page = await call({ path: '/ops/v1/fleet', cookies: [cookie] });
    for (const id of ['hook', 'slack', 'feishu', 'dingtalk'])
      expect(page.body).toContain(`action="/ops/v1/fleet/destinations/${id}/test"`);
    const send = (id: string, form: Record<string, string> = { csrf }) =>
      call({
        method: 'POST',
        path: `/ops/v1/fleet/destinations/${id}/test`,
        headers: SAME_ORIGIN,
        cookies: [cookie],
        form,
      });
    // Without the CSRF token: refused, nothing sent.
    expect((await send('hook', {})).statusCode).toBe(403);
    const ok = await send('hook');
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toContain('Delivered');
    expect(ok.body).toMatch(/Receiver status<\/dt>\s*<dd>204<\/dd>/);
    expect(ok.body).toMatch(/<time datetime="\d{4}-/);
    const again = await send('hook');
    expect(again.statusCode).toBe(429);
    expect(Number(again.headers['Retry-After'])).toBeGreaterThanOrEqual(1);
    expect(again.body).toContain('one test per destination every 10 seconds');
    // Slack answers 410 in this stack: shown as not delivered, with the status.
    const gone = await send('slack');
    expect(gone.statusCode).toBe(200);
    expect(gone.body).toContain('Not delivered: HTTP 410');
    expect(gone.body).toMatch(/Receiver status<\/dt>\s*<dd>410<\/dd>/);
    expect((await send('nowhere')).statusCode).toBe(404);
    // Recorded in the history as tests, like the operator API's.
    const h = await call({
      path: '/ops/v1/history',
      query: 'instance=test&limit=100',
      headers: { authorization: `Bearer ${PAGE_TOKEN}` },
    });
    const tests = (JSON.parse(h.body) as { items: { destination: string; test?: boolean }[] }).items;
    expect(tests.filter((t) => t.test).map((t) => t.destination)).toEqual(expect.arrayContaining(['hook', 'slack']));
  });

  it('lists only the visible instances upstream, once per cache period', async () => {
    const fresh = stack.functions.ops();
    const auth = { authorization: `Bearer ${PAGE_TOKEN}` };
    const get = (query: string) => fresh(event({ path: '/ops/v1/fleet.json', query, headers: auth }));
    stack.emulator.resetRequests();
    const first = JSON.parse((await get('page_size=3')).body) as { upstreamCalls: number; cachedInstances: number };
    const listed = stack.emulator.requests.filter((q) => q.method === 'GET').length;
    expect(first.upstreamCalls).toBe(listed);
    expect(listed).toBeGreaterThanOrEqual(3);
    expect(listed).toBeLessThanOrEqual(6);
    const again = JSON.parse((await get('page_size=3')).body) as { upstreamCalls: number; cachedInstances: number };
    expect(again).toMatchObject({ upstreamCalls: 0, cachedInstances: 3 });
    expect(stack.emulator.requests.filter((q) => q.method === 'GET').length).toBe(listed);
  });

  it('with authRequired false (the gateway authenticates): no session needed, changes still same-site', async () => {
    const doc = JSON.parse(stack.env.DMS_TASKS_CONFIG ?? '{}') as { http: Record<string, unknown> };
    doc.http.authRequired = false;
    const env = { ...stack.env, DMS_TASKS_CONFIG: JSON.stringify(doc) };
    const open = functionsFor({ env, store: stack.store, log: () => {} }).ops();
    const page = await open(event({ path: '/ops/v1/fleet' }));
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('kafka-orders');
    const post = (headers: Record<string, string>) =>
      open(event({ method: 'POST', path: '/ops/v1/fleet/silences', headers, form: silenceForm }));
    expect((await post({ origin: 'https://evil.example' })).statusCode).toBe(403);
    expect((await post(SAME_ORIGIN)).statusCode).toBe(303);
  });

  it('answers an unknown route with 404 and a wrong method with 405', async () => {
    expect((await call({ path: '/ops/v1/fleet/nope' })).statusCode).toBe(404);
    const r = await call({ method: 'DELETE', path: '/ops/v1/fleet' });
    expect(r.statusCode).toBe(405);
    expect(r.headers.Allow).toBe('GET');
  });
});

/** Issue 20 item 5: sessions that end, expiry always enforced, sign-in attempts limited. */
describe('fleet page sessions', () => {
  const fleetOf = async (cookie: string, h: HttpHandler = handler): Promise<HttpResponse> =>
    call({ path: '/ops/v1/fleet', cookies: [cookie] }, h);
  const signedIn = (r: HttpResponse): boolean => r.statusCode === 200 && r.body.includes('kafka-orders');

  it("the issue's example: after sign-out the old cookie no longer works, on this instance or another", async () => {
    const other = functionsFor({ env: stack.env, store: stack.store, log: () => {} }).ops();
    const { cookie, csrf } = await signIn();
    expect(signedIn(await fleetOf(cookie))).toBe(true);
    expect(signedIn(await fleetOf(cookie, other))).toBe(true);
    const out = await call(
      { method: 'POST', path: '/ops/v1/fleet/logout', headers: SAME_ORIGIN, cookies: [cookie], form: { csrf } },
      other,
    );
    expect(out.statusCode).toBe(303);
    expect(out.headers['Set-Cookie']).toMatch(/^dtf_ops_session=; .*Max-Age=0/);
    for (const h of [handler, other]) {
      const again = await fleetOf(cookie, h);
      expect(again.statusCode).toBe(200);
      expect(again.body).toContain('name="token"');
      expect(again.body).not.toContain('kafka-orders');
      // A change with the old cookie and its CSRF token is refused too, and changes nothing.
      const change = await call(
        {
          method: 'POST',
          path: '/ops/v1/fleet/silences',
          headers: SAME_ORIGIN,
          cookies: [cookie],
          form: { ...silenceForm, csrf },
        },
        h,
      );
      expect(change.statusCode).toBe(401);
    }
  });

  it('a session signed with the token-derived key is refused whatever its expiry, unless it was issued', async () => {
    // Anyone holding a bearer token can derive the key (no OPS_SESSION_KEY here): a forged value must still fail.
    const forger = new SessionSigner(sessionKey(undefined, [PAGE_TOKEN]));
    const now = Date.now();
    const expiries = [now + 60_000, now + 3_600_000, now + 86_400_000, now + 10 * 365 * 86_400_000, 99_999_999_999_000];
    for (const expiry of expiries) {
      const r = await fleetOf(`dtf_ops_session=${forger.issue(expiry)}`);
      expect(signedIn(r), String(expiry)).toBe(false);
    }
    // An issued session re-signed with a later expiry (same nonce): refused too.
    const { cookie } = await signIn();
    const value = cookie.split('=')[1] ?? '';
    const resigned = forger.issue(now + 86_400_000, value.split('.')[2]);
    expect(signedIn(await fleetOf(`dtf_ops_session=${resigned}`))).toBe(false);
    expect(signedIn(await fleetOf(cookie))).toBe(true);
  });

  it('300 wrong tokens from one address: 10 answered 401, then 429 with Retry-After (the right one too)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'signin-'));
    try {
      // One fixed clock for the handler and its store: the buckets do not refill while the test runs.
      const at = Date.now();
      const store = new FileStore(join(dir, 's.json'), { now: () => at });
      const limited = functionsFor({ env: stack.env, store, now: () => at, log: () => {} }).ops();
      const attempt = (token: string, sourceIp: string) =>
        call(
          { method: 'POST', path: '/ops/v1/fleet/session', headers: SAME_ORIGIN, form: { token }, sourceIp },
          limited,
        );
      const statuses = new Map<number, number>();
      let last: HttpResponse | undefined;
      for (let i = 0; i < 300; i++) {
        last = await attempt(`wrong-token-${String(i).padStart(12, '0')}`, '198.51.100.7');
        statuses.set(last.statusCode, (statuses.get(last.statusCode) ?? 0) + 1);
      }
      expect(Object.fromEntries(statuses)).toEqual({ 401: 10, 429: 290 });
      expect(Number(last?.headers['Retry-After'])).toBeGreaterThanOrEqual(29);
      expect(last?.body).toContain('too many sign-in attempts from this address');
      const right = await attempt(PAGE_TOKEN, '198.51.100.7');
      expect(right.statusCode).toBe(429);
      expect(right.headers['Set-Cookie']).toBeUndefined();
      // Another address still signs in; its IPv6 /64 neighbours share its count.
      expect((await attempt(PAGE_TOKEN, '2001:db8:5:6::1')).statusCode).toBe(303);
      for (let i = 2; i < 11; i++) await attempt('x'.repeat(20), `2001:db8:5:6::${i}`);
      expect((await attempt(PAGE_TOKEN, '2001:db8:5:6:ffff::9')).statusCode).toBe(429);
      // Overall: 100 attempts in all (20 so far), then everyone waits, whatever the address.
      const overall = [];
      for (let i = 0; i < 81; i++) overall.push((await attempt('y'.repeat(20), `203.0.113.${i}`)).statusCode);
      expect(overall.filter((x) => x === 401)).toHaveLength(80);
      expect(overall.at(-1)).toBe(429);
      const everyone = await attempt(PAGE_TOKEN, '192.0.2.1');
      expect(everyone.statusCode).toBe(429);
      expect(everyone.body).toContain('from everyone');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('fleet page after an upstream throttle (issue 20 item 6)', () => {
  it('the task view answers 429 with the remaining Retry-After, without calling upstream again', async () => {
    // A fresh instance: its request budget is its own, the other tests' instance is not slowed.
    const warm = functionsFor({ env: stack.env, store: stack.store, log: () => {} }).ops();
    const { cookie } = await signIn();
    const path = `/ops/v1/fleet/tasks/${SEED_IDS.mainProject}/${SEED_IDS.rabbitmq}/${stack.xssTaskId}`;
    stack.emulator.injectFault({ kind: 'status', status: 429, retryAfter: 45, count: 1 });
    const first = await call({ path, cookies: [cookie] }, warm);
    expect(first.statusCode).toBe(429);
    const calls = stack.emulator.requests.length;
    const again = await call({ path, cookies: [cookie] }, warm);
    expect(again.statusCode).toBe(429);
    expect(again.headers['Content-Type']).toMatch(/^text\/html/);
    expect(Number(again.headers['Retry-After'])).toBeGreaterThanOrEqual(40);
    expect(Number(again.headers['Retry-After'])).toBeLessThanOrEqual(45);
    expect(again.body).toContain('no upstream call was made');
    expect(stack.emulator.requests.length).toBe(calls);
  });
});
