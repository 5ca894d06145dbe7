/**
 * The part of an invocation context that tells the time left: AWS Lambda names it
 * `getRemainingTimeInMillis`, Huawei FunctionGraph `getRemainingTimeInMilliSeconds`.
 */
export interface RemainingTimeContext {
  getRemainingTimeInMillis?: () => number;
  getRemainingTimeInMilliSeconds?: () => number;
}

/**
 * A reader of the platform's time left (ms) for this invocation, or `undefined` when the context has
 * none (local runs, tests that pass no context).
 */
export function remainingTimeOf(context: RemainingTimeContext | undefined): (() => number) | undefined {
  const read = context?.getRemainingTimeInMillis ?? context?.getRemainingTimeInMilliSeconds;
  return read ? () => read.call(context) : undefined;
}

/** `remainingTimeOf`, else a budget of `fallbackMs` counted down from now. */
export function remainingTimeOr(context: RemainingTimeContext | undefined, fallbackMs: number): () => number {
  const started = Date.now();
  return remainingTimeOf(context) ?? (() => fallbackMs - (Date.now() - started));
}
