import { join } from 'node:path';
import { type InvokeResult, invokePackage, type PackageRunOptions } from './invokePackage';

export type { InvokeResult };

/** One invocation of a Lambda handler: the event and the parts of the context that vary. */
export interface LambdaInvocation {
  readonly event: unknown;
  /** `context.awsRequestId` */
  readonly requestId: string;
  /** The function's timeout: `getRemainingTimeInMillis()` counts down from it. @default 29000 */
  readonly timeoutMs?: number;
}

export interface InvokeLambdaOptions extends PackageRunOptions {
  /** An unpacked `serverless package` zip: the folder holding `functions/<name>.js`. */
  readonly dir: string;
  /** The handler's file inside `dir`, as serverless.yml's `handler` names it (`functions/list.js`). */
  readonly handlerFile: string;
  readonly invocations: readonly LambdaInvocation[];
}

/**
 * Runs an unpacked Lambda zip the way the Node.js runtime calls it: a child `node` process (the
 * runtime's version, `ensureLambdaNode()`) requires the handler file once and awaits
 * `handler(event, context)` per invocation, with a Lambda-shaped context (dev/lambdaRunner.ts).
 */
export function invokeLambdaPackage(options: InvokeLambdaOptions): Promise<InvokeResult> {
  return invokePackage(join(__dirname, 'lambdaRunner.ts'), options, { invocations: options.invocations }, [
    options.handlerFile,
  ]);
}
