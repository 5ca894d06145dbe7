/**
 * `npm test` (pretest) and `.ci/run`: the packages are run under the platforms' own Node.js versions,
 * Node.js 20.15 for FunctionGraph (test/packaging/functiongraph.test.ts) and Node.js 24 for Lambda's
 * `nodejs24.x` (test/packaging/package.test.ts). Installs each into node_modules/.cache once.
 */
import {
  ensureFunctionGraphNode,
  ensureLambdaNode,
  FUNCTIONGRAPH_NODE_VERSION,
  LAMBDA_NODE_VERSION,
} from '../dev/pinnedNode';

const log = (line: string): void => console.log(line);
const report = (what: string, version: string, p: Promise<string>): Promise<void> =>
  p.then(
    (bin) => console.log(`Node.js ${version} for ${what}: ${bin}`),
    (err: unknown) => {
      console.error(`cannot install Node.js ${version}: ${err instanceof Error ? err.message : err}`);
      process.exitCode = 1;
    },
  );

// One after the other: two npm installs at once on a 2-core machine gain nothing.
report('the FunctionGraph packages', FUNCTIONGRAPH_NODE_VERSION, ensureFunctionGraphNode({ log })).then(() =>
  report('the Lambda bundles', LAMBDA_NODE_VERSION, ensureLambdaNode({ log })),
);
