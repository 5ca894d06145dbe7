import * as ERROR_CODES from './errorCodes';
import type { ErrorCode } from './constants';

/**
 * An error meant for the caller: its status, code and message are sent as they are. Only
 * `describeError` turns errors into responses; any other error becomes a generic 5xx there.
 */
export class HttpError extends Error {
  override readonly name: string = 'HttpError';
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    /** Extra response headers (e.g. `WWW-Authenticate`, `Allow`). */
    readonly headers: Readonly<Record<string, string>> = {},
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** A request input broke a rule. `field` names the path segment, query parameter or header. */
export class ValidationError extends HttpError {
  override readonly name = 'ValidationError';
  constructor(
    readonly field: string,
    code: ErrorCode,
    readonly rule: string,
  ) {
    super(400, code, `${field}: ${rule}`);
  }
}

/** Missing or wrong bearer token. */
export class AuthenticationError extends HttpError {
  override readonly name = 'AuthenticationError';
  constructor(
    readonly reason: 'missing' | 'invalid',
    challenge: string,
  ) {
    super(
      401,
      reason === 'missing' ? ERROR_CODES.missingToken : ERROR_CODES.invalidToken,
      reason === 'missing'
        ? 'a bearer token is required (Authorization: Bearer <token>)'
        : 'the bearer token is not valid',
      { 'WWW-Authenticate': challenge },
    );
  }
}

/** The project or instance is not served by this deployment (no upstream call was made). */
export class NotServedError extends HttpError {
  override readonly name = 'NotServedError';
  constructor(readonly field: 'project_id' | 'instance_id') {
    const project = field === 'project_id';
    super(
      404,
      project ? ERROR_CODES.projectNotConfigured : ERROR_CODES.instanceNotAllowed,
      `${field}: this ${project ? 'project' : 'instance'} is not served here`,
    );
  }
}

/** The event is not an HTTP event of a known shape. */
export class EventShapeError extends HttpError {
  override readonly name = 'EventShapeError';
  constructor(problem: string) {
    super(400, ERROR_CODES.unrecognisedEvent, `unrecognised event: ${problem}`);
  }
}

export function isHttpError(e: unknown): e is HttpError {
  return e instanceof HttpError;
}
