/**
 * The point of our own signer: a function that signs pulls in a few KB, not the SDK (lodash,
 * moment, 139 KB minified for the signer alone).
 */
import path from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../..');
const MAX_BYTES = 5 * 1024;

async function bundle(entry: string) {
  const result = await build({
    stdin: { contents: entry, resolveDir: ROOT, sourcefile: 'entry.ts', loader: 'ts' },
    bundle: true,
    minify: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const [output] = result.outputFiles;
  if (!output) throw new Error('esbuild wrote no output');
  return { inputs: Object.keys(result.metafile.inputs), bytes: output.contents.byteLength };
}

const HEAVY = /lodash|moment|@huaweicloud/;

describe('bundle of lib/signing', () => {
  it(`minified, under ${MAX_BYTES} bytes, from lib/signing alone (no lodash, moment or @huaweicloud)`, async () => {
    const { inputs, bytes } = await bundle("export * from './lib/signing';");
    for (const input of inputs) expect(input).not.toMatch(HEAVY);
    expect(inputs.filter((input) => input !== 'entry.ts').every((input) => input.startsWith('lib/signing/'))).toBe(
      true,
    );
    expect(inputs).toContain('lib/signing/signRequest.ts');
    expect(bytes).toBeLessThan(MAX_BYTES);
  });

  it('the same checks catch the SDK signer (lodash and moment, far over the limit)', async () => {
    const { inputs, bytes } = await bundle(
      "export { AKSKSigner } from '@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner';",
    );
    expect(inputs.some((input) => /node_modules\/lodash\//.test(input))).toBe(true);
    expect(inputs.some((input) => /node_modules\/moment\//.test(input))).toBe(true);
    expect(bytes).toBeGreaterThan(20 * MAX_BYTES);
  });
});
