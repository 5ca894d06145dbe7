import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { type Emulator, type Engine, startEmulator } from '../dev/emulator';
import { localEnvironment, localNotify } from '../dev/localConfig';
import { startSink } from '../dev/sink';
import { createNotifyHandler } from '../lib/notify/createNotifyHandler';
import type { HttpHandler } from '../lib/http/createEdge';
import type { HttpResponse } from '../lib/http/response';
import { createOpsHandler } from '../lib/ops/createOpsHandler';
import { PAGE_BASE } from '../lib/ops/page/constants';
import { FileStore } from '../lib/state/fileStore';
import { repeated, round, spreadText } from './stats';
import type { Row } from './table';

const TOKEN = 'bench-token-0123456789abcdef';
const PROJECTS = ['1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d', '6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b1a'];
const ENGINES: Engine[] = ['kafka', 'rocketmq', 'rabbitmq'];

type ViewAnswer = HttpResponse;

/** The fleet page over many instances, ready to be viewed: the emulator, the notifier's state, a session. */
export interface FleetFixture {
  readonly emulator: Emulator;
  /** A fresh ops handler (an empty listing cache: a cold view). */
  readonly newHandler: () => HttpHandler;
  /** The handler every warm view uses. */
  readonly handler: HttpHandler;
  /** A signed-in GET of `path?query`. */
  readonly view: (handler: HttpHandler, path: string, query?: string) => Promise<ViewAnswer>;
  /** How long the notifier's run over the instances took (ms). */
  readonly notifierMs: number;
  readonly close: () => Promise<void>;
}

/** The event the ops handler gets for one request of the page. */
function pageEvent(path: string, query = '', headers: Record<string, string> = {}, body?: string, method = 'GET') {
  return {
    version: '2.0',
    rawPath: path,
    rawQueryString: query,
    headers: { host: '127.0.0.1:1', ...headers },
    requestContext: { http: { method, path }, requestId: 'bench' },
    isBase64Encoded: false,
    ...(body ? { body } : {}),
  };
}

/**
 * `instances` in two projects and three engines (each with a running and a failed task) behind an
 * emulator answering after `latencyMs`; the notifier run once over them (cursors and outbox records,
 * one webhook destination at the local sink); the ops handler at `requestsPerSecond`, signed in.
 * A sign-in or view answered with anything but 200 throws: a figure of an error page is no figure.
 */
export async function startFleetFixture(options: {
  readonly instances: number;
  readonly latencyMs: number;
  readonly requestsPerSecond?: number;
}): Promise<FleetFixture> {
  const emulator = await startEmulator({ seed: false, latencyMs: options.latencyMs });
  const sink = await startSink();
  const dir = mkdtempSync(join(tmpdir(), 'fleet-bench-'));
  const close = async (): Promise<void> => {
    await emulator.close();
    await sink.close();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const local = localNotify(sink.url);
    for (const [name, secret] of Object.entries(local.secrets)) sink.setSecret(name, secret);
    const projects: Record<string, { region: string; instances: unknown[] }> = {};
    PROJECTS.forEach((p, k) => {
      projects[p] = { region: k === 0 ? 'cn-north-4' : 'cn-east-3', instances: [] };
    });
    for (let i = 0; i < options.instances; i++) {
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
      // @default the shipped budget (20/s)
      ...(options.requestsPerSecond === undefined ? {} : { requestsPerSecond: options.requestsPerSecond }),
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
    const notifierMs = performance.now() - t0;
    const newHandler = (): HttpHandler => createOpsHandler({ env, store, log: () => {} });
    const handler = newHandler();
    const signIn = await handler(
      pageEvent(`${PAGE_BASE}/session`, '', { origin: 'http://127.0.0.1:1' }, `token=${TOKEN}`, 'POST'),
    );
    const cookie = (signIn.headers['Set-Cookie'] ?? '').split(';')[0] ?? '';
    if (!cookie) throw new Error(`sign-in answered ${signIn.statusCode} without a session cookie`);
    const view: FleetFixture['view'] = async (h, path, query = '') => {
      const res = await h(pageEvent(path, query, { cookie }));
      if (res.statusCode !== 200) throw new Error(`${path}?${query} answered ${res.statusCode}, not 200`);
      return res;
    };
    return { emulator, newHandler, handler, view, notifierMs, close };
  } catch (e) {
    await close();
    throw e;
  }
}

/** Target of issue 22 §1: a cold view of a page (25 instances, their listings in parallel) within 2 round trips. */
export const FLEET_VIEW_TARGET_RTTS = 2;

/**
 * The bench row of the fleet page: a cold view (a fresh ops handler: an empty listing cache) of page 1
 * (25 instances, 25 DMS calls) at the shipped budget, the emulator answering after `latencyMs` (the
 * round trip), median of `reps` views against `FLEET_VIEW_TARGET_RTTS` round trips.
 */
export async function fleetViewRow(options: {
  readonly instances: number;
  readonly latencyMs: number;
  readonly reps: number;
}): Promise<{ row: Row; ms: number[]; calls: number[] }> {
  const fixture = await startFleetFixture({ instances: options.instances, latencyMs: options.latencyMs });
  try {
    const ms: number[] = [];
    const calls: number[] = [];
    for (let r = 0; r < options.reps; r++) {
      const h = fixture.newHandler();
      fixture.emulator.resetRequests();
      const started = performance.now();
      await fixture.view(h, PAGE_BASE);
      ms.push(performance.now() - started);
      calls.push(fixture.emulator.requests.length);
    }
    const limit = FLEET_VIEW_TARGET_RTTS * options.latencyMs;
    const r = repeated(ms);
    const row: Row = {
      section: 'interactive',
      metric:
        `fleet page cold view, 25 of ${options.instances} instances ` +
        `(${calls[0] ?? 0} DMS calls, shipped budget) (ms)`,
      ours: round(r.median, 1),
      reference: options.latencyMs,
      ratio: round(r.median / options.latencyMs, 3),
      spread: spreadText(r, 1),
      target: `<= ${FLEET_VIEW_TARGET_RTTS} x ${options.latencyMs} ms round trip`,
      met: r.median <= limit,
    };
    return { row, ms, calls };
  } finally {
    await fixture.close();
  }
}
