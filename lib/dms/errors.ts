/**
 * Errors of the DMS client. Messages never contain credentials, signatures or full URLs with
 * query strings: only method, path template, status and upstream codes.
 */
export interface DmsErrorDetails {
  /** HTTP status from upstream, when a response arrived. */
  readonly status?: number;
  /** Upstream `X-Request-Id`, when a response arrived. */
  readonly requestId?: string;
  /** Attempts made before giving up. */
  readonly attempts?: number;
}

export class DmsError extends Error {
  override readonly name: string = 'DmsError';
  readonly status: number | undefined;
  readonly requestId: string | undefined;
  readonly attempts: number;
  constructor(message: string, details: DmsErrorDetails = {}, options?: ErrorOptions) {
    super(message, options);
    this.status = details.status;
    this.requestId = details.requestId;
    this.attempts = details.attempts ?? 1;
  }
}

/** Upstream answered with a JSON error (`error_code`, `error_msg`). */
export class DmsApiError extends DmsError {
  override readonly name = 'DmsApiError';
  readonly errorCode: string;
  readonly errorMsg: string;
  /** Seconds from `Retry-After`, when upstream sent one. */
  readonly retryAfterSeconds: number | undefined;
  constructor(
    details: DmsErrorDetails & { status: number; errorCode: string; errorMsg: string; retryAfterSeconds?: number },
    options?: ErrorOptions,
  ) {
    super(`DMS API error ${details.status} ${details.errorCode}: ${details.errorMsg}`, details, options);
    this.errorCode = details.errorCode;
    this.errorMsg = details.errorMsg;
    this.retryAfterSeconds = details.retryAfterSeconds;
  }
}

/** Upstream answered, but the body is not what the contract says (not JSON, wrong shape, too large). */
export class DmsResponseError extends DmsError {
  override readonly name = 'DmsResponseError';
  readonly reason: 'not-json' | 'bad-shape' | 'too-large';
  constructor(
    reason: DmsResponseError['reason'],
    message: string,
    details: DmsErrorDetails = {},
    options?: ErrorOptions,
  ) {
    super(message, details, options);
    this.reason = reason;
  }
}

/** No response: connection refused or reset, DNS failure. */
export class DmsNetworkError extends DmsError {
  override readonly name = 'DmsNetworkError';
}

/** A request exceeded its timeout, or the overall deadline ran out. */
export class DmsTimeoutError extends DmsError {
  override readonly name: string = 'DmsTimeoutError';
  readonly kind: 'request' | 'deadline';
  constructor(kind: DmsTimeoutError['kind'], message: string, details: DmsErrorDetails = {}, options?: ErrorOptions) {
    super(message, details, options);
    this.kind = kind;
  }
}

/**
 * The caller's signal aborted the call (before it, during an attempt, or during a retry wait). Never
 * retried, and never a failure of upstream: the caller gave up. `cause` is the signal's reason.
 */
export class DmsAbortedError extends DmsError {
  override readonly name = 'DmsAbortedError';
  constructor(details: DmsErrorDetails = {}, options?: ErrorOptions) {
    super('DMS call aborted', details, options);
  }
}

/**
 * The request budget is paused or slowed after upstream throttled the account (429 `APIGW.0308`), and
 * the next token comes after this call's deadline: nothing was sent. A deadline failure (it extends
 * {@link DmsTimeoutError}, kind `deadline`) that also says when the budget lets requests through again,
 * so an HTTP edge can answer 429 with that `Retry-After` instead of a timeout.
 */
export class DmsThrottledError extends DmsTimeoutError {
  override readonly name = 'DmsThrottledError';
  /** Milliseconds from the failure until the budget hands out its next token. */
  readonly retryAfterMs: number;
  constructor(retryAfterMs: number, details: DmsErrorDetails = {}, options?: ErrorOptions) {
    super(
      'deadline',
      'DMS call deadline exceeded waiting for the request budget (upstream throttled)',
      details,
      options,
    );
    this.retryAfterMs = retryAfterMs;
  }
  /** {@link retryAfterMs} in whole seconds, at least 1 (what a `Retry-After` header carries). */
  get retryAfterSeconds(): number {
    return Math.max(1, Math.ceil(this.retryAfterMs / 1000));
  }
}

/** Region not served by DMS for this engine; raised before any request. */
export class UnknownRegionError extends Error {
  override readonly name = 'UnknownRegionError';
  constructor(
    readonly region: string,
    readonly engine?: string,
  ) {
    super(`unknown DMS region "${region}"${engine ? ` for ${engine}` : ''}`);
  }
}

export function isDmsError(e: unknown): e is DmsError {
  return e instanceof DmsError || (e instanceof Error && /^Dms\w*Error$/.test(e.name));
}
