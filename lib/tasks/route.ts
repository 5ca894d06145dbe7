import type { HttpAppConfig } from '../config/types';
import type { CallOptions, DmsTaskClient } from '../dms/taskClient';
import type { TaskListBody } from '../dms/types';
import * as HEADERS from '../http/headers';
import type { NormalizedRequest } from '../http/normalizeEvent';
import { jsonResponse, type HttpResponse } from '../http/response';
import type { TaskPath } from './validateRequest';

/**
 * What a route needs to answer one validated request (the shared core has done everything before the
 * upstream call).
 */
export interface RouteContext {
  readonly req: NormalizedRequest;
  readonly requestId: string;
  readonly config: HttpAppConfig;
  readonly client: DmsTaskClient;
  readonly call: CallOptions;
  /** Pages `all=true` follows before it stops (`list` only). */
  readonly allMaxPages: number;
}

/** A route's answer and what the request log line says about the upstream calls behind it. */
export interface RouteOutcome {
  readonly response: HttpResponse;
  readonly upstreamRequestIds: readonly string[];
  readonly upstreamPages?: number;
}

/**
 * One HTTP route: how its input is validated and how it is answered. Each function imports only its
 * own route, so the bundle of one does not carry the other's code.
 */
export interface HttpRoute<Input extends TaskPath = TaskPath> {
  /** Method and path template, as logged (`route` in the log line). */
  readonly name: string;
  /** Validates the request before any upstream call; throws `ValidationError` (400) or `HttpError`. */
  readonly validate: (req: NormalizedRequest) => Input;
  /** Calls upstream for a validated request whose project and instance are served. */
  readonly execute: (input: Input, ctx: RouteContext) => Promise<RouteOutcome>;
}

/** A 200 with upstream's body and its `X-Request-Id` passed back. */
export function upstreamOk(
  body: TaskListBody,
  upstreamRequestId: string | undefined,
  ctx: RouteContext,
  extra: Record<string, string> = {},
): RouteOutcome {
  const headers = upstreamRequestId ? { [HEADERS.upstreamRequestId]: upstreamRequestId, ...extra } : extra;
  return {
    response: jsonResponse(200, body, ctx.requestId, headers),
    upstreamRequestIds: upstreamRequestId ? [upstreamRequestId] : [],
  };
}
