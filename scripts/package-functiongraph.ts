/**
 * `npm run package:functiongraph`: writes dist/functiongraph/<function>.zip for Huawei FunctionGraph
 * (handler `index.handler`, runtime Node.js 20.15; README, "Huawei FunctionGraph") and prints their sizes.
 */
import { join, relative, resolve } from 'node:path';
import { FUNCTIONGRAPH_HANDLER, FUNCTIONGRAPH_OUT_DIR } from '../build/functiongraphLayout';
import { packageFunctionGraph } from '../build/packageFunctionGraph';

const ROOT = resolve(__dirname, '..');
const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`;

async function main(): Promise<void> {
  const artifacts = await packageFunctionGraph({ outDir: join(ROOT, FUNCTIONGRAPH_OUT_DIR) });
  for (const a of artifacts) {
    const files = a.files.map((f) => `${f.name} ${kb(f.bytes)}`).join(', ');
    console.log(`${relative(ROOT, a.path)}  ${kb(a.bytes)} (${a.bytes} B)  [${files}]`);
  }
  console.log(`handler ${FUNCTIONGRAPH_HANDLER} in each; upload with runtime Node.js 20.15`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
