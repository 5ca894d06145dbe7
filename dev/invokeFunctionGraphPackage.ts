import { join } from 'node:path';
import type { FunctionGraphInvocation } from './functiongraphRunTypes';
import { type InvokeResult, invokePackage, type PackageRunOptions } from './invokePackage';

export type { InvokeResult };

export interface InvokeOptions extends PackageRunOptions {
  /** An unpacked FunctionGraph package: the folder holding `index.js`. */
  readonly dir: string;
  readonly invocations: readonly FunctionGraphInvocation[];
}

/**
 * Runs an unpacked FunctionGraph package the way the platform calls it: a child `node` process
 * loads `index.js` once and awaits `handler(event, context)` per invocation, with a FunctionGraph-
 * shaped context (dev/functiongraphRunner.ts). The child's working directory is the package.
 */
export function invokeFunctionGraphPackage(options: InvokeOptions): Promise<InvokeResult> {
  return invokePackage(join(__dirname, 'functiongraphRunner.ts'), options, { invocations: options.invocations });
}
