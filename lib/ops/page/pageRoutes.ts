import { authenticate } from '../../http/bearerAuth';
import { AUTH_REALM } from '../../http/constants';
import * as ERROR_CODES from '../../http/errorCodes';
import { AuthenticationError } from '../../http/errors';
import { testDestination } from '../testDestination';
import { jsonResponse } from '../../http/response';
import type { Route, RouteOutcome } from '../../http/routes';
import type { OpsServices } from '../opsServices';
import { SESSION_COOKIE } from './constants';
import { setCookie } from './cookies';
import { NotFoundPageError, SignInLimitedError } from './errors';
import { buildFleetView, type FleetSources } from './fleetData';
import { parseForm } from './forms';
import { checkSameOrigin } from './pageAuth';
import { html, pageError, redirect, signInPage } from './pageResponses';
import { renderFleetMain, renderTestResultMain, signedInHeader } from './renderFleet';
import { renderTaskMain } from './renderTask';
import { SignInLimiter } from './signInLimit';
import { buildTaskView } from './taskData';
import { validateFleetQuery, validateSilenceForm, pathId } from './validatePage';
import { checkChange, pageContext, requireSession, visitOf } from './visit';

async function fleetSources(s: OpsServices): Promise<FleetSources> {
  return {
    projects: s.config.projects,
    destinations: [...s.config.notify.destinations.keys()],
    rules: s.config.notify,
    store: await s.store(),
    silences: await s.silences(),
    clientFor: (projectId) => {
      const project = s.config.projects.get(projectId);
      if (!project) throw new NotFoundPageError('project_id: this project is not served here');
      return s.clientFor(project);
    },
    live: s.live,
  };
}

/** An HTML route of the page: its errors are HTML pages too (the session ended: the sign-in form). */
function htmlRoute(route: Omit<Route<OpsServices>, 'auth' | 'renderError'>): Route<OpsServices> {
  return { ...route, auth: 'route', renderError: pageError };
}

/**
 * The fleet page (README, "The fleet page"), on the operator function's edge and services:
 * server-rendered HTML and its JSON, signed in with a session cookie exchanged once for a bearer
 * token. The page checks its own sessions (`auth: 'route'`); its JSON takes a session or a bearer token.
 */
export const PAGE_ROUTES: readonly Route<OpsServices>[] = [
  htmlRoute({
    method: 'GET',
    path: '/ops/v1/fleet',
    answer: async (r): Promise<RouteOutcome> => {
      // Checked first: a token pasted into the URL (`?token=`) is refused, never read.
      const query = validateFleetQuery(r.req.query);
      const v = await visitOf(r);
      if (!v.session) return { response: signInPage(v.base, r.requestId, 200) };
      const view = await buildFleetView(await fleetSources(r.services), query, v.now);
      const ctx = pageContext(v);
      const destinations = [...r.services.config.notify.destinations].map(([id, d]) => ({ id, type: d.type }));
      const main = renderFleetMain(view, ctx, destinations);
      const response = html(200, 'DMS fleet', signedInHeader(ctx, true), main, r.requestId, true);
      return {
        response: { ...response, headers: { ...response.headers, 'X-Dtf-Upstream-Calls': String(view.upstreamCalls) } },
        upstreamCalls: view.upstreamCalls,
      };
    },
  }),
  {
    method: 'GET',
    path: '/ops/v1/fleet.json',
    auth: 'route',
    answer: async (r) => {
      const v = await visitOf(r);
      if (!v.session) {
        if (!r.tokens) throw new AuthenticationError('missing', `Bearer realm="${AUTH_REALM}"`);
        // The edge's check, for a caller without a session.
        authenticate(r.req.headers.get('authorization'), r.tokens);
      }
      const view = await buildFleetView(await fleetSources(r.services), validateFleetQuery(r.req.query), v.now);
      return { response: jsonResponse(200, view, r.requestId), upstreamCalls: view.upstreamCalls };
    },
  },
  htmlRoute({
    method: 'POST',
    path: '/ops/v1/fleet/session',
    answer: async (r) => {
      checkSameOrigin(r.req.headers);
      const form = parseForm(r.req.body);
      const v = await visitOf(r);
      // The gateway authenticates (`authRequired: false`): there is no session of our own to open.
      if (!r.tokens) return { response: redirect(v.base, r.requestId) };
      // Counted before the token is read: a limited client learns nothing about its guess.
      const verdict = await new SignInLimiter(await r.services.store()).take(r.req.sourceIp, v.now);
      if (!verdict.allowed) throw new SignInLimitedError(verdict.scope, verdict.retryAfterSeconds);
      if (!r.tokens.matches(form.get('token') ?? ''))
        return { response: signInPage(v.base, r.requestId, 401, 'That token is not valid.') };
      const opened = await v.sessions.open(v.now);
      const cookie = setCookie(SESSION_COOKIE, opened.value, {
        maxAge: opened.maxAgeSeconds,
        path: v.cookiePath,
        secure: v.secure,
      });
      return { response: redirect(v.base, r.requestId, cookie) };
    },
  }),
  htmlRoute({
    method: 'POST',
    path: '/ops/v1/fleet/logout',
    answer: async (r) => {
      const v = await visitOf(r);
      checkChange(v, parseForm(r.req.body));
      // Ended in the store, for every instance: the old cookie no longer works anywhere.
      await v.sessions.revoke(v.cookie, v.now);
      const cookie = setCookie(SESSION_COOKIE, '', { maxAge: 0, path: v.cookiePath, secure: v.secure });
      return { response: redirect(v.base, r.requestId, cookie) };
    },
  }),
  htmlRoute({
    method: 'POST',
    path: '/ops/v1/fleet/silences',
    answer: async (r) => {
      const v = await visitOf(r);
      const form = parseForm(r.req.body);
      checkChange(v, form);
      await (await r.services.silences()).create(validateSilenceForm(form), v.now);
      return { response: redirect(v.base, r.requestId) };
    },
  }),
  htmlRoute({
    method: 'POST',
    path: '/ops/v1/fleet/silences/{silence_id}/expire',
    answer: async (r) => {
      const silenceId = pathId(r.params.get('silence_id') ?? '', 'silence_id', ERROR_CODES.invalidPageSilence);
      const v = await visitOf(r);
      checkChange(v, parseForm(r.req.body));
      const expired = await (await r.services.silences()).expire(silenceId, v.now);
      if (!expired)
        throw new NotFoundPageError('silence_id: no silence in force has this id', ERROR_CODES.pageSilenceNotFound);
      return { response: redirect(v.base, r.requestId) };
    },
  }),
  htmlRoute({
    method: 'POST',
    path: '/ops/v1/fleet/destinations/{destination_id}/test',
    answer: async (r) => {
      const id = r.params.get('destination_id') ?? '';
      const v = await visitOf(r);
      checkChange(v, parseForm(r.req.body));
      // The operator API's test (POST /ops/v1/destinations/{id}/test): the same function, gate and history.
      const result = await testDestination(r.services, id);
      const ctx = pageContext(v);
      const main = renderTestResultMain(result, ctx);
      const header = signedInHeader(ctx, false);
      return { response: html(200, `Test ${id}: DMS fleet`, header, main, r.requestId, true) };
    },
  }),
  htmlRoute({
    method: 'GET',
    path: '/ops/v1/fleet/tasks/{project_id}/{instance_id}/{task_id}',
    answer: async (r) => {
      const projectId = pathId(r.params.get('project_id') ?? '', 'project_id', ERROR_CODES.invalidProjectId);
      const instanceId = pathId(r.params.get('instance_id') ?? '', 'instance_id', ERROR_CODES.invalidInstanceId);
      const taskId = pathId(r.params.get('task_id') ?? '', 'task_id', ERROR_CODES.invalidTaskId);
      const v = await visitOf(r);
      requireSession(v);
      const { services: s } = r;
      const project = s.config.projects.get(projectId);
      const instance = project?.instances.find((i) => i.id === instanceId);
      if (!project || !instance) throw new NotFoundPageError('this instance is not watched here');
      const view = await buildTaskView(
        {
          store: await s.store(),
          silences: await s.silences(),
          destinations: [...s.config.notify.destinations.keys()],
          maxReminders: s.config.notify.maxReminders,
        },
        s.clientFor(project),
        { projectId, id: instance.id, name: instance.name },
        taskId,
        v.now,
      );
      const ctx = pageContext(v);
      const title = `${view.task.name ?? 'Task'}: DMS fleet`;
      return {
        response: html(200, title, signedInHeader(ctx, false), renderTaskMain(view, ctx), r.requestId, true),
        upstreamCalls: 1,
      };
    },
  }),
];
