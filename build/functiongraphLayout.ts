/**
 * Where `npm run package:functiongraph` puts its artifacts and what FunctionGraph is told about them:
 * the packager, its test and the Terraform module's test (deploy/functiongraph) read the names here.
 */

/** Output folder, relative to the project root. */
export const FUNCTIONGRAPH_OUT_DIR = 'dist/functiongraph';

/** The handler string of every function: `index.js` exporting `handler`. */
export const FUNCTIONGRAPH_HANDLER = 'index.handler';

/** The file inside each zip that exports `handler`. */
export const FUNCTIONGRAPH_ENTRY_FILE = 'index.js';

/** FunctionGraph's runtime name for Node.js 20.15, as `huaweicloud_fgs_function.runtime` takes it. */
export const FUNCTIONGRAPH_RUNTIME = 'Node.js20.15';

/** The zip of one function (`list` -> `list.zip`), inside `FUNCTIONGRAPH_OUT_DIR`. */
export function functiongraphZipName(fn: string): string {
  return `${fn}.zip`;
}
