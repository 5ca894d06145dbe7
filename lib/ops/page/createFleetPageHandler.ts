import { randomBytes, randomUUID } from 'node:crypto';
import { clientOptionsFor, requestBudgetsFor } from '../../runtime/clientFor';
import { loadConfigWith, type ConfigLoader } from '../../runtime/configLoader';
import { platformRequestId, safeRequestId } from '../../runtime/invocationContext';
import { InvocationSecrets } from '../../secrets/invocationSecrets';
import { resolveSecret, type SsmReader } from '../../secrets/resolveSecret';
import type { SecretRef } from '../../config/types';
import { lazyOnce } from '../../core/once';
import type { RequestBudgets } from '../../dms/requestBudgets';
import { DmsTaskClient, type DmsClientOptions } from '../../dms/taskClient';
import { authenticate, resolveTokens, type TokenSet } from '../../http/bearerAuth';
import { AUTH_REALM } from '../../http/constants';
import type { ContextLike } from '../../tasks/createHttpHandler';
import * as ERROR_CODES from '../../http/errorCodes';
import { AuthenticationError, HttpError } from '../../http/errors';
import { toErrorResponse } from '../../http/errorResponse';
import * as HEADERS from '../../http/headers';
import { normalizeEvent, type NormalizedRequest } from '../../http/normalizeEvent';
import { defaultVariablesRedactor } from '../../http/redact';
import { consoleSink, type LogSink, type RequestLogLine } from '../../http/requestLog';
import { jsonResponse, type HttpResponse } from '../../http/response';
import { createStore } from '../../state/createStore';
import type { StateStore } from '../../state/types';
import { DEFAULT_SESSION_SECONDS, SESSION_COOKIE } from './constants';
import { isLoopbackHost, parseCookies, setCookie } from './cookies';
import { NotFoundPageError } from './errors';
import { buildFleetView, type FleetSources } from './fleetData';
import { parseForm } from './forms';
import { htmlHeaders, layout } from './layout';
import { LiveTasks, type LiveTasksOptions } from './liveTasks';
import { checkSameOrigin, cookieHeader } from './pageAuth';
import { parsePageConfig, type PageConfig } from './pageConfig';
import { matchPageRoute, PAGE_ROUTE_NAMES, type MatchedRoute, type PageRoute } from './pageRoutes';
import { renderFleetMain, signedInHeader, type PageContext } from './renderFleet';
import { renderErrorMain, renderSignInMain } from './renderSignIn';
import { renderTaskMain } from './renderTask';
import { SessionSigner, sessionKey } from './session';
import { NotifierSilences, type SilenceApi } from './silences';
import { buildTaskView } from './taskData';
import { validateFleetQuery, validateSilenceForm } from './validatePage';

export interface FleetPageOptions {
  /** @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  readonly ssm?: SsmReader;
  /** @default console.log */
  readonly log?: LogSink;
  /** @default Date.now */
  readonly now?: () => number;
  /** A ready store (tests). @default built from `notify.store` */
  readonly store?: StateStore;
  /** The silences behind the page. @default the operator API's (`NotifierSilences`) over the store */
  readonly silences?: (store: StateStore) => SilenceApi;
  /** DMS client overrides (tests: retry timing). @default none */
  readonly client?: Partial<DmsClientOptions>;
  /** Session lifetime after sign-in. @default DEFAULT_SESSION_SECONDS (3600) */
  readonly sessionSeconds?: number;
  /** @default the LiveTasks defaults (30 s cache, 2 pages per instance) */
  readonly live?: LiveTasksOptions;
  /**
   * The session key's secret. @default `{"env": "OPS_SESSION_KEY"}` when that variable is set, else a key
   * derived from the accepted bearer tokens
   */
  readonly sessionKey?: SecretRef;
}

export type FleetPageHandler = (event: unknown, context?: ContextLike) => Promise<HttpResponse>;

interface Runtime {
  readonly config: PageConfig;
  readonly secrets: InvocationSecrets;
  readonly store: StateStore;
  readonly silences: SilenceApi;
  readonly budgets: RequestBudgets;
  readonly clients: Map<string, DmsTaskClient>;
  readonly live: LiveTasks;
}

/** What one request knows once it is authenticated (or not). */
interface Visit {
  readonly req: NormalizedRequest;
  readonly matched: MatchedRoute;
  readonly rt: Runtime;
  readonly tokens: TokenSet | undefined;
  readonly signer: SessionSigner;
  /** The valid session value, or `gateway` when the API gateway authenticates (`authRequired: false`). */
  readonly session: string | undefined;
  readonly secure: boolean;
  readonly now: number;
  readonly requestId: string;
}

interface Outcome {
  readonly response: HttpResponse;
  readonly upstreamCalls?: number;
}

const GATEWAY_SESSION = 'gateway';

function html(
  status: number,
  title: string,
  header: string,
  main: string,
  requestId: string,
  script = false,
): HttpResponse {
  const nonce = randomBytes(16).toString('base64');
  return {
    statusCode: status,
    headers: { ...htmlHeaders(nonce), [HEADERS.requestId]: requestId },
    body: layout({ title, nonce, header, main, script }),
    isBase64Encoded: false,
  };
}

function redirect(location: string, requestId: string, cookie?: string): HttpResponse {
  return {
    statusCode: 303,
    headers: {
      Location: location,
      'Cache-Control': 'no-store',
      [HEADERS.requestId]: requestId,
      ...(cookie ? { 'Set-Cookie': cookie } : {}),
    },
    body: '',
    isBase64Encoded: false,
  };
}

const PLAIN_HEADER = '<h1>DMS fleet</h1>';

function signInPage(v: Pick<Visit, 'matched' | 'requestId'>, status: number, problem?: string): HttpResponse {
  const main = renderSignInMain(`${v.matched.base}/session`, problem);
  return html(status, 'Sign in: DMS fleet', PLAIN_HEADER, main, v.requestId);
}

function pageContext(v: Visit): PageContext {
  const csrf = v.session ? v.signer.csrfToken(v.session) : '';
  return { base: v.matched.base, csrf };
}

function requireSession(v: Visit): string {
  if (!v.session) throw new AuthenticationError('missing', 'Cookie');
  return v.session;
}

/** A change: same origin, a session, and (with our own sessions) the session's CSRF token. */
function checkChange(v: Visit, form: ReadonlyMap<string, string>): void {
  checkSameOrigin(v.req.headers);
  const session = requireSession(v);
  if (session !== GATEWAY_SESSION && !v.signer.checkCsrf(session, form.get('csrf')))
    throw new HttpError(
      403,
      ERROR_CODES.crossSiteRequest,
      'refused: the form is stale or from another site; reload the page',
    );
}

function instanceOf(rt: Runtime, projectId: string, instanceId: string) {
  const project = rt.config.app.projects.get(projectId);
  const instance = project?.instances.find((i) => i.id === instanceId);
  if (!project || !instance) throw new NotFoundPageError('this instance is not watched here');
  return { project, instance };
}

/**
 * The fleet page (README, "The fleet page"): server-rendered HTML and its JSON, signed-in with a
 * session cookie exchanged once for a bearer token. Reuses the HTTP functions' configuration,
 * bearer check, error shape, redaction and request log line.
 */
export function createFleetPageHandler(options: FleetPageOptions = {}): FleetPageHandler {
  const env = options.env ?? process.env;
  const log = options.log ?? consoleSink;
  const now = options.now ?? Date.now;
  const sessionSeconds = options.sessionSeconds ?? DEFAULT_SESSION_SECONDS;
  const secretOptions = { env, ...(options.ssm && { ssm: options.ssm }), ...(options.now && { now: options.now }) };
  let loader: ConfigLoader<PageConfig> | undefined;
  let configError: unknown;
  try {
    loader = loadConfigWith((doc) => parsePageConfig(doc, env), env, secretOptions);
  } catch (e) {
    configError = e;
  }
  const fallbackRedactor = defaultVariablesRedactor(env, [env.OPS_SESSION_KEY]);
  const sessionKeyRef: SecretRef | undefined =
    options.sessionKey ?? (env.OPS_SESSION_KEY ? { env: 'OPS_SESSION_KEY' } : undefined);

  const runtime = lazyOnce(async (context: unknown): Promise<Runtime> => {
    if (!loader) throw configError;
    const config = await loader.forInvocation(context);
    const secrets = new InvocationSecrets(config.app, secretOptions);
    const store =
      options.store ??
      (await createStore(config.notify.store, {
        ...(options.now ? { now: options.now } : {}),
        resolveSecret: (ref) => resolveSecret(ref, secrets.options),
      }));
    return {
      config,
      secrets,
      store,
      silences: (options.silences ?? ((s) => new NotifierSilences(s, config.notify.silences)))(store),
      budgets: requestBudgetsFor(config.app),
      clients: new Map(),
      live: new LiveTasks(options.live),
    };
  });

  const clientFor = (rt: Runtime, projectId: string): DmsTaskClient => {
    let client = rt.clients.get(projectId);
    if (!client) {
      const project = rt.config.app.projects.get(projectId);
      if (!project) throw new NotFoundPageError('project_id: this project is not served here');
      client = new DmsTaskClient(
        clientOptionsFor(rt.config.app, project, rt.secrets.credentials, options.client, rt.budgets),
      );
      rt.clients.set(projectId, client);
    }
    return client;
  };

  const fleetSources = (rt: Runtime): FleetSources => ({
    projects: rt.config.app.projects,
    destinations: [...rt.config.notify.destinations.keys()],
    failureStatuses: rt.config.notify.statuses,
    store: rt.store,
    silences: rt.silences,
    clientFor: (p) => clientFor(rt, p),
    live: rt.live,
  });

  const serve = async (v: Visit, route: PageRoute): Promise<Outcome> => {
    const { rt, matched, requestId } = v;
    switch (route.kind) {
      case 'session': {
        checkSameOrigin(v.req.headers);
        const token = parseForm(v.req.body).get('token') ?? '';
        if (v.tokens && !v.tokens.matches(token)) return { response: signInPage(v, 401, 'That token is not valid.') };
        const value = v.signer.issue(v.now + sessionSeconds * 1000);
        const cookie = setCookie(SESSION_COOKIE, value, {
          maxAge: sessionSeconds,
          path: matched.cookiePath,
          secure: v.secure,
        });
        return { response: redirect(matched.base, requestId, cookie) };
      }
      case 'logout': {
        checkChange(v, parseForm(v.req.body));
        const cookie = setCookie(SESSION_COOKIE, '', { maxAge: 0, path: matched.cookiePath, secure: v.secure });
        return { response: redirect(matched.base, requestId, cookie) };
      }
      case 'json': {
        if (!v.session) {
          if (!v.tokens) throw new AuthenticationError('missing', `Bearer realm="${AUTH_REALM}"`);
          authenticate(v.req.headers.get('authorization'), v.tokens);
        }
        const view = await buildFleetView(fleetSources(rt), validateFleetQuery(v.req.query), v.now);
        return { response: jsonResponse(200, view, requestId), upstreamCalls: view.upstreamCalls };
      }
      case 'page': {
        // Checked first: a token pasted into the URL (`?token=`) is refused, never read.
        const query = validateFleetQuery(v.req.query);
        if (!v.session) return { response: signInPage(v, 200) };
        const view = await buildFleetView(fleetSources(rt), query, v.now);
        const ctx = pageContext(v);
        const main = renderFleetMain(view, ctx);
        const response = html(200, 'DMS fleet', signedInHeader(ctx, true), main, requestId, true);
        return {
          response: {
            ...response,
            headers: { ...response.headers, 'X-Dtf-Upstream-Calls': String(view.upstreamCalls) },
          },
          upstreamCalls: view.upstreamCalls,
        };
      }
      case 'task': {
        requireSession(v);
        const { instance } = instanceOf(rt, route.projectId, route.instanceId);
        const view = await buildTaskView(
          {
            store: rt.store,
            silences: rt.silences,
            destinations: [...rt.config.notify.destinations.keys()],
            maxReminders: rt.config.notify.maxReminders,
          },
          clientFor(rt, route.projectId),
          { projectId: route.projectId, id: instance.id, name: instance.name },
          route.taskId,
          v.now,
        );
        const ctx = pageContext(v);
        const title = `${view.task.name ?? 'Task'}: DMS fleet`;
        return {
          response: html(200, title, signedInHeader(ctx, false), renderTaskMain(view, ctx), requestId),
          upstreamCalls: 1,
        };
      }
      case 'silences': {
        const form = parseForm(v.req.body);
        checkChange(v, form);
        await rt.silences.create(validateSilenceForm(form), v.now);
        return { response: redirect(matched.base, requestId) };
      }
      case 'expire': {
        checkChange(v, parseForm(v.req.body));
        const expired = await rt.silences.expire(route.silenceId, v.now);
        if (!expired)
          throw new NotFoundPageError('silence_id: no silence in force has this id', ERROR_CODES.pageSilenceNotFound);
        return { response: redirect(matched.base, requestId) };
      }
    }
  };

  return async (event, context) => {
    const started = Date.now();
    let req: NormalizedRequest | undefined;
    let matched: MatchedRoute | undefined;
    let redactor = fallbackRedactor;
    let requestId = platformRequestId(context) ?? randomUUID();
    let outcome: Outcome;
    let errorCode: string | undefined;
    let errorDetail: string | undefined;
    try {
      req = normalizeEvent(event);
      requestId = platformRequestId(context) ?? safeRequestId(req.gatewayRequestId) ?? requestId;
      matched = matchPageRoute(req.path, req.method);
      const rt = await runtime(context);
      const credentials = await rt.secrets.begin(context);
      redactor = redactor.with([credentials.accessKeyId, credentials.secretAccessKey, credentials.securityToken]);
      const tokens = rt.config.http.authRequired
        ? await resolveTokens(rt.config.http.tokens, rt.secrets.options)
        : undefined;
      const keySecret = sessionKeyRef ? await resolveSecret(sessionKeyRef, rt.secrets.options) : undefined;
      redactor = redactor.with([...(tokens?.plain() ?? []), keySecret]);
      const signer = new SessionSigner(sessionKey(keySecret, tokens?.plain() ?? []));
      const at = now();
      const cookie = parseCookies(cookieHeader(event, req.headers)).get(SESSION_COOKIE);
      const session = !tokens ? GATEWAY_SESSION : cookie && signer.verify(cookie, at) ? cookie : undefined;
      const visit: Visit = {
        req,
        matched,
        rt,
        tokens,
        signer,
        session,
        secure: !isLoopbackHost(req.headers.get('host')),
        now: at,
        requestId,
      };
      outcome = await serve(visit, matched.route);
    } catch (e) {
      const mapped = toErrorResponse(e, requestId);
      errorCode = mapped.errorCode;
      errorDetail = mapped.logDetail;
      if (!matched || matched.route.kind === 'json') outcome = { response: mapped.response };
      else {
        const page = matched;
        const status = mapped.response.statusCode;
        const msg = (JSON.parse(mapped.response.body) as { error_msg: string }).error_msg;
        const home = page.base;
        outcome = {
          response:
            status === 401
              ? signInPage({ matched: page, requestId }, 401, 'Your session has ended: sign in again.')
              : html(
                  status,
                  `${status}: DMS fleet`,
                  PLAIN_HEADER,
                  renderErrorMain(status, msg, requestId, home),
                  requestId,
                ),
        };
        const allow = mapped.response.headers.Allow;
        if (allow) outcome.response.headers.Allow = allow;
      }
    }
    const response: HttpResponse = {
      ...outcome.response,
      headers: Object.fromEntries(
        Object.entries(outcome.response.headers).map(([k, val]) => [k, redactor.redact(val)]),
      ),
      body: redactor.redact(outcome.response.body),
    };
    const line: RequestLogLine & { upstreamCalls?: number } = {
      level: response.statusCode >= 500 ? 'error' : 'info',
      msg: 'request',
      route: matched ? PAGE_ROUTE_NAMES[matched.route.kind] : 'unmatched',
      method: req ? req.method.slice(0, 16) : '-',
      status: response.statusCode,
      durationMs: Date.now() - started,
      requestId,
      upstreamRequestIds: [],
      event: req?.kind ?? 'unrecognised',
      gatewayRequestId: safeRequestId(req?.gatewayRequestId),
      errorCode,
      error: errorDetail || undefined,
      upstreamCalls: outcome.upstreamCalls,
    };
    log(redactor.redact(JSON.stringify(line)));
    return response;
  };
}
