import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build, type Plugin } from 'esbuild';
import { PACKAGED_CONFIG_SUFFIX, packagedConfigFileFor } from '../lib/config/readConfigDocument';
import { redisCompanionOf } from '../lib/state/loadIoredis';
import { ESBUILD_OPTIONS, FUNCTIONGRAPH_ESBUILD_TARGET, FUNCTIONS, type FunctionName } from './bundleOptions';
import { FUNCTIONGRAPH_ENTRY_FILE, functiongraphZipName } from './functiongraphLayout';
import { writeZip, type ZipInput } from './writeZip';

const ROOT = resolve(__dirname, '..');
// serverless.yml's plugins (build/esbuildPlugins.js: the ioredis companion, the packaged config), the
// config one made again here so that its file is an option rather than the variable read at require time.
const { configPlugin } = require('./configBundlePlugin.js') as {
  configPlugin: (file: string | undefined) => Plugin;
};
const CONFIG_PLUGIN = configPlugin(undefined).name;
const SHARED_PLUGINS = (require('./esbuildPlugins.js') as Plugin[]).filter((p) => p.name !== CONFIG_PLUGIN);

export interface FunctionGraphPackageOptions {
  /** Where the zips go (created when missing), e.g. `FUNCTIONGRAPH_OUT_DIR` under the project. */
  readonly outDir: string;
  /** @default every function of `FUNCTIONS` */
  readonly functions?: readonly FunctionName[];
  /**
   * A configuration document to check with each function's parsers and package as `index.config.json`
   * (README, "Configuration from a file or a secret"); `null`: none.
   * @default process.env.DMS_TASKS_PACKAGE_CONFIG
   */
  readonly configFile?: string | null;
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
async function bundle(fn: FunctionName, configFile: string | undefined): Promise<ZipInput[]> {
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
      plugins: [...SHARED_PLUGINS, configPlugin(configFile)],
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
  const bundles = await Promise.all(functions.map((fn) => bundle(fn, configFile || undefined)));
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
