/** What `invokeFunctionGraphPackage` hands its runner (dev/functiongraphRunner.ts) and gets back. */

/** One invocation's context, as the runner's FunctionGraph-shaped context object serves it. */
export interface FunctionGraphContextInput {
  /** `getRequestID()` */
  readonly requestId: string;
  /** The function's timeout: `getRemainingTimeInMilliSeconds()` counts down from it. */
  readonly timeoutMs: number;
  /** The agency's temporary credentials (`getSecurityAccessKey()`, ...); absent: empty strings. */
  readonly credentials?: { readonly accessKey: string; readonly secretKey: string; readonly securityToken: string };
  /** `getFunctionName()` */
  readonly functionName: string;
  /** `getUserData(key)`: the function's configured variables. */
  readonly userData?: Readonly<Record<string, string>>;
}

export interface FunctionGraphInvocation {
  readonly event: unknown;
  readonly context: FunctionGraphContextInput;
}

export interface FunctionGraphRunInput {
  readonly invocations: readonly FunctionGraphInvocation[];
}

export type FunctionGraphResult =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly error: { readonly name: string; readonly message: string } };

export interface FunctionGraphRun {
  /** `process.version` of the child. */
  readonly node: string;
  /** The names of the child's environment variables when it started (before `index.js` loaded). */
  readonly envKeys: readonly string[];
  /** One per invocation; a single failed one when `index.js` did not load. */
  readonly results: readonly FunctionGraphResult[];
}
