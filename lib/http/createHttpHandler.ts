import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import { clientOptionsFor, requestBudgetsFor, resolveCredentials } from '../config/clientFor';
import { loadHttpConfig } from '../config/loadHttpConfig';
import { lazyOnce } from '../core/once';
import { remainingTimeOf, type RemainingTimeContext } from '../core/remainingTime';
import type { SsmReader } from '../config/resolveSecret';
import type { CoreProject, HttpAppConfig } from '../config/types';
import type { RequestBudgets } from '../dms/requestBudgets';
import { DmsTaskClient, type DmsClientOptions } from '../dms/taskClient';
import type { Credentials } from '../signing/credentials';
import { authenticate, resolveTokens, type TokenSet } from './bearerAuth';
import * as ERROR_CODES from './errorCodes';
import { DEADLINE_MARGIN_MS, DEFAULT_ALL_MAX_PAGES } from './constants';
import { HttpError, NotServedError } from './errors';
import { toErrorResponse } from './errorResponse';
import { normalizeEvent, type NormalizedRequest } from './normalizeEvent';
import { Redactor } from './redact';
import { consoleSink, type LogSink, type RequestLogLine } from './requestLog';
import type { HttpResponse } from './response';
import type { HttpRoute, RouteOutcome } from './route';
import type { TaskPath } from './validateRequest';

export interface HttpHandlerOptions {
  /** Where configuration, credentials and env token references are read. @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** SSM reader for `{"ssm": ...}` references. @default the AWS SDK's, loaded on first use */
  readonly ssm?: SsmReader;
  /** DMS client overrides (tests: retry timing, fetch). @default none */
  readonly client?: Partial<DmsClientOptions>;
  /** Pages `all=true` follows before it stops and says so. @default DEFAULT_ALL_MAX_PAGES (20) */
  readonly allMaxPages?: number;
  /** Where the per-request log line goes. @default console.log */
  readonly log?: LogSink;
}

/** The part of the Lambda context the handlers use (FunctionGraph and tests may pass less or nothing). */
export type ContextLike = Partial<Pick<Context, 'awsRequestId'>> & RemainingTimeContext;

export type HttpHandler = (event: unknown, context?: ContextLike) => Promise<HttpResponse>;

interface Runtime {
  readonly config: HttpAppConfig;
  readonly credentials: Credentials;
  readonly tokens: TokenSet | undefined;
  readonly redactor: Redactor;
  readonly clients: Map<string, DmsTaskClient>;
  /** One request budget per access key and region, shared by the clients (an `all=true` walk's pages too). */
  readonly budgets: RequestBudgets;
}

const SAFE_REQUEST_ID = /^[A-Za-z0-9._:=+/-]{1,128}$/;

/** A request id fit for a header and a body: a string of safe characters (never a number or an object). */
function safeRequestId(candidate: unknown): string | undefined {
  return typeof candidate === 'string' && SAFE_REQUEST_ID.test(candidate) ? candidate : undefined;
}

/**
 * Our request id: the Lambda request id (unique, and in the platform's own log lines), else the
 * gateway's (FunctionGraph has no `awsRequestId`), else a fresh UUID. Only strings of safe characters
 * pass (a context from a direct invocation may hold anything).
 */
function ourRequestId(req: NormalizedRequest | undefined, context: ContextLike | undefined): string {
  return safeRequestId(context?.awsRequestId) ?? safeRequestId(req?.gatewayRequestId) ?? randomUUID();
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
 * Configuration is read and validated here, once per cold start; secrets (AK/SK, bearer tokens) are
 * resolved on the first request and kept. A configuration error answers every request with a
 * generic 500; its message goes to the log only.
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
  let config: HttpAppConfig | undefined;
  let configError: unknown;
  try {
    config = loadHttpConfig(env);
  } catch (e) {
    configError = e;
  }
  // Until the configured references are known, redact the SDK's default variables.
  const fallbackRedactor = new Redactor([
    env.CLOUD_SDK_AK,
    env.CLOUD_SDK_SK,
    env.CLOUD_SDK_SECURITY_TOKEN,
    ...(env.API_TOKENS ?? '').split(','),
  ]);
  // A transient SSM failure is not kept: the next request tries again.
  const runtime = lazyOnce(async (): Promise<Runtime> => {
    if (!config) throw configError;
    const secretOptions = { env, ssm: options.ssm };
    const [credentials, tokens] = await Promise.all([
      resolveCredentials(config, secretOptions),
      config.http.authRequired ? resolveTokens(config.http.tokens, secretOptions) : undefined,
    ]);
    const redactor = new Redactor([
      credentials.accessKeyId,
      credentials.secretAccessKey,
      credentials.securityToken,
      ...(tokens?.plain() ?? []),
    ]);
    return { config, credentials, tokens, redactor, clients: new Map(), budgets: requestBudgetsFor(config) };
  });

  const clientFor = (rt: Runtime, project: CoreProject): DmsTaskClient => {
    let client = rt.clients.get(project.projectId);
    if (!client) {
      client = new DmsTaskClient(clientOptionsFor(rt.config, project, rt.credentials, options.client, rt.budgets));
      rt.clients.set(project.projectId, client);
    }
    return client;
  };

  const serve = async (
    req: NormalizedRequest,
    requestId: string,
    context: ContextLike | undefined,
    rt: Runtime,
    callerIds: string[],
  ): Promise<RouteOutcome> => {
    // The method is not echoed: no caller-supplied text in our messages (see `singleValues`).
    if (req.method !== 'GET')
      throw new HttpError(405, ERROR_CODES.methodNotAllowed, 'this method is not allowed (only GET)', {
        Allow: 'GET',
      });
    if (rt.tokens) authenticate(req.headers.get('authorization'), rt.tokens);
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
      const rt = await runtime();
      redactor = rt.redactor;
      outcome = await serve(req, requestId, context, rt, callerIds);
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
