import * as ERROR_CODES from '../../http/errorCodes';
import type { ErrorCode } from '../../http/constants';
import { HttpError } from '../../http/errors';
import { PAGE_BASE } from './constants';
import { NotFoundPageError } from './errors';
import { pathId } from './validatePage';

/** One route of the page, with its path ids. */
export type PageRoute =
  | { readonly kind: 'page' }
  | { readonly kind: 'json' }
  | { readonly kind: 'session' }
  | { readonly kind: 'logout' }
  | { readonly kind: 'silences' }
  | { readonly kind: 'expire'; readonly silenceId: string }
  | { readonly kind: 'task'; readonly projectId: string; readonly instanceId: string; readonly taskId: string };

/** Method and path template of each route, as logged. */
export const PAGE_ROUTE_NAMES: Readonly<Record<PageRoute['kind'], string>> = {
  page: `GET ${PAGE_BASE}`,
  json: `GET ${PAGE_BASE}.json`,
  session: `POST ${PAGE_BASE}/session`,
  logout: `POST ${PAGE_BASE}/logout`,
  silences: `POST ${PAGE_BASE}/silences`,
  expire: `POST ${PAGE_BASE}/silences/{silence_id}/expire`,
  task: `GET ${PAGE_BASE}/tasks/{project_id}/{instance_id}/{task_id}`,
};

const METHOD: Readonly<Record<PageRoute['kind'], 'GET' | 'POST'>> = {
  page: 'GET',
  json: 'GET',
  session: 'POST',
  logout: 'POST',
  silences: 'POST',
  expire: 'POST',
  task: 'GET',
};

const SHAPE = /^(.*?)\/ops\/v1\/fleet(\.json|\/.*)?$/;
/** A gateway stage prefix the page's links may keep: path segments of safe characters only. */
const SAFE_PREFIX = /^(?:\/[A-Za-z0-9._~-]+)*$/;

export interface MatchedRoute {
  readonly route: PageRoute;
  /** `{stage prefix}/ops/v1/fleet`: where the page's links and forms point. */
  readonly base: string;
  /** `{stage prefix}/ops/v1`: the session cookie's `Path` (covers the page and its JSON). */
  readonly cookiePath: string;
}

function id(v: string | undefined, field: string, code: ErrorCode): string {
  return pathId(v ?? '', field, code);
}

function routeOf(rest: string): PageRoute | undefined {
  if (rest === '' || rest === '/') return { kind: 'page' };
  if (rest === '.json') return { kind: 'json' };
  if (rest === '/session') return { kind: 'session' };
  if (rest === '/logout') return { kind: 'logout' };
  if (rest === '/silences') return { kind: 'silences' };
  const parts = rest.split('/').slice(1);
  if (parts.length === 3 && parts[0] === 'silences' && parts[2] === 'expire')
    return { kind: 'expire', silenceId: id(parts[1], 'silence_id', ERROR_CODES.invalidPageSilence) };
  if (parts.length === 4 && parts[0] === 'tasks')
    return {
      kind: 'task',
      projectId: id(parts[1], 'project_id', ERROR_CODES.invalidProjectId),
      instanceId: id(parts[2], 'instance_id', ERROR_CODES.invalidInstanceId),
      taskId: id(parts[3], 'task_id', ERROR_CODES.invalidTaskId),
    };
  return undefined;
}

/** The route of a path and method: 404 for an unknown path, 405 (with `Allow`) for a wrong method. */
export function matchPageRoute(path: string, method: string): MatchedRoute {
  const m = SHAPE.exec(path);
  const route = m ? routeOf(m[2] ?? '') : undefined;
  if (!m || !route) throw new NotFoundPageError('no such route');
  const expected = METHOD[route.kind];
  if (method !== expected)
    throw new HttpError(405, ERROR_CODES.methodNotAllowed, `this method is not allowed (only ${expected})`, {
      Allow: expected,
    });
  const prefix = SAFE_PREFIX.test(m[1] ?? '') ? (m[1] ?? '') : '';
  return { route, base: `${prefix}${PAGE_BASE}`, cookiePath: `${prefix}/ops/v1` };
}

/**
 * Whether an event is for the fleet page (so the operator function hands it over). Reads only the
 * path of the known event shapes; anything else is left to the operator API's own checks.
 */
export function isFleetPagePath(event: unknown): boolean {
  if (typeof event !== 'object' || event === null) return false;
  const e = event as { rawPath?: unknown; path?: unknown; requestContext?: { http?: { path?: unknown } } };
  const path =
    typeof e.rawPath === 'string' ? e.rawPath : typeof e.path === 'string' ? e.path : e.requestContext?.http?.path;
  return typeof path === 'string' && SHAPE.test(path);
}
