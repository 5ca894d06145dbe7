import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, SEED_IDS, type Emulator } from '../../dev/emulator';
import { buildLocalConfig, localEnvironment, localNotify } from '../../dev/localConfig';
import { serveHandler, type ServedHandler } from '../../dev/serveHandler';
import { startSink, type Sink } from '../../dev/sink';
import type { OpsHandlerOptions } from '../../lib/ops/createOpsHandler';
import { NotifierSilences } from '../../lib/ops/page/silences';
import { FileStore } from '../../lib/state/fileStore';
import { functionsFor, type Functions } from '../support/functions';

export const PAGE_TOKEN = 'page-token-0123456789abcdef';

/** A task name and params that try to run script in the page: they must show as text. */
export const XSS_NAME = '<img src=x onerror=alert(1)>';
export const XSS_PARAMS = '{"topic":"</pre><script>alert(2)</script>","n":1}';

export interface PageStack {
  readonly emulator: Emulator;
  readonly sink: Sink;
  readonly store: FileStore;
  readonly env: Record<string, string>;
  readonly logs: string[];
  /** The stack's functions (`functionsFor`): each `ops()` a fresh cold start logging into `logs`. */
  readonly functions: Functions;
  readonly page: ServedHandler;
  /** `{page.url}/ops/v1/fleet`. */
  readonly pageUrl: string;
  /** The id of the silence made before the page was first loaded. */
  readonly seededSilenceId: string;
  readonly xssTaskId: string;
  close(): Promise<void>;
}

/**
 * The local stack the page is tested on: the emulator with its seed, the webhook sink (Slack answers
 * 410, so its notifications die), one notifier run without a baseline (the seed failures are queued
 * and delivered or dead), a silence, and the operator function `ops` (which serves the page) behind
 * the node:http adapter.
 */
export async function startPageStack(options: Partial<OpsHandlerOptions> = {}): Promise<PageStack> {
  const dir = mkdtempSync(join(tmpdir(), 'dtf-page-'));
  const emulator = await startEmulator({});
  const xss = emulator.addTask(SEED_IDS.mainProject, SEED_IDS.rabbitmq, {
    name: XSS_NAME,
    status: 'FAILED',
    params: XSS_PARAMS,
  });
  const sink = await startSink();
  const local = localNotify(sink.url);
  for (const [name, secret] of Object.entries(local.secrets)) sink.setSecret(name, secret);
  sink.respond(({ type }) => (type === 'slack' ? { status: 410, body: 'gone' } : undefined));
  const storePath = join(dir, 'state.json');
  const notify = { ...local.notify, baseline: false, store: { type: 'file', path: storePath } };
  const config = buildLocalConfig({ endpoint: emulator.url, notify });
  const env = { ...localEnvironment(config, [PAGE_TOKEN]), ...local.env };
  const store = new FileStore(storePath);
  const logs: string[] = [];
  const fns = functionsFor({ env, store, log: (l) => logs.push(l), ops: options, notify: { log: () => {} } });
  await fns.notify()({}, { getRemainingTimeInMillis: () => 60_000 });
  const seeded = await new NotifierSilences(store, []).create(
    { instance: 'rabbitmq-billing', minutes: 120, createdBy: 'seed', comment: 'planned resize of billing' },
    Date.now(),
  );
  const page = await serveHandler(fns.ops());
  return {
    emulator,
    sink,
    store,
    env,
    logs,
    functions: fns,
    page,
    pageUrl: `${page.url}/ops/v1/fleet`,
    seededSilenceId: seeded.id,
    xssTaskId: xss.id,
    close: async () => {
      await page.close();
      await sink.close();
      await emulator.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
