import { randomUUID } from 'node:crypto';
import { type ConfigLoader, loadConfigWith } from '../runtime/configLoader';
import { platformRequestId, safeRequestId } from '../runtime/invocationContext';
import { InvocationSecrets } from '../secrets/invocationSecrets';
import { parseConfig } from '../config/parseConfig';
import { parseHttpAppConfig } from '../config/parseHttpConfig';
import { resolveSecret, type SsmReader } from '../secrets/resolveSecret';
import type { HttpAppConfig } from '../config/types';
import { lazyOnce } from '../core/once';
import { authenticate, resolveTokens } from '../http/bearerAuth';
import type { ContextLike, HttpHandler } from '../tasks/createHttpHandler';
import * as ERROR_CODES from '../http/errorCodes';
import { toErrorResponse } from '../http/errorResponse';
import { HttpError } from '../http/errors';
import { normalizeEvent, type NormalizedRequest } from '../http/normalizeEvent';
import { defaultVariablesRedactor } from '../http/redact';
import { consoleSink, type LogSink, type RequestLogLine } from '../http/requestLog';
import { jsonResponse, type HttpResponse } from '../http/response';
import { parseNotifyConfig } from '../notify/config/parseNotifyConfig';
import type { NotifyConfig } from '../notify/types';
import { createStore } from '../state/createStore';
import type { StateStore } from '../state/types';
import { readHistory, validateHistoryQuery } from './history';
import { singleQuery } from '../http/singleQuery';
import { createFleetPageHandler, type FleetPageOptions } from './page/createFleetPageHandler';
import { isFleetPagePath } from './page/pageRoutes';
import { createSilenceFrom, expireSilenceById, listSilences } from './silencesApi';

export interface OpsHandlerOptions {
  /** @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  readonly ssm?: SsmReader;
  /** A ready store (tests); @default built from `notify.store`, like the notifier's */
  readonly store?: StateStore;
  /** Clock of silences and history (and of the secrets cache). @default Date.now */
  readonly now?: () => number;
  /** Where the per-request log line goes. @default console.log */
  readonly log?: LogSink;
  /** The fleet page's own settings (session lifetime, listing cache, DMS client overrides). @default none */
  readonly page?: Pick<FleetPageOptions, 'sessionSeconds' | 'live' | 'client' | 'sessionKey'>;
}

/** The routes, as logged (`route` in the request log line) and documented in `openapi/openapi.json`. */
export const OPS_ROUTES = {
  history: 'GET /ops/v1/history',
  listSilences: 'GET /ops/v1/silences',
  createSilence: 'POST /ops/v1/silences',
  expireSilence: 'DELETE /ops/v1/silences/{silence_id}',
} as const;

interface Runtime {
  readonly app: HttpAppConfig;
  readonly notify: NotifyConfig;
  readonly secrets: InvocationSecrets;
  readonly store: () => Promise<StateStore>;
}

interface Matched {
  readonly route: string;
  readonly answer: (rt: Runtime, now: number) => Promise<{ status: number; body: unknown }>;
}

const PATH = /(?:^|\/)ops\/v1\/(history|silences)(?:\/([^/]*))?\/?$/;

/** Which route the method and path name; a 404 or a 405 (with `Allow`) otherwise. Nothing is read yet. */
function match(req: NormalizedRequest): Matched {
  const m = PATH.exec(req.path);
  const [, resource, id] = m ?? [];
  const not = (allow: string): never => {
    throw new HttpError(405, ERROR_CODES.methodNotAllowed, `this method is not allowed (only ${allow})`, {
      Allow: allow,
    });
  };
  if (resource === 'history' && id === undefined) {
    if (req.method !== 'GET') not('GET');
    return {
      route: OPS_ROUTES.history,
      answer: async (rt) => ({ status: 200, body: await readHistory(await rt.store(), validateHistoryQuery(req)) }),
    };
  }
  if (resource === 'silences' && id === undefined) {
    if (req.method === 'GET') {
      return {
        route: OPS_ROUTES.listSilences,
        answer: async (rt, now) => {
          singleQuery(req, []);
          return { status: 200, body: await listSilences(await rt.store(), rt.notify, now) };
        },
      };
    }
    if (req.method !== 'POST') not('GET, POST');
    return {
      route: OPS_ROUTES.createSilence,
      answer: async (rt, now) => {
        singleQuery(req, []);
        return { status: 201, body: await createSilenceFrom(req, await rt.store(), now) };
      },
    };
  }
  if (resource === 'silences' && id !== undefined && id !== '') {
    if (req.method !== 'DELETE') not('DELETE');
    const silenceId = req.pathParameters.get('silence_id') ?? decodeURIComponent(id);
    return {
      route: OPS_ROUTES.expireSilence,
      answer: async (rt, now) => {
        singleQuery(req, []);
        return { status: 200, body: await expireSilenceById(silenceId, await rt.store(), rt.notify, now) };
      },
    };
  }
  throw new HttpError(404, ERROR_CODES.routeNotFound, 'no such route (see openapi/openapi.json)');
}

/**
 * The operator API (`ops`, README "Operator API"): the outbox history and the silences, with the
 * checks `list` and `show` make (bearer token, validation before anything is read, the same error
 * shape and request log line, every known secret redacted). The configuration (`http` for the tokens,
 * `notify` for the store and the configured silences) is read at cold start; the store is made on the
 * first request and kept while warm.
 *
 * @example
 * export const handler = createOpsHandler();
 */
export function createOpsHandler(options: OpsHandlerOptions = {}): HttpHandler {
  const env = options.env ?? process.env;
  const log = options.log ?? consoleSink;
  const now = options.now ?? Date.now;
  const secretOptions = { env, ...(options.ssm && { ssm: options.ssm }), ...(options.now && { now: options.now }) };
  let loader: ConfigLoader<{ app: HttpAppConfig; notify: NotifyConfig }> | undefined;
  let configError: unknown;
  try {
    loader = loadConfigWith(
      (doc) => ({ app: parseHttpAppConfig(doc), notify: parseNotifyConfig(parseConfig(doc), env) }),
      env,
      secretOptions,
    );
  } catch (e) {
    configError = e;
  }
  const fallbackRedactor = defaultVariablesRedactor(env);
  const runtime = lazyOnce(async (context: unknown): Promise<Runtime> => {
    if (!loader) throw configError;
    const { app, notify } = await loader.forInvocation(context);
    const secrets = new InvocationSecrets(app, secretOptions);
    const store = lazyOnce(
      async () =>
        options.store ??
        createStore(notify.store, {
          ...(options.now ? { now: options.now } : {}),
          resolveSecret: (ref) => resolveSecret(ref, secrets.options),
        }),
    );
    return { app, notify, secrets, store };
  });

  // The fleet page (`/ops/v1/fleet...`, README "The fleet page"): its own session auth, same store and silences.
  const page = createFleetPageHandler({
    env,
    log,
    ...(options.ssm && { ssm: options.ssm }),
    ...(options.now && { now: options.now }),
    ...(options.store && { store: options.store }),
    ...options.page,
  });

  return async (event, context?: ContextLike) => {
    if (isFleetPagePath(event)) return page(event, context);
    const started = Date.now();
    let req: NormalizedRequest | undefined;
    let response: HttpResponse;
    let route = 'ops';
    let errorCode: string | undefined;
    let errorDetail: string | undefined;
    let redactor = fallbackRedactor;
    let requestId = platformRequestId(context) ?? randomUUID();
    try {
      req = normalizeEvent(event);
      requestId = platformRequestId(context) ?? safeRequestId(req.gatewayRequestId) ?? randomUUID();
      const matched = match(req);
      route = matched.route;
      const rt = await runtime(context);
      const credentials = await rt.secrets.begin(context);
      redactor = redactor.with([credentials.accessKeyId, credentials.secretAccessKey, credentials.securityToken]);
      const { http } = rt.app;
      const tokens = http.authRequired ? await resolveTokens(http.tokens, rt.secrets.options) : undefined;
      redactor = redactor.with(tokens?.plain() ?? []);
      if (tokens) authenticate(req.headers.get('authorization'), tokens);
      const { status, body } = await matched.answer(rt, now());
      response = jsonResponse(status, body, requestId);
    } catch (e) {
      const mapped = toErrorResponse(e, requestId);
      response = mapped.response;
      errorCode = mapped.errorCode;
      errorDetail = mapped.logDetail;
    }
    const out = {
      ...response,
      headers: Object.fromEntries(Object.entries(response.headers).map(([k, v]) => [k, redactor.redact(v)])),
      body: redactor.redact(response.body),
    };
    const line: RequestLogLine = {
      level: out.statusCode >= 500 ? 'error' : 'info',
      msg: 'request',
      route,
      method: req ? req.method.slice(0, 16) : '-',
      status: out.statusCode,
      durationMs: Date.now() - started,
      requestId,
      upstreamRequestIds: [],
      event: req?.kind ?? 'unrecognised',
      gatewayRequestId: safeRequestId(req?.gatewayRequestId),
      errorCode,
      error: errorDetail || undefined,
    };
    log(redactor.redact(JSON.stringify(line)));
    return out;
  };
}
