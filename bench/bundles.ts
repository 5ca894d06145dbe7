import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { ESBUILD_OPTIONS, FUNCTIONS, type FunctionName } from '../build/bundleOptions';
import { packageProject } from '../dev/projectCopy';
import { readZip } from '../dev/readZip';

export { ESBUILD_OPTIONS, FUNCTIONS, type FunctionName };

export const ROOT = resolve(__dirname, '..');

export interface Bundle {
  readonly name: string;
  readonly path: string;
  readonly bytes: number;
}

/**
 * Runs `serverless package` (in a private copy of the project, so nothing is written to the
 * repository) and extracts each function's shipped bundle into `dir`.
 */
export async function packageFunctions(dir: string): Promise<Record<FunctionName, Bundle>> {
  const pkg = join(dir, 'package');
  // No configuration: the bench measures the code, and the config comes at deploy time.
  await packageProject({ outDir: pkg, stage: 'bench', env: { DMS_TASKS_CONFIG_AT_DEPLOY: '1' } });
  const out = {} as Record<FunctionName, Bundle>;
  for (const fn of FUNCTIONS) {
    const entry = readZip(await readFile(join(pkg, `${fn}.zip`))).find((e) => e.name === `functions/${fn}.js`);
    if (!entry) throw new Error(`${fn}.zip holds no functions/${fn}.js`);
    const path = join(dir, 'functions', `${fn}.js`);
    await mkdir(join(dir, 'functions'), { recursive: true });
    await writeFile(path, entry.data);
    out[fn] = { name: fn, path, bytes: entry.data.byteLength };
  }
  return out;
}

/** Bundles one of `bench/fixtures/*.ts` with the same esbuild options as the functions. */
export async function bundleFixture(dir: string, fixture: 'sdkKafkaList' | 'ourList'): Promise<Bundle> {
  const outfile = join(dir, 'fixtures', `${fixture}.js`);
  const result = await build({
    ...ESBUILD_OPTIONS,
    entryPoints: [join(ROOT, 'bench', 'fixtures', `${fixture}.ts`)],
    outfile,
    metafile: true,
  });
  const bytes = Object.values(result.metafile?.outputs ?? {}).reduce((n, o) => n + o.bytes, 0);
  return { name: fixture, path: outfile, bytes };
}
