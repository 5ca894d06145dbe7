import { randomUUID } from 'node:crypto';
import type { HttpConfig } from '../config/types';
import { platformRequestId, safeRequestId, type InvocationContextLike } from '../runtime/invocationContext';
import type { InvocationSecrets } from '../secrets/invocationSecrets';
import { authenticate, resolveTokens } from './bearerAuth';
import { describeError, errorJson } from './errorResponse';
import { normalizeEvent, type NormalizedRequest } from './normalizeEvent';
import { redactResponse, type Redactor } from './redact';
import { consoleSink, type LogSink, type RequestLogLine } from './requestLog';
import type { HttpResponse } from './response';
import { RouteTable, type Route, type RouteMatch, type RouteOutcome } from './routes';

/**
 * The part of the Lambda or FunctionGraph context the handlers use: request id, time left, and on
 * FunctionGraph the agency's credentials (tests may pass less or nothing).
 */
export type ContextLike = InvocationContextLike;

/** What every HTTP function exports as `handler`. */
export type HttpHandler = (event: unknown, context?: ContextLike) => Promise<HttpResponse>;

/** What the edge reads from a function's cold start: the secrets of the invocation and the `http` settings. */
export interface EdgeServices {
  readonly secrets: InvocationSecrets;
  readonly config: { readonly http: HttpConfig };
}

export interface EdgeOptions<S extends EdgeServices> {
  /** The function's routes, matched in this order. */
  readonly routes: readonly Route<S>[];
  /**
   * What the routes use, for this invocation: the function's cold start (`coldStart`), kept while
   * warm. It throws the configuration's error, answered as a generic 500 and logged.
   */
  readonly services: (context: unknown) => Promise<S>;
  /** The redactor until the configured secrets are known (`defaultVariablesRedactor`). */
  readonly redactor: Redactor;
  /** Where the per-request log line goes. @default console.log */
  readonly log?: LogSink;
  /** `route` in the log line of a request no route matched. @default 'unmatched' */
  readonly unmatched?: string;
}

/**
 * Our request id: the platform's (FunctionGraph's `getRequestID()`, Lambda's `awsRequestId`: unique,
 * and in the platform's own log lines), else the gateway's, else a fresh UUID. Only strings of safe
 * characters pass (a context from a direct invocation may hold anything).
 */
function ourRequestId(req: NormalizedRequest | undefined, context: ContextLike | undefined): string {
  return platformRequestId(context) ?? safeRequestId(req?.gatewayRequestId) ?? randomUUID();
}

/**
 * The one HTTP edge of `list`, `show` and `ops` (the operator API and the fleet page): the steps every
 * request takes, once. In order: the request id; the event's shape (`normalizeEvent`); the route
 * (404, 405 with `Allow`, before anything is read); the function's services (configuration at cold
 * start); this invocation's credentials and the bearer tokens (each redacted from this request's
 * response and log line as soon as it is known); the bearer check (routes with `auth: 'bearer'`);
 * the route's answer. Any error becomes its parts (`describeError`), rendered as JSON or by the
 * route (`renderError`). Last, every known secret is redacted from the response and one structured
 * line is logged.
 *
 * @example
 * export const handler = createEdge({ routes: [listRoute], services, redactor, unmatched: LIST_ROUTE });
 */
export function createEdge<S extends EdgeServices>(options: EdgeOptions<S>): HttpHandler {
  const table = new RouteTable(options.routes);
  const log = options.log ?? consoleSink;
  return async (event, context) => {
    const started = Date.now();
    let req: NormalizedRequest | undefined;
    let match: RouteMatch<S> | undefined;
    let redactor = options.redactor;
    let requestId = ourRequestId(undefined, context);
    const mentioned: string[] = [];
    let outcome: RouteOutcome;
    let errorCode: string | undefined;
    let errorDetail: string | undefined;
    try {
      req = normalizeEvent(event);
      requestId = ourRequestId(req, context);
      match = table.match(req);
      const services = await options.services(context);
      const credentials = await services.secrets.begin(context);
      redactor = redactor.with([credentials.accessKeyId, credentials.secretAccessKey, credentials.securityToken]);
      const { http } = services.config;
      const tokens = http.authRequired ? await resolveTokens(http.tokens, services.secrets.options) : undefined;
      redactor = redactor.with(tokens?.plain() ?? []);
      if (tokens && (match.route.auth ?? 'bearer') === 'bearer') authenticate(req.headers.get('authorization'), tokens);
      mentioned.push(...match.params.values());
      outcome = await match.route.answer({
        ...match,
        event,
        context,
        requestId,
        services,
        tokens,
        redact: (secrets) => {
          redactor = redactor.with(secrets);
        },
        mention: (values) => {
          mentioned.push(...values);
        },
      });
    } catch (e) {
      const parts = describeError(e, mentioned);
      errorCode = parts.code;
      errorDetail = parts.logDetail;
      const render = match?.route.renderError;
      outcome = {
        response: render && match ? render({ ...parts, requestId }, match) : errorJson(parts, requestId),
        upstreamRequestIds: parts.upstreamRequestIds,
      };
    }
    const response = redactResponse(outcome.response, redactor);
    // Fields left undefined are absent from the JSON line.
    const line: RequestLogLine = {
      level: response.statusCode >= 500 ? 'error' : 'info',
      msg: 'request',
      route: match?.name ?? options.unmatched ?? 'unmatched',
      method: req ? req.method.slice(0, 16) : '-',
      status: response.statusCode,
      durationMs: Date.now() - started,
      requestId,
      upstreamRequestIds: outcome.upstreamRequestIds ?? [],
      event: req?.kind ?? 'unrecognised',
      gatewayRequestId: safeRequestId(req?.gatewayRequestId),
      errorCode,
      error: errorDetail || undefined,
      upstreamPages: outcome.upstreamPages,
      upstreamCalls: outcome.upstreamCalls,
    };
    log(redactor.redact(JSON.stringify(line)));
    return response;
  };
}
