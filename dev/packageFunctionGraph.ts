import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build, type Plugin } from 'esbuild';
import { REDIS_COMPANION_FILE } from '../lib/state/loadIoredis';
import { ESBUILD_OPTIONS, FUNCTIONS, type FunctionName } from './bundleOptions';
import { FUNCTIONGRAPH_ENTRY_FILE, functiongraphZipName } from './functiongraphLayout';
import { writeZip, type ZipInput } from './writeZip';

const ROOT = resolve(__dirname, '..');
// The plugin serverless.yml names (custom.esbuild.plugins): builds ioredis beside the notifier.
const REDIS_PLUGINS = require('../lib/state/redisBundlePlugin.js') as Plugin[];

export interface FunctionGraphPackageOptions {
  /** Where the zips go (created when missing), e.g. `FUNCTIONGRAPH_OUT_DIR` under the project. */
  readonly outDir: string;
  /** @default every function of `FUNCTIONS` */
  readonly functions?: readonly FunctionName[];
  /** More files for a function's zip, at its root beside `index.js` (e.g. a validated config file). */
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

/** Bundles `functions/<fn>.ts` the way serverless.yml does, and returns the files of its zip. */
async function bundle(fn: FunctionName): Promise<ZipInput[]> {
  const staging = await mkdtemp(join(tmpdir(), `dtf-fg-${fn}-`));
  try {
    await build({
      ...ESBUILD_OPTIONS,
      entryPoints: [join(ROOT, 'functions', `${fn}.ts`)],
      outdir: staging,
      plugins: REDIS_PLUGINS,
    });
    const built = (await readdir(staging)).sort();
    const expected = [`${fn}.js`, ...(fn === 'notify-on-failure' ? [REDIS_COMPANION_FILE] : [])].sort();
    if (JSON.stringify(built) !== JSON.stringify(expected)) {
      throw new Error(`esbuild wrote ${built.join(', ')} for ${fn}, expected ${expected.join(', ')}`);
    }
    const files: ZipInput[] = [{ name: FUNCTIONGRAPH_ENTRY_FILE, data: await readFile(join(staging, `${fn}.js`)) }];
    if (built.includes(REDIS_COMPANION_FILE)) {
      // loadIoredis.ts looks for it in __dirname, i.e. beside index.js.
      files.push({ name: REDIS_COMPANION_FILE, data: await readFile(join(staging, REDIS_COMPANION_FILE)) });
    }
    return files;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/**
 * `npm run package:functiongraph`: one zip per function in FunctionGraph's layout, `index.js`
 * exporting `handler` (handler string `index.handler`), from the same sources and esbuild options as
 * the Lambda packages; the notifier's zip also holds the ioredis companion. `@aws-sdk/*` stays out
 * (FunctionGraph provides no AWS SDK: only `{"ssm"}` references and the DynamoDB store load it). No
 * `node_modules`. Entries carry fixed timestamps: the same sources give the same bytes.
 */
export async function packageFunctionGraph(options: FunctionGraphPackageOptions): Promise<FunctionGraphArtifact[]> {
  const functions = options.functions ?? FUNCTIONS;
  await mkdir(options.outDir, { recursive: true });
  const bundles = await Promise.all(functions.map(bundle));
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
