import { randomUUID } from 'node:crypto';
import type { RemainingTimeContext } from './remainingTime';
import type { AgencyCredentialsContext } from '../signing/credentials';

/**
 * The parts of an invocation context the functions read, on AWS Lambda (`awsRequestId`,
 * `getRemainingTimeInMillis`) and on Huawei FunctionGraph (`getRequestID`,
 * `getRemainingTimeInMilliSeconds`, the agency's credentials, `getUserData`, read by
 * `functiongraphEntry`). Tests and local runs may pass less.
 */
export type InvocationContextLike = RemainingTimeContext &
  AgencyCredentialsContext & {
    awsRequestId?: string;
    getRequestID?: () => string;
    getUserData?: (key: string) => string | undefined;
  };

const SAFE_REQUEST_ID = /^[A-Za-z0-9._:=+/-]{1,128}$/;

/** A request id fit for a header, a body and a log line: a string of safe characters, else `undefined`. */
export function safeRequestId(candidate: unknown): string | undefined {
  return typeof candidate === 'string' && SAFE_REQUEST_ID.test(candidate) ? candidate : undefined;
}

/**
 * The platform's id of this invocation: FunctionGraph's `getRequestID()`, else Lambda's
 * `awsRequestId` (each in the platform's own log lines), when it is a string of safe characters.
 */
export function platformRequestId(context: InvocationContextLike | undefined): string | undefined {
  const read = context?.getRequestID;
  let fromFunctionGraph: unknown;
  if (typeof read === 'function') {
    try {
      fromFunctionGraph = read.call(context);
    } catch {
      fromFunctionGraph = undefined;
    }
  }
  return safeRequestId(fromFunctionGraph) ?? safeRequestId(context?.awsRequestId);
}

/** `platformRequestId`, else a fresh UUID (local runs, tests). */
export function invocationId(context: InvocationContextLike | undefined): string {
  return platformRequestId(context) ?? randomUUID();
}
