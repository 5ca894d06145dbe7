import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ESBUILD_OPTIONS } from '../../bench/bundles';
import { EMULATOR_CREDENTIALS, startEmulator, type Emulator } from '../../dev/emulator';
import { buildLocalConfig } from '../../dev/localConfig';
import { ConfigError, readConfigDocument } from '../../lib/config';
import { packagedConfigFileFor } from '../../lib/config/readConfigDocument';
import { validatePackagedConfig } from '../../build/validatePackagedConfig';
import type { HttpHandler } from '../../lib/tasks';
import type { HttpResponse } from '../../lib/http';
import { LIST_PATH, TOKEN_A, v2Event } from '../support/events';

/**
 * The configuration packaged beside the bundle at build time (`DMS_TASKS_PACKAGE_CONFIG`): checked by
 * the parsers each function runs at cold start, so a bad document fails the build; read by the bundle
 * when no variable is set.
 */
// The plugin is plain CommonJS (the Serverless CLI requires it).
const { configPlugin } = createRequire(__filename)('../../build/configBundlePlugin.js') as {
  configPlugin: (file: string) => import('esbuild').Plugin;
};

let emulator: Emulator;
let dir: string;
beforeAll(async () => {
  emulator = await startEmulator({ lockout: false });
  dir = await mkdtemp(join(tmpdir(), 'dtf-packaged-config-'));
});
afterAll(async () => {
  await emulator.close();
  await rm(dir, { recursive: true, force: true });
});

const good = (): Record<string, unknown> => ({
  ...buildLocalConfig({ endpoint: emulator.url }),
  notify: { destinations: { ops: { type: 'slack', url: { env: 'HOOK_URL' } } } },
});

function errorOf(f: () => void): ConfigError {
  try {
    f();
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('no error');
}

describe('validatePackagedConfig: the parsers of each function, at build time', () => {
  it('accepts a whole document for every function', () => {
    for (const fn of ['list', 'show', 'notify-on-failure', 'ops'])
      validatePackagedConfig(JSON.stringify(good()), fn, {});
  });

  it("checks the http section for list and show only, the notify section for the notifier's", () => {
    const badHttp = { ...good(), http: { allowInstances: 'some' } };
    expect(errorOf(() => validatePackagedConfig(JSON.stringify(badHttp), 'list', {})).path).toBe('http.allowInstances');
    validatePackagedConfig(JSON.stringify(badHttp), 'notify-on-failure', {});
    const badNotify = { ...good(), notify: { destinations: { ops: { type: 'pager' } } } };
    expect(errorOf(() => validatePackagedConfig(JSON.stringify(badNotify), 'notify-on-failure', {})).path).toMatch(
      /^notify\.destinations\.ops/,
    );
    validatePackagedConfig(JSON.stringify(badNotify), 'show', {});
    // A function not known to read only one section is checked by both.
    expect(() => validatePackagedConfig(JSON.stringify(badNotify), 'ops', {})).toThrow(ConfigError);
  });

  it('names the setting of a shared error, and refuses text that is not JSON', () => {
    const doc = { ...good(), pageSize: 500 };
    expect(errorOf(() => validatePackagedConfig(JSON.stringify(doc), 'show', {})).path).toBe('pageSize');
    expect(errorOf(() => validatePackagedConfig('{"projects": ', 'list', {})).path).toBe('DMS_TASKS_PACKAGE_CONFIG');
  });

  it('checks a pointer as a pointer', () => {
    validatePackagedConfig(JSON.stringify({ configFrom: { ssm: '/dtf/config' } }), 'list', {});
    const noProject = { configFrom: { csms: 'dtf-config' }, credentials: { source: 'functiongraph' } };
    expect(errorOf(() => validatePackagedConfig(JSON.stringify(noProject), 'list', {})).path).toBe('csms.projectId');
    const envRef = { configFrom: { env: 'WHOLE_CONFIG' } };
    expect(errorOf(() => validatePackagedConfig(JSON.stringify(envRef), 'list', {})).path).toBe('configFrom');
  });
});

describe('readConfigDocument and the packaged file', () => {
  it('names the file after the bundle, on Lambda and on FunctionGraph', () => {
    expect(packagedConfigFileFor('/var/task/functions/list.js')).toBe('/var/task/functions/list.config.json');
    expect(packagedConfigFileFor('/opt/function/code/index.js')).toBe('/opt/function/code/index.config.json');
  });

  it('reads the packaged file when no variable is set; a variable still wins', async () => {
    const file = join(dir, 'x.config.json');
    await writeFile(file, JSON.stringify({ projects: { a: 'cn-north-4' } }));
    expect(readConfigDocument({}, { packagedFile: file })).toEqual({ projects: { a: 'cn-north-4' } });
    expect(readConfigDocument({ DMS_TASKS_CONFIG: '{"v":1}' }, { packagedFile: file })).toEqual({ v: 1 });
    expect(errorOf(() => readConfigDocument({}, { packagedFile: join(dir, 'none.json') })).path).toBe(
      'DMS_TASKS_CONFIG',
    );
  });
});

describe('the esbuild plugin (serverless.yml and the FunctionGraph packager use it)', () => {
  async function buildList(outdir: string, configFile: string): Promise<void> {
    await build({
      ...ESBUILD_OPTIONS,
      entryPoints: [join(__dirname, '..', '..', 'functions', 'list.ts')],
      outdir,
      plugins: [configPlugin(configFile)],
    });
  }

  it('writes the checked document beside the bundle, and the bundle serves with it and no variable', async () => {
    const out = join(dir, 'good');
    const file = join(dir, 'good.json');
    const text = JSON.stringify(good());
    await writeFile(file, text);
    await buildList(out, file);
    expect(await readFile(join(out, 'list.config.json'), 'utf8')).toBe(text);
    const saved = { ...process.env };
    // The bundle's environment: credentials and tokens only, no configuration variable.
    for (const k of ['DMS_TASKS_CONFIG', 'DMS_TASKS_CONFIG_FILE']) delete process.env[k];
    Object.assign(process.env, {
      CLOUD_SDK_AK: EMULATOR_CREDENTIALS.accessKeyId,
      CLOUD_SDK_SK: EMULATOR_CREDENTIALS.secretAccessKey,
      API_TOKENS: TOKEN_A,
    });
    try {
      const { handler } = createRequire(__filename)(join(out, 'list.js')) as { handler: HttpHandler };
      const headers = { authorization: `Bearer ${TOKEN_A}` };
      const r = (await handler(v2Event({ path: LIST_PATH, query: 'limit=2', headers }), undefined)) as HttpResponse;
      expect(r.statusCode).toBe(200);
      expect((JSON.parse(r.body) as { tasks: unknown[] }).tasks).toHaveLength(2);
    } finally {
      process.env = saved;
    }
  });

  it('fails the build on a bad document, naming the setting, and writes nothing', async () => {
    const out = join(dir, 'bad');
    const file = join(dir, 'bad.json');
    await writeFile(file, JSON.stringify({ ...good(), timeoutMs: 0 }));
    await expect(buildList(out, file)).rejects.toThrow(/DMS_TASKS_PACKAGE_CONFIG .*bad\.json: timeoutMs/);
    await expect(readFile(join(out, 'list.js'))).rejects.toThrow(/ENOENT/);
  });
});
