import type { InvocationContextLike } from '../runtime/invocationContext';
import type { TokenSet } from './bearerAuth';
import * as ERROR_CODES from './errorCodes';
import { HttpError } from './errors';
import { decodePercent, type NormalizedRequest } from './normalizeEvent';
import type { HttpResponse } from './response';

/** The methods the functions answer. */
export type RouteMethod = 'GET' | 'POST' | 'DELETE';

/** A route's answer and what the request log line says about the upstream calls behind it. */
export interface RouteOutcome {
  readonly response: HttpResponse;
  /** Upstream's `X-Request-Id` of each call made (logged). @default none */
  readonly upstreamRequestIds?: readonly string[];
  /** Pages read upstream (`list` with `all=true`; logged). */
  readonly upstreamPages?: number;
  /** DMS calls made (the fleet page; logged). */
  readonly upstreamCalls?: number;
}

/**
 * One route, declared the same way by every function: method, path template, who checks the caller,
 * and the answer. `S` is what the function's cold start built (configuration, secrets, clients, store).
 *
 * @example
 * const history: Route<OpsRuntime> = { method: 'GET', path: '/ops/v1/history', answer: async (r) => ... };
 */
export interface Route<S> {
  readonly method: RouteMethod;
  /**
   * The path template, `{name}` standing for one non-empty segment. It is matched at the end of the
   * request's path: a gateway stage prefix before it and a trailing slash after it are allowed.
   */
  readonly path: string;
  /**
   * Who checks the caller: `bearer`, the edge checks `Authorization: Bearer` before the route runs
   * (when `http.authRequired`); `route`, the route does (the fleet page's session cookie).
   * @default 'bearer'
   */
  readonly auth?: 'bearer' | 'route';
  /** Answers a request the edge has matched, authenticated (for `bearer`) and read the secrets of. */
  readonly answer: (request: EdgeRequest<S>) => Promise<RouteOutcome>;
  /**
   * How this route renders an error from its parts (the fleet page: an HTML page). @default errorJson
   */
  readonly renderError?: (parts: RenderableError, request: MatchedRequest) => HttpResponse;
}

/** What an error renderer gets: the error's parts and the request id. */
export interface RenderableError {
  readonly status: number;
  readonly message: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly requestId: string;
}

/** A request matched to a route: the path's parameters and the prefix before the template. */
export interface MatchedRequest {
  readonly req: NormalizedRequest;
  /** The path parameters, by template name: the gateway's when it sent them, else decoded from the path. */
  readonly params: ReadonlyMap<string, string>;
  /** What stands before the template in the path (a gateway stage, `''` when none). */
  readonly prefix: string;
}

/** What a route's `answer` is given. */
export interface EdgeRequest<S> extends MatchedRequest {
  /** The raw event (for what the normalised request leaves out, like payload 2.0 `cookies`). */
  readonly event: unknown;
  /** The platform's invocation context, as the handler received it. */
  readonly context: InvocationContextLike | undefined;
  readonly requestId: string;
  /** What the cold start built. */
  readonly services: S;
  /** The accepted bearer tokens; `undefined` when `http.authRequired` is false. */
  readonly tokens: TokenSet | undefined;
  /** Adds values (a secret the route read) to what this request's response and log line redact. */
  readonly redact: (secrets: readonly (string | undefined)[]) => void;
  /** Adds request values that an upstream message must not echo back to the caller (`describeError`). */
  readonly mention: (values: readonly string[]) => void;
}

/**
 * A path segment decoded once (`normalizeEvent` refused a path with bad percent-encoding already);
 * one that does not decode stays as it is, and the route's rule refuses it.
 */
function decodeSegment(s: string): string {
  return decodePercent(s) ?? s;
}

/**
 * Where the template's segments stand at the end of `path` (one trailing slash allowed): the index of
 * the first, or `undefined` when the path does not end with the template. A `{name}` segment stands
 * for any non-empty segment.
 */
function templateAt(template: readonly string[], parts: readonly string[]): number | undefined {
  const start = parts.length - template.length;
  if (start < 0) return undefined;
  const fits = template.every((t, i) => {
    const p = parts[start + i] ?? '';
    return t.startsWith('{') ? p !== '' : t === p;
  });
  return fits ? start : undefined;
}

/** The route a request names, with its parameters. */
export interface RouteMatch<S> extends MatchedRequest {
  readonly route: Route<S>;
  /** Method and path template, as logged (`route` in the log line). */
  readonly name: string;
}

/** Method and path template: how a route is named in the log line and in `openapi/openapi.json`. */
export function routeName(route: Pick<Route<never>, 'method' | 'path'>): string {
  return `${route.method} ${route.path}`;
}

/**
 * The routes of one function, matched in the order declared. A request's path names a route when it
 * ends with the route's template; when no template matches but the gateway sent path parameters the
 * template names (the gateway routed the request, under a path of its own), that route is named.
 * A path no route names is a 404; a path whose routes take other methods is a 405 with `Allow`.
 */
export class RouteTable<S> {
  readonly #routes: readonly Route<S>[];

  constructor(routes: readonly Route<S>[]) {
    this.#routes = routes;
  }

  /** The route of `req`; throws `HttpError` 404 or 405 (nothing has been read yet). */
  match(req: NormalizedRequest): RouteMatch<S> {
    const candidates = this.#byPath(req);
    const hit = candidates.find((c) => c.route.method === req.method);
    if (hit) return hit;
    if (candidates.length === 0)
      throw new HttpError(404, ERROR_CODES.routeNotFound, 'no such route (see openapi/openapi.json)');
    const allow = [...new Set(candidates.map((c) => c.route.method))].join(', ');
    // The method is not echoed: no caller-supplied text in our messages (see `singleQuery`).
    throw new HttpError(405, ERROR_CODES.methodNotAllowed, `this method is not allowed (only ${allow})`, {
      Allow: allow,
    });
  }

  #byPath(req: NormalizedRequest): RouteMatch<S>[] {
    const parts = req.path.split('/');
    if (parts.length > 1 && parts.at(-1) === '') parts.pop();
    const byTemplate: RouteMatch<S>[] = [];
    const byGateway: RouteMatch<S>[] = [];
    for (const route of this.#routes) {
      const template = route.path.split('/').slice(1);
      const start = templateAt(template, parts);
      const params = new Map<string, string>();
      for (const [i, t] of template.entries()) {
        if (!t.startsWith('{')) continue;
        const name = t.slice(1, -1);
        const segment = start === undefined ? undefined : parts[start + i];
        const value = req.pathParameters.get(name) ?? (segment === undefined ? undefined : decodeSegment(segment));
        if (value !== undefined) params.set(name, value);
      }
      const prefix = start === undefined ? '' : parts.slice(0, start).join('/');
      const match = { route, name: routeName(route), req, params, prefix };
      if (start !== undefined) byTemplate.push(match);
      // Routed by the gateway: its path parameters name the route's (only those are read).
      else if (params.size > 0) byGateway.push(match);
    }
    return byTemplate.length > 0 ? byTemplate : byGateway;
  }
}
