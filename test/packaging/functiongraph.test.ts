import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { Redis } from 'ioredis';
import { load } from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ESBUILD_OPTIONS, FUNCTIONS, type FunctionName } from '../../build/bundleOptions';
import { PROJECT_ROOT } from '../../dev/projectCopy';
import { startEmulator, type Emulator } from '../../dev/emulator';
import { FUNCTIONGRAPH_ENTRY_FILE, FUNCTIONGRAPH_HANDLER, functiongraphZipName } from '../../build/functiongraphLayout';
import { ensureFunctionGraphNode, FUNCTIONGRAPH_NODE_VERSION } from '../../dev/pinnedNode';
import type { FunctionGraphContextInput, FunctionGraphResult } from '../../dev/functiongraphRunTypes';
import { invokeFunctionGraphPackage, type InvokeResult } from '../../dev/invokeFunctionGraphPackage';
import { buildLocalConfig } from '../../dev/localConfig';
import { packageFunctionGraph, type FunctionGraphArtifact } from '../../build/packageFunctionGraph';
import { readZip, type ZipEntry } from '../../dev/readZip';
import { startRedisServer, type RedisServer } from '../../dev/redisServer';
import { startSink, type Sink } from '../../dev/sink';
import { packagedConfigFileFor } from '../../lib/config/readConfigDocument';
import { redisCompanionOf } from '../../lib/state/loadIoredis';
import { fgEvent, K, LIST_PATH, P } from '../support/events';

/**
 * `npm run package:functiongraph`'s zips, unpacked outside the repository (no node_modules above them)
 * and run under Node.js 20.15 (FunctionGraph's runtime) with FunctionGraph APIG and TIMER events and
 * context objects: against the emulator (DMS and CSMS, signature checks on), a real redis-server
 * (the notifier's store) and the sink. No AK/SK in any child's environment: only the context has them.
 */
const AGENCY = {
  accessKey: 'FGPKGAGENCYAK000001',
  secretKey: 'fg-pkg-agency-sk-SECRET-0123456',
  securityToken: 'fg-pkg-agency-token-SECRET-abcdef',
};
/** The agency's key with a wrong secret: the emulator's signature check must refuse it. */
const WRONG = { ...AGENCY, secretKey: 'fg-pkg-wrong-sk-SECRET-9876543' };
const TOKEN = `fg-pkg-bearer-${randomBytes(12).toString('hex')}`;
const WHSEC = `whsec_${randomBytes(24).toString('base64')}`;
const SECRET_VALUES = [AGENCY.secretKey, AGENCY.securityToken, WRONG.secretKey, TOKEN, WHSEC.slice(6)];
/** Names that would carry a long-lived key (lib/config, the AWS and Huawei SDKs' conventions). */
const KEY_VARIABLES = /(^|_)(AK|SK)$|ACCESS_KEY|SECRET_KEY|SECURITY_TOKEN|SESSION_TOKEN/i;

let node: string;
let artifacts: FunctionGraphArtifact[];
const zips = new Map<FunctionName, ZipEntry[]>();
const unpacked = new Map<FunctionName, string>();
/** `list` packaged with its configuration (`index.config.json`), unpacked. */
let listWithConfig: { entries: ZipEntry[]; dir: string };
let emulator: Emulator;
let redis: RedisServer;
let sink: Sink;
const cleanup: string[] = [];

async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  cleanup.push(dir);
  return dir;
}

/** Unpacks a zip into a fresh folder outside the repository (no node_modules above it). */
async function unpack(fn: string, entries: readonly ZipEntry[]): Promise<string> {
  const dir = await tempDir(`dtf-fg-${fn}-`);
  for (const e of entries) await writeFile(join(dir, basename(e.name)), e.data);
  return dir;
}

beforeAll(async () => {
  emulator = await startEmulator({
    credentials: [
      { accessKeyId: AGENCY.accessKey, secretAccessKey: AGENCY.secretKey, securityToken: AGENCY.securityToken },
    ],
    lockout: false,
  });
  const configFile = join(await tempDir('dtf-fg-config-'), 'fg-config.json');
  await writeFile(configFile, httpConfig());
  const [nodeBin, plain, configured] = await Promise.all([
    ensureFunctionGraphNode(),
    tempDir('dtf-fg-pkg-').then((outDir) => packageFunctionGraph({ outDir, configFile: null })),
    tempDir('dtf-fg-pkg-config-').then((outDir) => packageFunctionGraph({ outDir, functions: ['list'], configFile })),
  ]);
  node = nodeBin;
  artifacts = plain;
  for (const a of artifacts) {
    const entries = readZip(await readFile(a.path));
    zips.set(a.fn, entries);
    unpacked.set(a.fn, await unpack(a.fn, entries));
  }
  const entries = readZip(await readFile(configured[0]?.path ?? ''));
  listWithConfig = { entries, dir: await unpack('list-config', entries) };
  [redis, sink] = await Promise.all([startRedisServer(), startSink({ secrets: { hook: WHSEC } })]);
  const put = (name: string, value: string) =>
    fetch(`${emulator.url}/__emulator/secrets`, {
      method: 'POST',
      body: JSON.stringify({ projectId: P, name, value }),
    });
  for (const [name, value] of [
    ['dtf-api-tokens', TOKEN],
    ['dtf-hook-url', sink.urlFor('webhook', 'hook')],
    ['dtf-hook-secret', WHSEC],
  ] as const) {
    expect((await put(name, value)).status).toBe(201);
  }
}, 600_000);

afterAll(async () => {
  await Promise.all([emulator?.close(), redis?.stop(), sink?.close()]);
  await Promise.all(cleanup.map((d) => rm(d, { recursive: true, force: true })));
});

function context(fn: FunctionName, requestId: string, credentials = AGENCY): FunctionGraphContextInput {
  return { requestId, timeoutMs: 60_000, credentials, functionName: `dtf-${fn}` };
}

/** The configuration a FunctionGraph deployment gives: agency credentials, secrets in CSMS. */
function httpConfig(): string {
  const doc: Record<string, unknown> = {
    ...buildLocalConfig({ endpoint: emulator.url, timeoutMs: 5000 }),
    credentials: { source: 'functiongraph' },
    csms: { endpoint: emulator.url, projectId: P },
  };
  (doc.http as Record<string, unknown>).tokens = [{ csms: 'dtf-api-tokens' }];
  return JSON.stringify(doc);
}

/** Ran on Node.js 20.15 with exactly the environment given, no key variable in it, nothing secret printed. */
function expectNoKeys(run: InvokeResult, envKeys: readonly string[]): void {
  expect(run.node).toBe(`v${FUNCTIONGRAPH_NODE_VERSION}`);
  expect(run.envKeys).toEqual(envKeys);
  expect(run.envKeys.filter((k) => KEY_VARIABLES.test(k))).toEqual([]);
  const printed = run.stdout + run.stderr + JSON.stringify(run.results);
  for (const s of SECRET_VALUES) expect(printed, `leaked ${s.slice(0, 8)}...`).not.toContain(s);
}

interface Response {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: string;
  readonly isBase64Encoded: boolean;
}

function response(r: FunctionGraphResult | undefined): Response & { json: Record<string, unknown> } {
  if (!r?.ok) throw new Error(`the handler failed: ${JSON.stringify(r)}`);
  const res = r.value as Response;
  const text = res.isBase64Encoded ? Buffer.from(res.body, 'base64').toString('utf8') : res.body;
  return { ...res, json: JSON.parse(text) as Record<string, unknown> };
}

describe('the FunctionGraph packages', () => {
  it.each(FUNCTIONS)('%s.zip holds index.js at its root, and the companion only for notifier and ops', (fn) => {
    const names = (zips.get(fn) ?? []).map((e) => e.name);
    const companion = redisCompanionOf(fn);
    expect(names).toEqual([FUNCTIONGRAPH_ENTRY_FILE, ...companion]);
    expect(names.some((n) => n.includes('node_modules') || n.includes('/'))).toBe(false);
    expect(FUNCTIONGRAPH_HANDLER).toBe(`${FUNCTIONGRAPH_ENTRY_FILE.replace(/\.js$/, '')}.handler`);
    const artifact = artifacts.find((a) => a.fn === fn);
    expect(basename(artifact?.path ?? '')).toBe(functiongraphZipName(fn));
    const js = zips.get(fn)?.[0]?.data.toString('utf8') ?? '';
    // ioredis only in the companion; the AWS SDK (absent on FunctionGraph) and the Huawei SDK nowhere.
    expect(js).not.toMatch(/denque|cluster-key-slot|huaweicloud-sdk|smithy-client/);
    console.log(`${functiongraphZipName(fn)}: ${artifact?.bytes} B`);
  });

  it('packages a checked configuration as index.config.json beside index.js', async () => {
    expect(listWithConfig.entries.map((e) => e.name)).toEqual([
      FUNCTIONGRAPH_ENTRY_FILE,
      packagedConfigFileFor(FUNCTIONGRAPH_ENTRY_FILE),
    ]);
    expect(packagedConfigFileFor(FUNCTIONGRAPH_ENTRY_FILE)).toBe('index.config.json');
    expect(JSON.parse(listWithConfig.entries[1]?.data.toString('utf8') ?? '')).toEqual(JSON.parse(httpConfig()));
  });

  it('fails on a configuration its functions would refuse, naming the setting, and writes no zip', async () => {
    const dir = await tempDir('dtf-fg-bad-');
    const bad = join(dir, 'bad.json');
    const doc = JSON.parse(httpConfig()) as Record<string, unknown>;
    await writeFile(bad, JSON.stringify({ ...doc, http: { ...(doc.http as object), allowInstances: 'some' } }));
    const outDir = join(dir, 'out');
    await expect(packageFunctionGraph({ outDir, functions: ['list'], configFile: bad })).rejects.toThrow(
      /DMS_TASKS_PACKAGE_CONFIG .*bad\.json: http\.allowInstances/,
    );
    expect(existsSync(outDir)).toBe(false);
  });

  it("bundles with serverless.yml's esbuild options and packages every function it deploys", async () => {
    const doc = load(await readFile(join(PROJECT_ROOT, 'serverless.yml'), 'utf8')) as {
      custom: { esbuild: Record<string, unknown> };
      functions: Record<string, { handler: string }>;
    };
    const { bundle, minify, target, platform, format, external } = doc.custom.esbuild;
    expect({ bundle, minify, target, platform, format, external }).toEqual({
      bundle: ESBUILD_OPTIONS.bundle,
      minify: ESBUILD_OPTIONS.minify,
      target: ESBUILD_OPTIONS.target,
      platform: ESBUILD_OPTIONS.platform,
      format: ESBUILD_OPTIONS.format,
      external: ESBUILD_OPTIONS.external,
    });
    expect(Object.keys(doc.functions).sort()).toEqual([...FUNCTIONS].sort());
    expect(artifacts.map((a) => a.fn)).toEqual([...FUNCTIONS]);
  });

  it('builds the same bytes twice (fixed timestamps), and adds extra files beside index.js', async () => {
    const again = await tempDir('dtf-fg-again-');
    const extra = { name: 'dtf-config.json', data: Buffer.from('{"x":1}') };
    const second = await packageFunctionGraph({
      outDir: again,
      functions: ['list'],
      configFile: null,
      extraFiles: (fn) => (fn === 'list' ? [extra] : []),
    });
    const entries = readZip(await readFile(second[0]?.path ?? ''));
    expect(entries.map((e) => [e.name, e.data.toString('utf8')])).toContainEqual([extra.name, '{"x":1}']);
    expect(entries[0]?.data.equals(zips.get('list')?.[0]?.data ?? Buffer.alloc(0))).toBe(true);
    const plain = await packageFunctionGraph({ outDir: again, functions: ['list'], configFile: null });
    const first = artifacts.find((a) => a.fn === 'list')?.path ?? '';
    expect((await readFile(plain[0]?.path ?? '')).equals(await readFile(first))).toBe(true);
  });
});

describe('under Node.js 20.15 with FunctionGraph events and context', () => {
  it('list and show answer APIG events with the emulator data, signed with the context credentials', async () => {
    emulator.resetRequests();
    const expected = emulator.tasks(P, K).slice(0, 3);
    const bearer = { authorization: `Bearer ${TOKEN}` };
    // The configuration packaged beside index.js: no variable at all in the environment.
    const listRun = await invokeFunctionGraphPackage({
      node,
      dir: listWithConfig.dir,
      env: {},
      invocations: [
        { event: fgEvent({ path: LIST_PATH, query: 'limit=3', headers: bearer }), context: context('list', 'fg-l-1') },
        // Wrong context credentials: the emulator refuses the signature, the function answers 5xx.
        { event: fgEvent({ path: LIST_PATH, headers: bearer }), context: context('list', 'fg-l-2', WRONG) },
        { event: fgEvent({ path: LIST_PATH, query: 'limit=1' }), context: context('list', 'fg-l-3') },
      ],
    });
    expectNoKeys(listRun, []);
    const [ok, refused, anonymous] = listRun.results.map(response);
    expect(ok?.statusCode).toBe(200);
    expect(ok?.headers['X-Dtf-Request-Id'] ?? ok?.headers['x-dtf-request-id']).toBe('fg-l-1');
    const tasks = ok?.json.tasks as { id: string }[];
    expect(tasks.map((t) => t.id)).toEqual(expected.map((t) => t.id));
    expect(ok?.json.task_count).toBe(String(emulator.tasks(P, K).length));
    expect(refused?.statusCode).toBeGreaterThanOrEqual(500);
    expect(anonymous?.statusCode).toBe(401);
    const dms = emulator.requests.filter((r) => r.path.startsWith('/v2/'));
    expect(dms.map((r) => [r.signed, r.status < 300])).toEqual([
      [true, true],
      [false, false],
    ]);
    // The bearer token came from CSMS, read once with the agency's credentials.
    expect(emulator.requests.filter((r) => r.path.startsWith('/v1/')).map((r) => r.signed)).toEqual([true]);

    const target = expected[1] as { id: string; name: string; status: string };
    const showRun = await invokeFunctionGraphPackage({
      node,
      dir: unpacked.get('show') ?? '',
      // The configuration only through the context's getUserData (the FunctionGraph entry copies it).
      env: {},
      invocations: [
        {
          event: fgEvent({ path: `${LIST_PATH}/${target.id}`, headers: bearer }),
          context: { ...context('show', 'fg-s-1'), userData: { DMS_TASKS_CONFIG: httpConfig() } },
        },
      ],
    });
    expectNoKeys(showRun, []);
    const shown = response(showRun.results[0]);
    expect(shown.statusCode).toBe(200);
    // DMS's own show shape: the task alone in `tasks`.
    expect(shown.json).toMatchObject({ task_count: '1', tasks: [{ id: target.id, name: target.name }] });
    expect((shown.json.tasks as { status: string }[])[0]?.status).toBe(target.status);
  });

  it('reads {"env": NAME} references through getUserData: encrypted settings (issue 18 item 7)', async () => {
    const doc = { ...JSON.parse(httpConfig()), http: { tokens: [{ env: 'API_TOKENS' }], allowInstances: 'any' } };
    const bearer = { authorization: `Bearer ${TOKEN}` };
    const run = await invokeFunctionGraphPackage({
      node,
      dir: unpacked.get('list') ?? '',
      // Neither variable in the environment: an encrypted setting reaches the function only as getUserData.
      env: {},
      invocations: [
        {
          event: fgEvent({ path: LIST_PATH, query: 'limit=1', headers: bearer }),
          context: {
            ...context('list', 'fg-enc-1'),
            userData: { DMS_TASKS_CONFIG: JSON.stringify(doc), API_TOKENS: TOKEN },
          },
        },
      ],
    });
    expectNoKeys(run, []);
    expect(response(run.results[0]).statusCode).toBe(200);
  });

  it('the notifier scans on a TIMER event, keeps its state in Redis and delivers to the sink', async () => {
    const instance = emulator.addInstance(P, { name: 'fg-packaged', engine: 'kafka' });
    const failed = emulator.addTask(P, instance.instance_id, { name: 'restartInstance', status: 'FAILED' });
    const doc = {
      endpoint: emulator.url,
      timeoutMs: 5000,
      credentials: { source: 'functiongraph' },
      csms: { endpoint: emulator.url, projectId: P },
      projects: { [P]: { region: 'cn-north-4', instances: [{ id: instance.instance_id, engine: 'kafka' }] } },
      notify: {
        destinations: {
          hook: { type: 'webhook', url: { csms: 'dtf-hook-url' }, secrets: [{ csms: 'dtf-hook-secret' }] },
        },
        store: { type: 'redis', host: redis.host, port: redis.port },
        allowInsecureWebhooks: true,
        baseline: false,
      },
    };
    const timer = (n: number) => ({
      event: {
        version: 'v1.0',
        time: new Date().toISOString(),
        trigger_type: 'TIMER',
        trigger_name: 'dtf-notify-every-5-minutes',
        user_event: '',
      },
      context: context('notify-on-failure', `fg-timer-${n}`),
    });
    const invoke = (n: number, env: Record<string, string>) =>
      invokeFunctionGraphPackage({ node, dir: unpacked.get('notify-on-failure') ?? '', env, invocations: [timer(n)] });
    // FunctionGraph's RUNTIME_USERDATA (the function's variables as one JSON object), then a plain variable.
    const first = await invoke(1, { RUNTIME_USERDATA: JSON.stringify({ DMS_TASKS_CONFIG: JSON.stringify(doc) }) });
    expectNoKeys(first, ['RUNTIME_USERDATA']);
    expect(first.results[0]).toMatchObject({
      ok: true,
      value: { runId: 'fg-timer-1', trigger: 'functiongraph-timer', instancesScanned: 1, newFailures: 1, sent: 1 },
    });
    expect(sink.accepted.map((r) => [r.type, r.name, r.verified])).toEqual([['webhook', 'hook', true]]);
    expect(JSON.stringify(sink.accepted[0]?.body)).toContain(failed.id);
    const client = new Redis({ host: redis.host, port: redis.port, lazyConnect: true });
    await client.connect();
    expect((await client.keys('{dtf:}*')).length).toBeGreaterThan(0);
    await client.quit();
    // A second cold start: the state lives in redis-server, so nothing is sent twice.
    const second = await invoke(2, { DMS_TASKS_CONFIG: JSON.stringify(doc) });
    expectNoKeys(second, ['DMS_TASKS_CONFIG']);
    expect(second.results[0]).toMatchObject({ ok: true, value: { runId: 'fg-timer-2', newFailures: 0, sent: 0 } });
    expect(sink.accepted).toHaveLength(1);
    // The operator API reads the same Redis state through its own companion: the delivered notice.
    const opsDoc = { ...doc, http: { authRequired: false } };
    const history = await invokeFunctionGraphPackage({
      node,
      dir: unpacked.get('ops') ?? '',
      env: { DMS_TASKS_CONFIG: JSON.stringify(opsDoc) },
      invocations: [
        { event: fgEvent({ path: '/ops/v1/history', pathParameters: {} }), context: context('ops', 'fg-ops') },
      ],
    });
    const result = history.results[0];
    const answer = result?.ok ? (result.value as { statusCode: number; body: string }) : undefined;
    expect(answer?.statusCode, answer?.body).toBe(200);
    const items = (JSON.parse(answer?.body ?? '{}') as { items: { state: string; task: { id: string } }[] }).items;
    expect(items.map((i) => [i.task.id, i.state])).toEqual([[failed.id, 'delivered']]);
  });
});
