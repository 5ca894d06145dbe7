import { randomUUID } from 'node:crypto';
import { clientOptionsFor, requestBudgetsFor } from '../runtime/clientFor';
import { platformRequestId, safeRequestId, type InvocationContextLike } from '../runtime/invocationContext';
import { InvocationSecrets } from '../secrets/invocationSecrets';
import { type ConfigLoader, loadConfigWith } from '../runtime/configLoader';
import { parseHttpAppConfig } from '../config/parseHttpConfig';
import { lazyOnce } from '../core/once';
import { remainingTimeOf } from '../runtime/remainingTime';
import type { SsmReader } from '../secrets/resolveSecret';
import type { CoreProject, HttpAppConfig } from '../config/types';
import type { RequestBudgets } from '../dms/requestBudgets';
import { DmsTaskClient, type DmsClientOptions } from '../dms/taskClient';
import { authenticate, resolveTokens, type TokenSet } from '../http/bearerAuth';
import * as ERROR_CODES from '../http/errorCodes';
import { DEADLINE_MARGIN_MS, DEFAULT_ALL_MAX_PAGES } from '../http/constants';
import { HttpError, NotServedError } from '../http/errors';
import { toErrorResponse } from '../http/errorResponse';
import { normalizeEvent, type NormalizedRequest } from '../http/normalizeEvent';
import { defaultVariablesRedactor, type Redactor } from '../http/redact';
import { consoleSink, type LogSink, type RequestLogLine } from '../http/requestLog';
import type { HttpResponse } from '../http/response';
import type { HttpRoute, RouteOutcome } from './route';
import type { TaskPath } from './validateRequest';

export interface HttpHandlerOptions {
  /** Where configuration, credentials and env token references are read. @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** SSM reader for `{"ssm": ...}` references. @default the AWS SDK's, loaded on first use */
  readonly ssm?: SsmReader;
  /** DMS client overrides (tests: retry timing, the transport `send`). @default none */
  readonly client?: Partial<DmsClientOptions>;
  /** Pages `all=true` follows before it stops and says so. @default DEFAULT_ALL_MAX_PAGES (20) */
  readonly allMaxPages?: number;
  /** Where the per-request log line goes. @default console.log */
  readonly log?: LogSink;
  /** The clock of the secrets cache (`secretsCacheSeconds`; tests). @default Date.now */
  readonly now?: () => number;
}

/**
 * The part of the Lambda or FunctionGraph context the handlers use: request id, time left, and on
 * FunctionGraph the agency's credentials (tests may pass less or nothing).
 */
export type ContextLike = InvocationContextLike;

export type HttpHandler = (event: unknown, context?: ContextLike) => Promise<HttpResponse>;

interface Runtime {
  readonly config: HttpAppConfig;
  /** The credentials (current per request) and the cached reads of every other secret. */
  readonly secrets: InvocationSecrets;
  readonly clients: Map<string, DmsTaskClient>;
  /** One request budget per access key and region, shared by the clients (an `all=true` walk's pages too). */
  readonly budgets: RequestBudgets;
}

/**
 * Our request id: the platform's (FunctionGraph's `getRequestID()`, Lambda's `awsRequestId`: unique,
 * and in the platform's own log lines), else the gateway's, else a fresh UUID. Only strings of safe
 * characters pass (a context from a direct invocation may hold anything).
 */
function ourRequestId(req: NormalizedRequest | undefined, context: ContextLike | undefined): string {
  return platformRequestId(context) ?? safeRequestId(req?.gatewayRequestId) ?? randomUUID();
}

/** The response with every known secret redacted, in the body and in every header value. */
function redactResponse(response: HttpResponse, redactor: Redactor): HttpResponse {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(response.headers)) headers[name] = redactor.redact(value);
  return { ...response, headers, body: redactor.redact(response.body) };
}

function instanceAllowed(config: HttpAppConfig, project: CoreProject, instanceId: string): boolean {
  const allow = config.http.allowInstances;
  if (allow === 'any') return true;
  if (allow === 'watched') return project.instances.some((i) => i.id === instanceId);
  return allow.includes(instanceId);
}

/**
 * Builds the handler of one route (`listRoute` or `showRoute`): the checks every route shares
 * (method, bearer token, the route's own validation, project and instance served), then the route.
 * Configuration is read and validated here, once per cold start (a pointer, `configFrom`, on the first
 * invocation). Secrets are read per request: the
 * credentials from the FunctionGraph context (`credentials.source` `"functiongraph"`) or the
 * references, and the bearer tokens, each reference read kept for `secretsCacheSeconds` (a failed
 * read is not kept). A configuration or secret error answers with a generic 500; its message goes
 * to the log only.
 *
 * @example
 * export const handler = createHttpHandler(listRoute);
 */
export function createHttpHandler<Input extends TaskPath>(
  route: HttpRoute<Input>,
  options: HttpHandlerOptions = {},
): HttpHandler {
  const env = options.env ?? process.env;
  const log = options.log ?? consoleSink;
  const allMaxPages = options.allMaxPages ?? DEFAULT_ALL_MAX_PAGES;
  const secretOptions = {
    env,
    ...(options.ssm && { ssm: options.ssm }),
    ...(options.now && { now: options.now }),
  };
  let loader: ConfigLoader<HttpAppConfig> | undefined;
  let configError: unknown;
  try {
    loader = loadConfigWith(parseHttpAppConfig, env, secretOptions);
  } catch (e) {
    configError = e;
  }
  // Until the configured references are known, redact the SDK's default variables.
  const fallbackRedactor = defaultVariablesRedactor(env);
  const runtime = lazyOnce(async (context: unknown): Promise<Runtime> => {
    if (!loader) throw configError;
    const config = await loader.forInvocation(context);
    const secrets = new InvocationSecrets(config, secretOptions);
    return { config, secrets, clients: new Map(), budgets: requestBudgetsFor(config) };
  });

  const clientFor = (rt: Runtime, project: CoreProject): DmsTaskClient => {
    let client = rt.clients.get(project.projectId);
    if (!client) {
      const credentials = rt.secrets.credentials;
      client = new DmsTaskClient(clientOptionsFor(rt.config, project, credentials, options.client, rt.budgets));
      rt.clients.set(project.projectId, client);
    }
    return client;
  };

  const serve = async (
    req: NormalizedRequest,
    requestId: string,
    context: ContextLike | undefined,
    rt: Runtime,
    tokens: TokenSet | undefined,
    callerIds: string[],
  ): Promise<RouteOutcome> => {
    // The method is not echoed: no caller-supplied text in our messages (see `singleQuery`).
    if (req.method !== 'GET')
      throw new HttpError(405, ERROR_CODES.methodNotAllowed, 'this method is not allowed (only GET)', {
        Allow: 'GET',
      });
    if (tokens) authenticate(req.headers.get('authorization'), tokens);
    const input = route.validate(req);
    // Upstream messages that echo these are not passed on (errorResponse.ts).
    callerIds.push(...Object.values(input).filter((v): v is string => typeof v === 'string'));
    const { config } = rt;
    const project = config.projects.get(input.projectId);
    if (!project) throw new NotServedError('project_id');
    if (!instanceAllowed(config, project, input.instanceId)) throw new NotServedError('instance_id');
    // Lambda's or FunctionGraph's time left; none (local runs) leaves the client's own deadline.
    const remaining = remainingTimeOf(context)?.();
    const call =
      typeof remaining === 'number' && Number.isFinite(remaining)
        ? { deadline: Date.now() + remaining - DEADLINE_MARGIN_MS }
        : {};
    return route.execute(input, { req, requestId, config, client: clientFor(rt, project), call, allMaxPages });
  };

  return async (event, context) => {
    const started = Date.now();
    let req: NormalizedRequest | undefined;
    let outcome: RouteOutcome;
    let errorCode: string | undefined;
    let errorDetail: string | undefined;
    let redactor = fallbackRedactor;
    let requestId = ourRequestId(undefined, context);
    const callerIds: string[] = [];
    try {
      req = normalizeEvent(event);
      requestId = ourRequestId(req, context);
      const rt = await runtime(context);
      // This request's credentials first (the context's, or the references'), then the tokens: each
      // is redacted from this request's response and log line as soon as it is known.
      const credentials = await rt.secrets.begin(context);
      redactor = redactor.with([credentials.accessKeyId, credentials.secretAccessKey, credentials.securityToken]);
      const { http } = rt.config;
      const tokens = http.authRequired ? await resolveTokens(http.tokens, rt.secrets.options) : undefined;
      redactor = redactor.with(tokens?.plain() ?? []);
      outcome = await serve(req, requestId, context, rt, tokens, callerIds);
    } catch (e) {
      const mapped = toErrorResponse(e, requestId, callerIds);
      outcome = mapped;
      errorCode = mapped.errorCode;
      errorDetail = mapped.logDetail;
    }
    const response = redactResponse(outcome.response, redactor);
    const gatewayRequestId = req?.gatewayRequestId;
    // Fields left undefined are absent from the JSON line.
    const line: RequestLogLine = {
      level: response.statusCode >= 500 ? 'error' : 'info',
      msg: 'request',
      route: route.name,
      method: req ? req.method.slice(0, 16) : '-',
      status: response.statusCode,
      durationMs: Date.now() - started,
      requestId,
      upstreamRequestIds: outcome.upstreamRequestIds,
      event: req?.kind ?? 'unrecognised',
      gatewayRequestId: safeRequestId(gatewayRequestId),
      errorCode,
      error: errorDetail || undefined,
      upstreamPages: outcome.upstreamPages,
    };
    log(redactor.redact(JSON.stringify(line)));
    return response;
  };
}
