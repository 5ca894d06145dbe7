import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { ESBUILD_OPTIONS } from '../../build/bundleOptions';

const ROOT = resolve(__dirname, '..', '..');

/** The `lib/` folders a function's bundle is made of (esbuild's metafile, nothing written). */
async function libFolders(fn: string): Promise<Set<string>> {
  const result = await build({
    ...ESBUILD_OPTIONS,
    minify: false,
    entryPoints: [join(ROOT, 'functions', `${fn}.ts`)],
    write: false,
    outdir: join(ROOT, '.bundle-inputs'),
    metafile: true,
  });
  const folders = Object.keys(result.metafile.inputs)
    .filter((path) => path.startsWith('lib/'))
    .map((path) => path.split('/')[1] ?? '');
  return new Set(folders);
}

describe('what the HTTP functions bundle (one cold start, the store injected)', () => {
  it.each(['list', 'show'])('%s carries no store, no notifier and no operator code', async (fn) => {
    const folders = await libFolders(fn);
    expect(folders.has('http') && folders.has('runtime') && folders.has('tasks')).toBe(true);
    for (const absent of ['state', 'notify', 'ops']) expect(folders.has(absent), absent).toBe(false);
  });
});
