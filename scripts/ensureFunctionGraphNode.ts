/**
 * `npm test` (pretest) and `.ci/run`: test/packaging/functiongraph.test.ts runs the FunctionGraph
 * packages under Node.js 20.15, FunctionGraph's runtime. Installs it into node_modules/.cache once.
 */
import { ensureFunctionGraphNode, FUNCTIONGRAPH_NODE_VERSION } from '../dev/functiongraphNode';

ensureFunctionGraphNode({ log: (line) => console.log(line) }).then(
  (bin) => console.log(`Node.js ${FUNCTIONGRAPH_NODE_VERSION} for the FunctionGraph packages: ${bin}`),
  (err: unknown) => {
    console.error(`cannot install Node.js ${FUNCTIONGRAPH_NODE_VERSION}: ${err instanceof Error ? err.message : err}`);
    process.exitCode = 1;
  },
);
