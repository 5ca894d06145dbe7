import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dirname } from 'node:path';
import { load } from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLE_BUDGET_BYTES } from '../../bench/budgets';
import { ESBUILD_OPTIONS, FUNCTIONS } from '../../bench/bundles';
import { type Emulator, startEmulator } from '../../dev/emulator';
import { invokeLambdaPackage } from '../../dev/invokeLambdaPackage';
import { buildLocalConfig, localEnvironment } from '../../dev/localConfig';
import { ensureLambdaNode, LAMBDA_NODE_VERSION, LAMBDA_RUNTIME } from '../../dev/pinnedNode';
import { PROJECT_ROOT, packageProject } from '../../dev/projectCopy';
import { readZip, type ZipEntry } from '../../dev/readZip';
import { redisCompanionOf } from '../../lib/state/loadIoredis';
import { auth, K, LIST_PATH, P, TOKEN_A, v2Event } from '../support/events';

/** A whole document for every function, packaged with `DMS_TASKS_PACKAGE_CONFIG`. */
const PACKAGED_TEXT = JSON.stringify({
  projects: { '0a1b2c3d4e5f60718293a4b5c6d7e8f9': { region: 'cn-north-4', instances: [] } },
  http: { tokens: [{ ssm: '/dms-task-functions/ci/tokens' }] },
  notify: { store: { type: 'dynamodb' } },
});

describe('serverless package (offline, no AWS credentials)', () => {
  let out: string;
  const zips = new Map<string, ZipEntry[]>();
  let node: string;

  /** Which of the folders existed before (an `npm start` in the repository leaves `.esbuild/`). */
  const rootHad = new Set<string>();

  beforeAll(async () => {
    for (const dir of ['.esbuild', '.serverless']) if (existsSync(join(PROJECT_ROOT, dir))) rootHad.add(dir);
    out = await mkdtemp(join(tmpdir(), 'dtf-package-out-'));
    // In a private copy of the project: nothing is written to the repository's .esbuild/ or .serverless/.
    // With a configuration to package (checked at build, written beside each bundle).
    await writeFile(join(out, 'packaged.json'), PACKAGED_TEXT);
    [node] = await Promise.all([
      ensureLambdaNode(),
      packageProject({
        outDir: out,
        stage: 'ci',
        timeoutMs: 120_000,
        env: { DMS_TASKS_PACKAGE_CONFIG: join(out, 'packaged.json') },
      }),
    ]);
    for (const fn of FUNCTIONS) zips.set(fn, readZip(await readFile(join(out, `${fn}.zip`))));
  }, 150_000);

  afterAll(async () => {
    if (out) await rm(out, { recursive: true, force: true });
  });

  it('produces exactly one zip per function and a CloudFormation template', async () => {
    const files = (await readdir(out)).sort();
    expect(files.filter((f) => f.endsWith('.zip')).sort()).toEqual(FUNCTIONS.map((f) => `${f}.zip`).sort());
    expect(files).toContain('cloudformation-template-update-stack.json');
  });

  it("schedules notify-on-failure outside the stage local (serverless.yml's notifySchedule param)", async () => {
    const template = JSON.parse(await readFile(join(out, 'cloudformation-template-update-stack.json'), 'utf8')) as {
      Resources: Record<string, { Type: string; Properties?: { State?: string } }>;
    };
    const rules = Object.values(template.Resources).filter((r) => r.Type === 'AWS::Events::Rule');
    expect(rules.map((r) => r.Properties?.State)).toEqual(['ENABLED']);
  });

  it("writes nothing to the repository's .esbuild/ or .serverless/", () => {
    for (const dir of ['.esbuild', '.serverless']) {
      if (!rootHad.has(dir)) expect(existsSync(join(PROJECT_ROOT, dir)), dir).toBe(false);
    }
  });

  it.each(FUNCTIONS)('%s.zip holds only its own minified bundle', async (fn) => {
    const entries = zips.get(fn) ?? [];
    const code = entries.filter((e) => e.name.endsWith('.js'));
    // The notifier and ops also carry ioredis on its own, loaded only for the Redis store (serverless.yml).
    const companions = redisCompanionOf(fn).map((f) => `functions/${f}`);
    expect(code.map((e) => e.name).sort()).toEqual([`functions/${fn}.js`, ...companions].sort());
    const js = code.find((e) => e.name === `functions/${fn}.js`)?.data.toString('utf8') ?? '';
    expect(js).not.toMatch(/denque|cluster-key-slot/); // ioredis is never inside a bundle
    expect(entries.some((e) => e.name.includes('node_modules/'))).toBe(false);
    expect(js).toMatch(/handler/);
    // Neither the official SDK nor its lodash/moment, nor the AWS SDK (provided by the runtime), is shipped.
    expect(js).not.toMatch(/huaweicloud-sdk|lodash|moment\.js|Moment\.js/);
    expect(js).not.toMatch(/smithy-client|@smithy\/core/);
    const others = FUNCTIONS.filter((f) => f !== fn);
    for (const other of others) expect(entries.some((e) => e.name.includes(`functions/${other}.js`))).toBe(false);
    expect((await stat(join(out, `${fn}.zip`))).size).toBeGreaterThan(100);
  });

  it.each(FUNCTIONS)('%s.zip carries the packaged configuration beside its bundle, and no other', (fn) => {
    const configs = (zips.get(fn) ?? []).filter((e) => e.name.endsWith('.config.json'));
    expect(configs.map((e) => e.name)).toEqual([`functions/${fn}.config.json`]);
    expect(configs[0]?.data.toString('utf8')).toBe(PACKAGED_TEXT);
  });

  it('keeps each bundle within its size budget (bench/budgets.ts)', () => {
    const sizes = FUNCTIONS.map((fn) => {
      const bytes = zips.get(fn)?.find((e) => e.name === `functions/${fn}.js`)?.data.byteLength ?? Number.NaN;
      return { fn, bytes, budget: BUNDLE_BUDGET_BYTES[fn] };
    });
    console.log(`bundle sizes (B): ${sizes.map((s) => `${s.fn} ${s.bytes} of ${s.budget}`).join(', ')}`);
    for (const s of sizes) expect(s.bytes, `functions/${s.fn}.js (B)`).toBeLessThanOrEqual(s.budget);
  });

  describe(`under Node.js ${LAMBDA_NODE_VERSION}, the runtime serverless.yml deploys`, () => {
    let emulator: Emulator;
    beforeAll(async () => {
      emulator = await startEmulator({ lockout: false });
    });
    afterAll(async () => {
      await emulator?.close();
    });

    /** A zip's files written under a fresh folder outside the repository (no node_modules above them). */
    async function unpack(fn: string): Promise<string> {
      const dir = await mkdtemp(join(tmpdir(), `dtf-lambda-${fn}-`));
      for (const e of zips.get(fn) ?? []) {
        await mkdir(dirname(join(dir, e.name)), { recursive: true });
        await writeFile(join(dir, e.name), e.data);
      }
      return dir;
    }

    it(`deploys ${LAMBDA_RUNTIME} (supported to 2028-04-30) with an esbuild target to match`, async () => {
      const doc = load(await readFile(join(PROJECT_ROOT, 'serverless.yml'), 'utf8')) as {
        provider: { runtime: string };
        custom: { esbuild: { target: string } };
      };
      expect(doc.provider.runtime).toBe(LAMBDA_RUNTIME);
      const major = LAMBDA_NODE_VERSION.split('.')[0];
      expect(LAMBDA_RUNTIME).toBe(`nodejs${major}.x`);
      expect(doc.custom.esbuild.target).toBe(`node${major}`);
      expect(ESBUILD_OPTIONS.target).toBe(`node${major}`);
    });

    it('list and show answer API Gateway events from their zips, against the emulator', async () => {
      const env = localEnvironment(buildLocalConfig({ endpoint: emulator.url }), [TOKEN_A]);
      const expected = emulator.tasks(P, K).slice(0, 2);
      const dirs = await Promise.all([unpack('list'), unpack('show')]);
      try {
        const [list, show] = await Promise.all([
          invokeLambdaPackage({
            node,
            dir: dirs[0],
            env,
            handlerFile: 'functions/list.js',
            invocations: [
              { event: v2Event({ path: LIST_PATH, query: 'limit=2', headers: auth() }), requestId: 'l-24-1' },
              { event: v2Event({ path: LIST_PATH }), requestId: 'l-24-2' },
            ],
          }),
          invokeLambdaPackage({
            node,
            dir: dirs[1],
            env,
            handlerFile: 'functions/show.js',
            invocations: [
              { event: v2Event({ path: `${LIST_PATH}/${expected[1]?.id}`, headers: auth() }), requestId: 's-24-1' },
            ],
          }),
        ]);
        expect([list.node, show.node]).toEqual([`v${LAMBDA_NODE_VERSION}`, `v${LAMBDA_NODE_VERSION}`]);
        const answer = (r: (typeof list.results)[number] | undefined) => {
          if (!r?.ok) throw new Error(`the handler failed: ${JSON.stringify(r)}`);
          const v = r.value as { statusCode: number; body: string };
          return { status: v.statusCode, json: JSON.parse(v.body) as { tasks?: { id: string }[] } };
        };
        const [ok, anonymous] = list.results.map(answer);
        expect(ok?.status).toBe(200);
        expect(ok?.json.tasks?.map((t) => t.id)).toEqual(expected.map((t) => t.id));
        expect(anonymous?.status).toBe(401);
        const shown = answer(show.results[0]);
        expect(shown.status).toBe(200);
        expect(shown.json.tasks?.map((t) => t.id)).toEqual([expected[1]?.id]);
      } finally {
        await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
      }
    });

    it('the notifier and ops load from their zips (a bad configuration answers, it does not crash)', async () => {
      for (const [fn, event] of [
        ['notify-on-failure', { source: 'aws.events', 'detail-type': 'Scheduled Event', detail: {} }],
        ['ops', v2Event({ path: '/ops/v1/history', pathParameters: {} })],
      ] as const) {
        const dir = await unpack(fn);
        try {
          const run = await invokeLambdaPackage({
            node,
            dir,
            env: { DMS_TASKS_CONFIG: '{"projects": 1}' },
            handlerFile: `functions/${fn}.js`,
            invocations: [{ event, requestId: `${fn}-24` }],
          });
          expect(run.node).toBe(`v${LAMBDA_NODE_VERSION}`);
          // The bundle loaded and ran on Node 24: the configuration error names the setting.
          expect(JSON.stringify(run.results) + run.stdout + run.stderr, fn).toMatch(/projects/);
        } finally {
          await rm(dir, { recursive: true, force: true });
        }
      }
    });
  });
});
