import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildLocalConfig, localEnvironment, randomToken } from '../../dev/localConfig';
import { startEmulator, SEED_IDS, type Emulator } from '../../dev/emulator';
import { offlineLineSource } from '../../dev/offlineLog';
import { groupAlive, startOffline, type Offline } from '../../dev/startOffline';

/**
 * End to end: `serverless offline` (serverless-esbuild bundles, the real serverless.yml routes)
 * against the emulator, called with fetch. The process group is killed afterwards.
 */
let emulator: Emulator;
let offline: Offline | undefined;
const token = randomToken();
const P = SEED_IDS.mainProject;
const K = SEED_IDS.kafkaPaged;
/** serverless-offline's output lines, as `npm start` receives them. */
const lines: string[] = [];

beforeAll(async () => {
  emulator = await startEmulator();
  const env = localEnvironment(buildLocalConfig({ endpoint: emulator.url }), [token]);
  offline = await startOffline({ env, readyTimeoutMs: 50_000, isolate: true, onOutput: (line) => lines.push(line) });
}, 60_000);

afterAll(async () => {
  const pid = offline?.pid;
  await offline?.stop();
  await emulator?.close();
  if (pid !== undefined) {
    // The whole group is gone: no orphaned serverless, esbuild or worker.
    expect(groupAlive(pid)).toBe(false);
  }
}, 20_000);

const get = (path: string, auth = true): Promise<Response> =>
  fetch(`${offline?.url}${path}`, { headers: auth ? { Authorization: `Bearer ${token}` } : {} });

describe('serverless offline + emulator', () => {
  it('list: a page with the next-page headers, then the next page', async () => {
    const r = await get(`/v2/${P}/instances/${K}/tasks?offset=0&limit=30`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^application\/json/);
    const body = (await r.json()) as { task_count: string; tasks: { id: string }[] };
    expect(body.task_count).toBe('64');
    expect(body.tasks).toHaveLength(30);
    // start=0 is forwarded as given; the emulator, 1-based like Huawei's code, reads it as the first task.
    expect(emulator.requests.at(-1)?.query).toEqual({ start: '0', limit: '30' });
    expect(r.headers.get('x-next-offset')).toBe('31');
    expect(r.headers.get('x-request-id')).toMatch(/^[0-9a-f]{32}$/);
    expect(r.headers.get('x-dtf-request-id')).toBeTruthy();
    const link = /^<([^>]+)>; rel="next"$/.exec(r.headers.get('link') ?? '')?.[1] ?? '';
    const next = await get(link);
    expect(next.status).toBe(200);
    const page2 = (await next.json()) as { tasks: { id: string }[] };
    expect(page2.tasks).toHaveLength(30);
    expect(page2.tasks.some((t) => body.tasks.some((u) => u.id === t.id))).toBe(false);
  });

  it('list all=true and show', async () => {
    const all = await get(`/v2/${P}/instances/${K}/tasks?all=true`);
    expect(all.status).toBe(200);
    expect(((await all.json()) as { tasks: unknown[] }).tasks).toHaveLength(64);
    expect(all.headers.get('x-dtf-truncated')).toBe('false');
    const t = SEED_IDS.recentFailures[0];
    const show = await get(`/v2/${t.projectId}/instances/${t.instanceId}/tasks/${t.taskId}`);
    expect(show.status).toBe(200);
    expect(await show.json()).toMatchObject({ task_count: '1', tasks: [{ id: t.taskId, status: 'FAILED' }] });
  });

  it('errors are JSON: 401, 400, 404', async () => {
    const noAuth = await get(`/v2/${P}/instances/${K}/tasks`, false);
    expect(noAuth.status).toBe(401);
    expect(noAuth.headers.get('www-authenticate')).toMatch(/^Bearer realm=/);
    expect(await noAuth.json()).toMatchObject({ error_code: 'DTF.00401001' });
    const bad = await get(`/v2/${P}/instances/${K}/tasks?limit=500`);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error_code: 'DTF.00400012' });
    const unknown = await get(`/v2/${P}/instances/${K}/tasks/ff80808200000000000000000000dead`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error_code: 'DMS.00404040' });
  });

  it('other methods reach the function through the gateway: 405 with Allow: GET, no upstream call', async () => {
    const t = SEED_IDS.recentFailures[0];
    emulator.resetRequests();
    for (const [method, path] of [
      ['DELETE', `/v2/${P}/instances/${K}/tasks/${t.taskId}`],
      ['POST', `/v2/${P}/instances/${K}/tasks`],
      ['PUT', `/v2/${P}/instances/${K}/tasks`],
    ] as const) {
      const r = await fetch(`${offline?.url}${path}`, { method, headers: { Authorization: `Bearer ${token}` } });
      expect(r.status, `${method} ${path}`).toBe(405);
      expect(r.headers.get('allow')).toBe('GET');
      expect(await r.json()).toMatchObject({ error_code: 'DTF.00405000' });
    }
    expect(emulator.requests).toHaveLength(0);
  });
});

describe('serverless offline output (what npm start prints)', () => {
  /** The output line that satisfies `match`, waited for up to 5 s (a log line may follow its response). */
  async function lineMatching(match: (line: string) => boolean): Promise<string | undefined> {
    for (let i = 0; i < 100; i++) {
      const found = lines.find(match);
      if (found !== undefined) return found;
      await new Promise((r) => setTimeout(r, 50));
    }
    return undefined;
  }

  it("passes each function's request log line through, recognisably that function's", async () => {
    const t = SEED_IDS.recentFailures[0];
    const show = await get(`/v2/${t.projectId}/instances/${t.instanceId}/tasks/${t.taskId}`);
    const list = await get(`/v2/${P}/instances/${K}/tasks?limit=1`);
    for (const [fn, r] of [
      ['show', show],
      ['list', list],
    ] as const) {
      expect(r.status).toBe(200);
      const id = r.headers.get('x-dtf-request-id') ?? '';
      const line = await lineMatching((l) => l.startsWith('{') && l.includes(`"requestId":"${id}"`));
      expect(line, `${fn} log line with requestId ${id}:\n${lines.join('\n')}`).toBeDefined();
      expect(offlineLineSource(line ?? '')).toBe(fn);
    }
  });

  it('runs in the stage local: the schedule is off, the Lambda port on loopback', () => {
    expect(lines).toContain('Scheduling [notify-on-failure] cron: disabled');
    expect(lines.some((l) => l.includes(`listening on ${offline?.lambdaUrl}`))).toBe(true);
    expect(offline?.lambdaUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });
});
