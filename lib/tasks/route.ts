import type { CoreProject, HttpAppConfig } from '../config/types';
import type { CallOptions, DmsTaskClient } from '../dms/taskClient';
import type { TaskListBody } from '../dms/types';
import { DEADLINE_MARGIN_MS } from '../http/constants';
import { NotServedError } from '../http/errors';
import * as HEADERS from '../http/headers';
import type { NormalizedRequest } from '../http/normalizeEvent';
import { jsonResponse } from '../http/response';
import type { Route, RouteOutcome } from '../http/routes';
import type { Runtime } from '../runtime/coldStart';
import { remainingTimeOf } from '../runtime/remainingTime';
import type { TaskPath } from './validateRequest';

/** What `list` and `show` build at cold start: the runtime, and how far `all=true` may page. */
export interface TasksServices extends Runtime<HttpAppConfig> {
  /** Pages `all=true` follows before it stops (`list` only). */
  readonly allMaxPages: number;
}

/**
 * What a route needs to answer one validated request (the shared checks have passed: the project and
 * the instance are served here).
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

/** How one task route validates its input and answers it. */
export interface TaskRouteSpec<Input extends TaskPath> {
  /** The path template (the gateway's route). */
  readonly path: string;
  /** Validates the request before any upstream call; throws `ValidationError` (400) or `HttpError`. */
  readonly validate: (req: NormalizedRequest, params: ReadonlyMap<string, string>) => Input;
  /** Calls upstream for a validated request whose project and instance are served. */
  readonly execute: (input: Input, ctx: RouteContext) => Promise<RouteOutcome>;
}

function instanceAllowed(config: HttpAppConfig, project: CoreProject, instanceId: string): boolean {
  const allow = config.http.allowInstances;
  if (allow === 'any') return true;
  if (allow === 'watched') return project.instances.some((i) => i.id === instanceId);
  return allow.includes(instanceId);
}

/**
 * A `GET` route of the task API: the route's own validation, then the checks both routes share
 * (project and instance served here, the deadline from the platform's time left), then the route.
 * Each function imports only its own route, so the bundle of one does not carry the other's code.
 */
export function taskRoute<Input extends TaskPath>(spec: TaskRouteSpec<Input>): Route<TasksServices> {
  return {
    method: 'GET',
    path: spec.path,
    answer: async (r) => {
      const input = spec.validate(r.req, r.params);
      // Upstream messages that echo these are not passed on (errorResponse.ts).
      r.mention(Object.values(input).filter((v): v is string => typeof v === 'string'));
      const { config } = r.services;
      const project = config.projects.get(input.projectId);
      if (!project) throw new NotServedError('project_id');
      if (!instanceAllowed(config, project, input.instanceId)) throw new NotServedError('instance_id');
      // Lambda's or FunctionGraph's time left; none (local runs) leaves the client's own deadline.
      const remaining = remainingTimeOf(r.context)?.();
      const call =
        typeof remaining === 'number' && Number.isFinite(remaining)
          ? { deadline: Date.now() + remaining - DEADLINE_MARGIN_MS }
          : {};
      return spec.execute(input, {
        req: r.req,
        requestId: r.requestId,
        config,
        client: r.services.clientFor(project),
        call,
        allMaxPages: r.services.allMaxPages,
      });
    },
  };
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
