import { randomBytes } from 'node:crypto';
import * as HEADERS from '../../http/headers';
import type { HttpResponse } from '../../http/response';
import type { MatchedRequest, RenderableError } from '../../http/routes';
import { PAGE_BASE } from './constants';
import { htmlHeaders, layout } from './layout';
import { renderErrorMain, renderSignInMain } from './renderSignIn';

/** A gateway stage prefix the page's links may keep: path segments of safe characters only. */
const SAFE_PREFIX = /^(?:\/[A-Za-z0-9._~-]+)*$/;

/** The header of a page without a session. */
export const PLAIN_HEADER = '<h1>DMS fleet</h1>';

/** Where the page's links, forms and cookie point, below the request's stage prefix (when it is safe). */
export interface PagePaths {
  /** `{stage prefix}/ops/v1/fleet`. */
  readonly base: string;
  /** `{stage prefix}/ops/v1`: the session cookie's `Path` (covers the page and its JSON). */
  readonly cookiePath: string;
}

export function pagePaths(prefix: string): PagePaths {
  const safe = SAFE_PREFIX.test(prefix) ? prefix : '';
  return { base: `${safe}${PAGE_BASE}`, cookiePath: `${safe}/ops/v1` };
}

/** An HTML page (a fresh CSP nonce for its script). */
export function html(
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

/** A 303 after a form POST (with the session cookie when it changes). */
export function redirect(location: string, requestId: string, cookie?: string): HttpResponse {
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

/** The sign-in form, with a problem to show when there is one. */
export function signInPage(base: string, requestId: string, status: number, problem?: string): HttpResponse {
  return html(status, 'Sign in: DMS fleet', PLAIN_HEADER, renderSignInMain(`${base}/session`, problem), requestId);
}

/**
 * An error of an HTML route, rendered from its parts: a 401 is the sign-in form (the session ended),
 * anything else a short page with the message and the request id. `Retry-After` is kept.
 */
export function pageError(parts: RenderableError, request: MatchedRequest): HttpResponse {
  const { base } = pagePaths(request.prefix);
  const { status, message, requestId } = parts;
  const response =
    status === 401
      ? signInPage(base, requestId, 401, 'Your session has ended: sign in again.')
      : html(
          status,
          `${status}: DMS fleet`,
          PLAIN_HEADER,
          renderErrorMain(status, message, requestId, base),
          requestId,
        );
  const retryAfter = parts.headers['Retry-After'];
  return retryAfter ? { ...response, headers: { ...response.headers, 'Retry-After': retryAfter } } : response;
}
