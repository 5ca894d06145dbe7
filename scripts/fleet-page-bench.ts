/**
 * Figures of the fleet page over many watched instances (README, "The fleet page"):
 *
 *   node --import tsx scripts/fleet-page-bench.ts [--instances 1000] [--latency-ms 20] [--runs 15] [--rps 20]
 *
 * Starts the emulator (no seed) with N instances in two projects and three engines, each with one
 * running and one failed task, runs the notifier once against the local sink (no baseline: cursors
 * and outbox records for every instance, one webhook destination), then serves the page through its
 * handler and measures one signed-in page view: HTML size, handler time with a cold and a warm
 * listing cache (median of --runs), the DMS calls each view made (counted by the emulator), a
 * search, and the JSON. Real clock, real HTTP to the emulator, the request budget at `--rps`
 * requests per second (the default 20 is the production one).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startEmulator, type Engine } from '../dev/emulator';
import { localEnvironment, localNotify } from '../dev/localConfig';
import { startSink } from '../dev/sink';
import { createNotifyHandler } from '../lib/notify/createNotifyHandler';
import { createOpsHandler } from '../lib/ops/createOpsHandler';
import { FLEET_JSON_PATH, PAGE_BASE } from '../lib/ops/page/constants';
import { FileStore } from '../lib/state/fileStore';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

const TOKEN = 'bench-token-0123456789abcdef';
const PROJECTS = ['1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d', '6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b1a'];
const ENGINES: Engine[] = ['kafka', 'rocketmq', 'rabbitmq'];

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

async function main(): Promise<void> {
  const n = Number(arg('instances', '1000'));
  const latencyMs = Number(arg('latency-ms', '20'));
  const runs = Number(arg('runs', '15'));
  const rps = Number(arg('rps', '20'));
  const emulator = await startEmulator({ seed: false, latencyMs });
  const sink = await startSink();
  const local = localNotify(sink.url);
  for (const [name, secret] of Object.entries(local.secrets)) sink.setSecret(name, secret);
  const dir = mkdtempSync(join(tmpdir(), 'fleet-bench-'));
  try {
    const projects: Record<string, { region: string; instances: unknown[] }> = {};
    PROJECTS.forEach((p, k) => {
      projects[p] = { region: k === 0 ? 'cn-north-4' : 'cn-east-3', instances: [] };
    });
    for (let i = 0; i < n; i++) {
      const projectId = PROJECTS[i % 2] ?? '';
      const engine = ENGINES[i % 3] ?? 'kafka';
      const name = `${engine}-${String(i).padStart(4, '0')}`;
      const inst = emulator.addInstance(projectId, { name, engine });
      emulator.addTask(projectId, inst.instance_id, { name: 'restartInstance', status: 'EXECUTING' });
      emulator.addTask(projectId, inst.instance_id, { name: 'modifyInstanceSpec', status: 'FAILED' });
      projects[projectId]?.instances.push({ id: inst.instance_id, engine, name });
    }
    const storePath = join(dir, 'state.json');
    const doc = {
      endpoint: emulator.url,
      requestsPerSecond: rps,
      credentials: { ak: { env: 'CLOUD_SDK_AK' }, sk: { env: 'CLOUD_SDK_SK' } },
      projects,
      http: { tokens: [{ env: 'API_TOKENS' }] },
      notify: {
        ...local.notify,
        destinations: {
          hook: {
            type: 'webhook',
            url: { env: 'LOCAL_HOOK_URL' },
            secrets: [{ env: 'LOCAL_HOOK_SECRET' }],
            ratePerMinute: 6000,
          },
        },
        routes: { all: { destinations: ['hook'] } },
        baseline: false,
        store: { type: 'file', path: storePath },
      },
    };
    const env = { ...localEnvironment(doc, [TOKEN]), ...local.env };
    const store = new FileStore(storePath);
    const notifyEnv = { ...env, DMS_TASKS_CONFIG: JSON.stringify({ ...doc, requestsPerSecond: 1000 }) };
    const t0 = performance.now();
    await createNotifyHandler({
      env: notifyEnv,
      store,
      log: (e) => process.env.BENCH_DEBUG && console.log(JSON.stringify(e)),
    })({}, { getRemainingTimeInMillis: () => 600_000 });
    console.log(
      `notifier run over ${n} instances (cursors and outbox records): ${Math.round(performance.now() - t0)} ms`,
    );

    const host = { host: '127.0.0.1:1' };
    const ev = (path: string, query = '', headers: Record<string, string> = {}, body?: string, method = 'GET') => ({
      version: '2.0',
      rawPath: path,
      rawQueryString: query,
      headers: { ...host, ...headers },
      requestContext: { http: { method, path }, requestId: 'bench' },
      isBase64Encoded: false,
      ...(body ? { body } : {}),
    });
    const handler = createOpsHandler({ env, store, log: () => {} });
    const signIn = await handler(
      ev(`${PAGE_BASE}/session`, '', { origin: 'http://127.0.0.1:1' }, `token=${TOKEN}`, 'POST'),
    );
    const cookie = (signIn.headers['Set-Cookie'] ?? '').split(';')[0] ?? '';
    // A figure of an error page is no figure: any answer but 200 stops the benchmark.
    if (!cookie) throw new Error(`sign-in answered ${signIn.statusCode} without a session cookie`);
    const ok = (status: number, what: string): void => {
      if (status !== 200) throw new Error(`${what} answered ${status}, not 200: nothing measured`);
    };
    const view = async (query: string, path = PAGE_BASE) => {
      emulator.resetRequests();
      const started = performance.now();
      const r = await handler(ev(path, query, { cookie }));
      const ms = performance.now() - started;
      ok(r.statusCode, `${path}?${query}`);
      return { ms, bytes: Buffer.byteLength(r.body), status: r.statusCode, calls: emulator.requests.length };
    };
    const rows: string[][] = [['view', 'status', 'bytes', 'median ms', 'DMS calls per view']];
    const measure = async (label: string, query: string, cold: boolean, path?: string): Promise<void> => {
      const times: number[] = [];
      let last = { ms: 0, bytes: 0, status: 0, calls: 0 };
      for (let r = 0; r < runs; r++) {
        // A cold view: a fresh handler (empty listing cache), signed in with the same cookie.
        const h = cold ? createOpsHandler({ env, store, log: () => {} }) : handler;
        emulator.resetRequests();
        const started = performance.now();
        const res = await h(ev(path ?? PAGE_BASE, query, { cookie }));
        times.push(performance.now() - started);
        ok(res.statusCode, label);
        last = { ms: 0, bytes: Buffer.byteLength(res.body), status: res.statusCode, calls: emulator.requests.length };
      }
      rows.push([label, String(last.status), String(last.bytes), median(times).toFixed(1), String(last.calls)]);
    };
    await view('');
    await measure(`page 1 of ${n}, 25 shown, cold cache`, '', true);
    await measure(`page 1 of ${n}, 25 shown, warm cache (30 s)`, '', false);
    await measure(`page 40 of ${n}, cold cache`, 'page=40', true);
    await measure(`search "rocketmq-09", cold cache`, 'q=rocketmq-09', true);
    await measure(`100 per page, cold cache`, 'page_size=100', true);
    await measure(`JSON, page 1, cold cache`, '', true, FLEET_JSON_PATH);
    const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length))) ?? [];
    console.log(
      `\nfleet page, ${n} instances, emulator latency ${latencyMs} ms, ${rps} DMS requests/s, median of ${runs}:`,
    );
    for (const r of rows) console.log(`  ${r.map((v, c) => v.padEnd(widths[c] ?? 0)).join('  ')}`);
  } finally {
    await emulator.close();
    await sink.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
