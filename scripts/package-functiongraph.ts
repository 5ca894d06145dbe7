/**
 * `npm run package:functiongraph`: writes dist/functiongraph/<function>.zip for Huawei FunctionGraph
 * (handler `index.handler`, runtime Node.js 20.15; docs/functiongraph.md) and prints their sizes.
 *
 * The configuration: `DMS_TASKS_PACKAGE_CONFIG=path` packages it, checked with each function's parsers
 * and for FunctionGraph (no `{"ssm"}` references, the Redis store); `-- --config-at-deploy` packages none
 * (the Terraform module's `config` gives it); neither is an error. `-- --no-target-check` (or
 * `DMS_TASKS_TARGET_CHECK=off`) skips the FunctionGraph check.
 */
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { FUNCTIONGRAPH_HANDLER, FUNCTIONGRAPH_OUT_DIR } from '../build/functiongraphLayout';
import { packageFunctionGraph } from '../build/packageFunctionGraph';

const ROOT = resolve(__dirname, '..');
const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    strict: true,
    allowPositionals: false,
    options: {
      'config-at-deploy': { type: 'boolean', default: false },
      'no-target-check': { type: 'boolean', default: false },
    },
  });
  const atDeploy = values['config-at-deploy'] === true;
  const artifacts = await packageFunctionGraph({
    outDir: join(ROOT, FUNCTIONGRAPH_OUT_DIR),
    ...(atDeploy && !process.env.DMS_TASKS_PACKAGE_CONFIG ? { configFile: null } : {}),
    targetCheck: values['no-target-check'] !== true && process.env.DMS_TASKS_TARGET_CHECK !== 'off',
  });
  for (const a of artifacts) {
    const files = a.files.map((f) => `${f.name} ${kb(f.bytes)}`).join(', ');
    console.log(`${relative(ROOT, a.path)}  ${kb(a.bytes)} (${a.bytes} B)  [${files}]`);
  }
  if (atDeploy) console.log('no configuration packaged (--config-at-deploy): give the module its `config`');
  console.log(`handler ${FUNCTIONGRAPH_HANDLER} in each; upload with runtime Node.js 20.15`);
}

main().catch((err: unknown) => {
  console.error(`package:functiongraph: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
