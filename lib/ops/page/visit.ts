import * as ERROR_CODES from '../../http/errorCodes';
import { AuthenticationError, HttpError } from '../../http/errors';
import type { EdgeRequest } from '../../http/routes';
import { resolveSecret } from '../../secrets/resolveSecret';
import type { OpsServices } from '../opsServices';
import { SESSION_COOKIE } from './constants';
import { isLoopbackHost, parseCookies } from './cookies';
import { checkSameOrigin, cookieHeader } from './pageAuth';
import { pagePaths, type PagePaths } from './pageResponses';
import type { PageContext } from './renderFleet';
import { PageSessions } from './pageSessions';
import { SessionSigner, sessionKey } from './session';

/** The session value when the API gateway authenticates (`http.authRequired: false`). */
const GATEWAY_SESSION = 'gateway';

/** What one page request knows once its session is read (or found missing). */
export interface Visit extends PagePaths {
  readonly request: EdgeRequest<OpsServices>;
  readonly signer: SessionSigner;
  /** The sessions in the store (every warm instance reads the same ones). */
  readonly sessions: PageSessions;
  /** The session cookie as sent (valid or not): sign-out revokes it. */
  readonly cookie: string | undefined;
  /** The valid session value, or `gateway` when the API gateway authenticates (`authRequired: false`). */
  readonly session: string | undefined;
  /** Whether the cookie is `Secure` (not on loopback). */
  readonly secure: boolean;
  readonly now: number;
}

/**
 * The session of a page request: the session key (its secret redacted from this request's answer and
 * log line), the cookie verified with it and looked up in the store (`PageSessions`). Without
 * `http.authRequired`, the gateway's own check stands for a session.
 */
export async function visitOf(request: EdgeRequest<OpsServices>): Promise<Visit> {
  const { services, tokens, req } = request;
  const keySecret = services.sessionKey
    ? await resolveSecret(services.sessionKey, services.secrets.options)
    : undefined;
  request.redact([keySecret]);
  const signer = new SessionSigner(sessionKey(keySecret, tokens?.plain() ?? []));
  const sessions = new PageSessions(await services.store(), signer, { lifetimeSeconds: services.sessionSeconds });
  const now = services.now();
  const cookie = parseCookies(cookieHeader(request.event, req.headers)).get(SESSION_COOKIE);
  // A cookie is a session only while the store says so (issue 20 item 5): signed, unexpired, within
  // its lifetime, issued, not revoked.
  const session = !tokens ? GATEWAY_SESSION : cookie && (await sessions.check(cookie, now)) ? cookie : undefined;
  return {
    ...pagePaths(request.prefix),
    request,
    signer,
    sessions,
    cookie,
    session,
    secure: !isLoopbackHost(req.headers.get('host')),
    now,
  };
}

export function pageContext(v: Visit): PageContext {
  const csrf = v.session ? v.signer.csrfToken(v.session) : '';
  return { base: v.base, csrf };
}

export function requireSession(v: Visit): string {
  if (!v.session) throw new AuthenticationError('missing', 'Cookie');
  return v.session;
}

/** A change: same origin, a session, and (with our own sessions) the session's CSRF token. */
export function checkChange(v: Visit, form: ReadonlyMap<string, string>): void {
  checkSameOrigin(v.request.req.headers);
  const session = requireSession(v);
  if (session !== GATEWAY_SESSION && !v.signer.checkCsrf(session, form.get('csrf')))
    throw new HttpError(
      403,
      ERROR_CODES.crossSiteRequest,
      'refused: the form is stale or from another site; reload the page',
    );
}
