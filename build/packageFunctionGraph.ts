import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build, type Plugin } from 'esbuild';
import { PACKAGED_CONFIG_SUFFIX, packagedConfigFileFor } from '../lib/config/readConfigDocument';
import { redisCompanionOf } from '../lib/state/loadIoredis';
import { ESBUILD_OPTIONS, FUNCTIONGRAPH_ESBUILD_TARGET, FUNCTIONS, type FunctionName } from './bundleOptions';
import { FUNCTIONGRAPH_ENTRY_FILE, functiongraphZipName } from './functiongraphLayout';
import { writeZip, type ZipInput } from './writeZip';
import type { PackageTarget } from './checkTarget';
import { ConfigError } from '../lib/config/errors';
import { validatePackagedConfig } from './validatePackagedConfig';

const ROOT = resolve(__dirname, '..');
// serverless.yml's plugins (build/esbuildPlugins.js: the ioredis companion, the packaged config), the
// config one made again here so that its file is an option rather than the variable read at require time.
const { configPlugin } = require('./configBundlePlugin.js') as {
  configPlugin: (file: string | undefined, target?: PackageTarget) => Plugin;
};
const CONFIG_PLUGIN = configPlugin(undefined).name;
const SHARED_PLUGINS = (require('./esbuildPlugins.js') as Plugin[]).filter((p) => p.name !== CONFIG_PLUGIN);

export interface FunctionGraphPackageOptions {
  /** Where the zips go (created when missing), e.g. `FUNCTIONGRAPH_OUT_DIR` under the project. */
  readonly outDir: string;
  /** @default every function of `FUNCTIONS` */
  readonly functions?: readonly FunctionName[];
  /**
   * A configuration document to check with each function's parsers and for FunctionGraph
   * (`checkTarget.ts`), and package as `index.config.json` (docs/configuration-sources.md); `null`:
   * none, the configuration comes at deploy time (the module's `config`). Left out with
   * `DMS_TASKS_PACKAGE_CONFIG` unset: `NoConfigurationError`, naming the ways to give one.
   * @default process.env.DMS_TASKS_PACKAGE_CONFIG
   */
  readonly configFile?: string | null;
  /**
   * Refuse what cannot work on FunctionGraph (`{"ssm"}` references, a store other than Redis);
   * `false` (or `DMS_TASKS_TARGET_CHECK=off`) packages it anyway.
   * @default true
   */
  readonly targetCheck?: boolean;
  /** More files for a function's zip, at its root beside `index.js`. */
  readonly extraFiles?: (fn: FunctionName) => ZipInput[];
}

export interface FunctionGraphArtifact {
  readonly fn: FunctionName;
  /** Absolute path of the zip. */
  readonly path: string;
  /** Size of the zip. */
  readonly bytes: number;
  /** What the zip holds, in order, with the uncompressed sizes. */
  readonly files: readonly { readonly name: string; readonly bytes: number }[];
}

/**
 * The entry of a FunctionGraph bundle: `lib/runtime/functiongraphEntry` around the function's module,
 * which is loaded (and reads its configuration) on the first invocation, once the function's
 * environment is in `process.env`. Named `<fn>.ts` so the plugins know which function it is.
 */
function entrySource(fn: FunctionName): string {
  const entry = JSON.stringify(join(ROOT, 'lib', 'runtime', 'functiongraphEntry'));
  const module = JSON.stringify(join(ROOT, 'functions', fn));
  return [
    `import { functiongraphEntry } from ${entry};`,
    `export const handler = functiongraphEntry(() => require(${module}).handler);`,
    '',
  ].join('\n');
}

/** Bundles one function the way serverless.yml does, behind the FunctionGraph entry; its zip's files. */
async function bundle(fn: FunctionName, configFile: string | undefined, targetCheck: boolean): Promise<ZipInput[]> {
  const staging = await mkdtemp(join(tmpdir(), `dtf-fg-${fn}-`));
  try {
    const source = join(staging, 'src', `${fn}.ts`);
    await mkdir(join(staging, 'src'));
    await writeFile(source, entrySource(fn));
    const out = join(staging, 'out');
    await build({
      ...ESBUILD_OPTIONS,
      target: FUNCTIONGRAPH_ESBUILD_TARGET,
      entryPoints: [source],
      outdir: out,
      plugins: [...SHARED_PLUGINS, configPlugin(configFile, targetCheck ? 'functiongraph' : undefined)],
    });
    const built = (await readdir(out)).sort();
    const config = configFile ? [`${fn}${PACKAGED_CONFIG_SUFFIX}`] : [];
    const companion = redisCompanionOf(fn);
    const expected = [`${fn}.js`, ...companion, ...config].sort();
    if (JSON.stringify(built) !== JSON.stringify(expected)) {
      throw new Error(`esbuild wrote ${built.join(', ')} for ${fn}, expected ${expected.join(', ')}`);
    }
    const file = async (name: string, from: string): Promise<ZipInput> => ({
      name,
      data: await readFile(join(out, from)),
    });
    return [
      await file(FUNCTIONGRAPH_ENTRY_FILE, `${fn}.js`),
      // loadIoredis.ts and readConfigDocument.ts look beside the bundle (__dirname, __filename).
      ...(await Promise.all(companion.map((c) => file(c, c)))),
      ...(await Promise.all(config.map((c) => file(packagedConfigFileFor(FUNCTIONGRAPH_ENTRY_FILE), c)))),
    ];
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/** The document checked for every function (parsers, then FunctionGraph), the first problem thrown as one line. */
function checkOnce(configFile: string, functions: readonly FunctionName[], targetCheck: boolean): void {
  let text: string;
  try {
    text = readFileSync(resolve(configFile), 'utf8');
  } catch (e) {
    throw new Error(`DMS_TASKS_PACKAGE_CONFIG ${configFile}: ${e instanceof Error ? e.message : String(e)}`);
  }
  for (const fn of functions) {
    try {
      validatePackagedConfig(text, fn, process.env, targetCheck ? 'functiongraph' : undefined);
    } catch (e) {
      const where = e instanceof ConfigError ? `${e.path}: ${e.problem}` : e instanceof Error ? e.message : String(e);
      throw new Error(`DMS_TASKS_PACKAGE_CONFIG ${configFile}: ${where}`);
    }
  }
}

/** Packaging with no configuration and no word that it comes at deploy time: every function would fail. */
export class NoConfigurationError extends Error {
  override readonly name = 'NoConfigurationError';
  constructor() {
    super(
      [
        'no configuration for the functions: every one would fail once deployed. Give one of:',
        '  DMS_TASKS_PACKAGE_CONFIG=fg-config.json npm run package:functiongraph   (packaged, checked now)',
        "  npm run package:functiongraph -- --config-at-deploy   (the Terraform module's `config` gives it at apply)",
        'Examples to start from: examples/functiongraph-csms-dcs.json',
      ].join('\n'),
    );
  }
}

/**
 * `npm run package:functiongraph`: one zip per function in FunctionGraph's layout, `index.js`
 * exporting `handler` (handler string `index.handler`), from the same sources, esbuild options and
 * plugins as the Lambda packages; the notifier's zip also holds the ioredis companion, and with a
 * packaged configuration every zip holds `index.config.json`. `@aws-sdk/*` stays out (FunctionGraph
 * provides no AWS SDK: only `{"ssm"}` references and the DynamoDB store load it). No `node_modules`.
 * Entries carry fixed timestamps: the same sources give the same bytes. A configuration that fails
 * its check fails the whole run before any zip is written.
 */
export async function packageFunctionGraph(options: FunctionGraphPackageOptions): Promise<FunctionGraphArtifact[]> {
  const functions = options.functions ?? FUNCTIONS;
  const configFile =
    options.configFile === null ? undefined : (options.configFile ?? process.env.DMS_TASKS_PACKAGE_CONFIG);
  if (options.configFile === undefined && !configFile) throw new NoConfigurationError();
  const targetCheck = options.targetCheck ?? true;
  // Checked once here, so a problem is one message rather than one per function's build.
  if (configFile) checkOnce(configFile, functions, targetCheck);
  const bundles = await Promise.all(functions.map((fn) => bundle(fn, configFile || undefined, targetCheck)));
  await mkdir(options.outDir, { recursive: true });
  const artifacts: FunctionGraphArtifact[] = [];
  for (const [i, fn] of functions.entries()) {
    const files = [...(bundles[i] ?? []), ...(options.extraFiles?.(fn) ?? [])];
    const zip = writeZip(files);
    const path = join(options.outDir, functiongraphZipName(fn));
    await writeFile(path, zip);
    artifacts.push({ fn, path, bytes: zip.length, files: files.map((f) => ({ name: f.name, bytes: f.data.length })) });
  }
  return artifacts;
}
