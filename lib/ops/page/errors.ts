import * as ERROR_CODES from '../../http/errorCodes';
import { HttpError } from '../../http/errors';

/** A page, task or silence that is not there (404, nothing changed). */
export class NotFoundPageError extends HttpError {
  override readonly name = 'NotFoundPageError';
  constructor(
    message: string,
    code: typeof ERROR_CODES.routeNotFound | typeof ERROR_CODES.pageSilenceNotFound = ERROR_CODES.routeNotFound,
  ) {
    super(404, code, message);
  }
}

/** A change requested from another site, or without the session's CSRF token (403, nothing changed). */
export class CrossSiteError extends HttpError {
  override readonly name = 'CrossSiteError';
  constructor(problem: string) {
    super(403, ERROR_CODES.crossSiteRequest, `refused: ${problem}`);
  }
}

/**
 * Too many sign-in attempts from this client, or from everyone (429 with `Retry-After`; the token
 * was not checked).
 */
export class SignInLimitedError extends HttpError {
  override readonly name = 'SignInLimitedError';
  constructor(
    readonly scope: 'client' | 'all',
    readonly retryAfterSeconds: number,
  ) {
    super(
      429,
      ERROR_CODES.signInLimited,
      `too many sign-in attempts ${scope === 'client' ? 'from this address' : 'from everyone'}; ` +
        `try again in ${retryAfterSeconds} s`,
      { 'Retry-After': String(retryAfterSeconds) },
    );
  }
}
