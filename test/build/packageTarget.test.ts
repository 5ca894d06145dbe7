import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { targetProblems } from '../../build/checkTarget';
import { NoConfigurationError, packageFunctionGraph } from '../../build/packageFunctionGraph';
import { validatePackagedConfig } from '../../build/validatePackagedConfig';
import { packageProject } from '../../dev/projectCopy';
import { ConfigError } from '../../lib/config/errors';

/**
 * Packaging checks the target (README, "Deploy on AWS" and "Deploy on Huawei FunctionGraph"): a package
 * with no configuration at all is refused unless told the configuration comes at deploy time, and what
 * the parsers accept but the target cannot run (SSM or the file store on FunctionGraph, the agency's
 * credentials on Lambda) is refused, naming the setting, unless DMS_TASKS_TARGET_CHECK=off.
 */

const ROOT = join(__dirname, '../..');
const P = '0a1b2c3d4e5f60718293a4b5c6d7e8f9';
const example = (name: string): string => readFileSync(join(ROOT, 'examples', name), 'utf8');
const { packageConfigProblem } = require('../../build/serverlessPackageCheck.js') as {
  packageConfigProblem: (fns: readonly string[], env: NodeJS.ProcessEnv) => string | undefined;
};
const FUNCTIONS = ['list', 'show', 'ops', 'notify-on-failure'];

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'dtf-target-'));
  dirs.push(d);
  return d;
}
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

const fgDoc = (notify: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  credentials: { source: 'functiongraph' },
  projects: { [P]: 'cn-north-4' },
  http: { tokens: [{ csms: 'dtf-api-tokens' }] },
  notify,
  ...extra,
});
const REDIS = { type: 'redis', host: '192.168.0.12', password: { csms: 'dtf-dcs-password' } };

describe('what cannot work on FunctionGraph', () => {
  it('names every {"ssm"} reference by its path, for every function', () => {
    const doc = fgDoc(
      { destinations: { hook: { type: 'slack', url: { ssm: '/dtf/slack' } } }, store: REDIS },
      { http: { tokens: [{ csms: 'ok' }, { ssm: '/dtf/tokens' }] } },
    );
    for (const fn of FUNCTIONS) {
      expect(targetProblems(doc, fn, 'functiongraph').map((p) => p.split(': ')[0])).toEqual([
        'http.tokens[1]',
        'notify.destinations.hook.url',
      ]);
    }
  });

  it('refuses a store other than Redis for the notifier and ops (absent means the file store), not for list', () => {
    for (const store of [undefined, { type: 'file' }, { type: 'dynamodb', table: 'dtf-state' }]) {
      const doc = fgDoc(store ? { store } : {});
      expect(targetProblems(doc, 'notify-on-failure', 'functiongraph')).toEqual([
        expect.stringMatching(
          /^notify\.store: .* cannot keep the notifier's state on FunctionGraph: use \{"type": "redis"/,
        ),
      ]);
      expect(targetProblems(doc, 'ops', 'functiongraph')).toHaveLength(1);
      expect(targetProblems(doc, 'list', 'functiongraph')).toEqual([]);
    }
    expect(targetProblems(fgDoc({ store: REDIS }), 'notify-on-failure', 'functiongraph')).toEqual([]);
  });

  it('refuses a pointer to an SSM parameter, and takes a pointer to CSMS as it is', () => {
    const pointer = (from: Record<string, string>) => ({ configFrom: from, credentials: { source: 'functiongraph' } });
    expect(targetProblems(pointer({ ssm: '/dtf/config' }), 'notify-on-failure', 'functiongraph')).toEqual([
      expect.stringMatching(/^configFrom: an \{"ssm": \.\.\.\} reference/),
    ]);
    expect(targetProblems(pointer({ csms: 'dtf-config' }), 'notify-on-failure', 'functiongraph')).toEqual([]);
  });

  it('passes the FunctionGraph example for every function, and refuses the AWS one', () => {
    for (const fn of FUNCTIONS) {
      expect(() =>
        validatePackagedConfig(example('functiongraph-csms-dcs.json'), fn, {}, 'functiongraph'),
      ).not.toThrow();
    }
    expect(() => validatePackagedConfig(example('aws-slack-webhook.json'), 'list', {}, 'functiongraph')).toThrow(
      ConfigError,
    );
  });
});

describe('what cannot work on Lambda', () => {
  it("refuses the FunctionGraph agency's credentials and an explicit file store", () => {
    expect(targetProblems(fgDoc({ store: REDIS }), 'list', 'lambda')).toEqual([
      'credentials.source: "functiongraph" needs a FunctionGraph agency; Lambda has none',
    ]);
    const file = { projects: { [P]: 'cn-north-4' }, notify: { store: { type: 'file' } } };
    expect(targetProblems(file, 'notify-on-failure', 'lambda')).toEqual([
      expect.stringMatching(/^notify\.store: the file store is lost with every Lambda instance/),
    ]);
    expect(targetProblems(file, 'list', 'lambda')).toEqual([]);
  });

  it('passes both AWS examples for every function', () => {
    for (const name of ['aws-slack-webhook.json', 'discovery-smn-pagerduty.json'])
      for (const fn of FUNCTIONS) expect(() => validatePackagedConfig(example(name), fn, {}, 'lambda')).not.toThrow();
  });
});

describe('the error, and the way out', () => {
  it('is a ConfigError naming the first setting, counting the others, saying how to package it anyway', () => {
    const doc = JSON.stringify(fgDoc({ destinations: { a: { type: 'slack', url: { ssm: '/a' } } } }));
    let error: unknown;
    try {
      validatePackagedConfig(doc, 'notify-on-failure', {}, 'functiongraph');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toMatchObject({ path: 'notify.destinations.a.url' });
    expect((error as ConfigError).problem).toMatch(
      /; and 1 more \(notify\.store\) \[DMS_TASKS_TARGET_CHECK=off packages it anyway\]$/,
    );
    expect(() =>
      validatePackagedConfig(doc, 'notify-on-failure', { DMS_TASKS_TARGET_CHECK: 'off' }, 'functiongraph'),
    ).not.toThrow();
  });
});

describe('npm run package:functiongraph (packageFunctionGraph)', () => {
  it('refuses to package no configuration at all, naming the ways to give one, and writes nothing', async () => {
    const outDir = join(await tempDir(), 'out');
    const saved = process.env.DMS_TASKS_PACKAGE_CONFIG;
    delete process.env.DMS_TASKS_PACKAGE_CONFIG;
    try {
      const refused = packageFunctionGraph({ outDir, functions: ['list'] });
      await expect(refused).rejects.toThrow(NoConfigurationError);
      await expect(refused).rejects.toThrow(/DMS_TASKS_PACKAGE_CONFIG=fg-config\.json[\s\S]*--config-at-deploy/);
    } finally {
      if (saved !== undefined) process.env.DMS_TASKS_PACKAGE_CONFIG = saved;
    }
    expect(existsSync(outDir)).toBe(false);
  });

  it('refuses an SSM reference once (one message, not one per function); packages it with the check off', async () => {
    const dir = await tempDir();
    const file = join(dir, 'ssm.json');
    await writeFile(file, example('aws-slack-webhook.json'));
    const outDir = join(dir, 'out');
    await expect(packageFunctionGraph({ outDir, functions: ['list', 'show'], configFile: file })).rejects.toThrow(
      /^DMS_TASKS_PACKAGE_CONFIG .*ssm\.json: credentials\.ak: an \{"ssm": \.\.\.\} reference cannot be read on/,
    );
    expect(existsSync(outDir)).toBe(false);
    const built = await packageFunctionGraph({ outDir, functions: ['list'], configFile: file, targetCheck: false });
    expect(built.map((a) => a.fn)).toEqual(['list']);
  });
});

describe('serverless package (the plugin build/serverlessPackageCheck.js)', () => {
  const ways = /DMS_TASKS_PACKAGE_CONFIG=[\s\S]*DMS_TASKS_CONFIG='[\s\S]*DMS_TASKS_CONFIG_AT_DEPLOY=1/;

  it('names the ways to give a configuration when there is none; an explicit at-deploy passes', () => {
    expect(packageConfigProblem(FUNCTIONS, {})).toMatch(ways);
    expect(packageConfigProblem(FUNCTIONS, { DMS_TASKS_CONFIG_AT_DEPLOY: '1' })).toBeUndefined();
    expect(packageConfigProblem(FUNCTIONS, { DMS_TASKS_PACKAGE_CONFIG: 'prod.json' })).toBeUndefined();
  });

  it("checks DMS_TASKS_CONFIG (serverless.yml puts it in the functions' environment) like a packaged one", () => {
    expect(packageConfigProblem(FUNCTIONS, { DMS_TASKS_CONFIG: example('aws-slack-webhook.json') })).toBeUndefined();
    expect(packageConfigProblem(FUNCTIONS, { DMS_TASKS_CONFIG: '{"projects": ' })).toMatch(
      /^DMS_TASKS_CONFIG: is not valid JSON/,
    );
    expect(packageConfigProblem(FUNCTIONS, { DMS_TASKS_CONFIG: example('functiongraph-csms-dcs.json') })).toMatch(
      /^DMS_TASKS_CONFIG: credentials\.source: "functiongraph" needs a FunctionGraph agency/,
    );
  });

  it('is wired into serverless.yml: `serverless package` with no configuration fails with the ways', async () => {
    const outDir = join(await tempDir(), 'out');
    const failed = await packageProject({
      outDir,
      env: { DMS_TASKS_CONFIG: '', DMS_TASKS_PACKAGE_CONFIG: '', DMS_TASKS_CONFIG_AT_DEPLOY: '' },
      timeoutMs: 60_000,
    }).then(
      () => '',
      (e: unknown) =>
        e && typeof e === 'object' && 'stdout' in e ? `${e.stdout}${'stderr' in e ? e.stderr : ''}` : '',
    );
    expect(failed).toMatch(/no configuration for the functions/);
    expect(failed).toMatch(ways);
    expect(existsSync(outDir)).toBe(false);
  }, 90_000);
});
