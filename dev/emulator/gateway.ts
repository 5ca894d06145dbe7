import type { ApiResponse } from './api';
import { ERRORS } from './errorCodes';
import type { GatewayOptions } from './gatewayOptions';
import { Lockout, type LockoutOptions } from './lockout';
import { RateLimiter, type RateLimitOptions } from './rateLimit';
import { Tenancy } from './tenancy';
import type { SignatureCheck } from './verifySignature';

/** What the gateway looks at in one request to a known API. */
export interface GatewayRequest {
  readonly check: SignatureCheck;
  readonly requestId: string;
  /** The `{project_id}` of the path. */
  readonly projectId: string;
  /** The `X-Project-Id` header, if sent. */
  readonly headerProjectId: string | undefined;
}

type ErrorEntry = (typeof ERRORS)[keyof typeof ERRORS];

const refuse = (e: ErrorEntry, requestId: string, msg: string = e.msg, headers?: Record<string, string>) => ({
  status: e.status,
  body: { error_code: e.code, error_msg: msg, request_id: requestId },
  ...(headers ? { headers } : {}),
});

/**
 * The checks Huawei's API gateway makes in front of DMS besides the signature itself, run after the
 * API is known and before the signature's verdict is answered, in this order:
 *
 * 1. lockout: an access key locked by consecutive signature failures is refused (401 `APIGW.0301`,
 *    "AK access failed to reach the limit,forbidden"), even with a right signature; a failed
 *    signature that names an access key counts toward its lock, a verified one resets the count;
 * 2. (a failed signature is then answered 401 `APIGW.0301` by the API router);
 * 3. rate limit: one token per request and access key, else 429 `APIGW.0308`;
 * 4. tenancy: a path project other than `X-Project-Id`, or one the access key does not belong to,
 *    is 403 `APIGW.0302`.
 *
 * Holds the counters the emulator exposes.
 */
export class Gateway {
  private readonly limiter: RateLimiter;
  private readonly lockout: Lockout;
  private readonly tenancy: Tenancy;
  private throttledCount = 0;

  constructor(
    options: GatewayOptions,
    private readonly now: () => Date,
  ) {
    this.limiter = new RateLimiter(options.rateLimit);
    this.lockout = new Lockout(options.lockout);
    this.tenancy = new Tenancy(options.accessKeyProjects);
  }

  /** 429 answers sent so far. */
  get throttled(): number {
    return this.throttledCount;
  }

  /** The rate limit in force, defaults filled in, or `undefined`. */
  get rateLimit(): Required<RateLimitOptions> | undefined {
    return this.limiter.current;
  }

  /** The lockout settings in force, or `undefined` when off. */
  get lockoutSettings(): Required<LockoutOptions> | undefined {
    return this.lockout.current;
  }

  /** Access keys locked now, with the end of their lock. */
  locked(): { accessKeyId: string; until: string }[] {
    return this.lockout.locked(this.now().getTime());
  }

  /** Restricted access keys and their projects. */
  accessKeyProjects(): Record<string, string[]> {
    return this.tenancy.list();
  }

  setRateLimit(options: RateLimitOptions | undefined): void {
    this.limiter.set(options);
  }

  setAccessKeyProjects(accessKeyId: string, projects: readonly string[] | undefined): void {
    this.tenancy.set(accessKeyId, projects);
  }

  clearLockouts(): void {
    this.lockout.clear();
  }

  /** A refusal, or `undefined` to let the signature's verdict and then the API answer. */
  admit(req: GatewayRequest): ApiResponse | undefined {
    const nowMs = this.now().getTime();
    const { check, requestId } = req;
    const accessKeyId = check.accessKeyId;
    if (accessKeyId !== undefined && this.lockout.isLocked(accessKeyId, nowMs))
      return refuse(ERRORS.accessKeyLocked, requestId);
    if (!check.ok) {
      if (accessKeyId !== undefined) this.lockout.fail(accessKeyId, nowMs);
      return undefined;
    }
    this.lockout.succeed(check.accessKeyId);

    const rate = this.limiter.take(check.accessKeyId, nowMs);
    if (!rate.ok) {
      this.throttledCount += 1;
      const msg = `${ERRORS.throttled.msg},limit:${rate.limit},time:1 second`;
      const headers = this.limiter.current?.retryAfter ? { 'Retry-After': String(rate.retryAfterSeconds) } : undefined;
      return refuse(ERRORS.throttled, requestId, msg, headers);
    }

    const tenancy = this.tenancy.check(check.accessKeyId, req.projectId, req.headerProjectId);
    if (tenancy?.reason === 'projectMismatch') {
      const detail = `the project in the path (${tenancy.pathProject}) is not X-Project-Id (${tenancy.headerProject})`;
      return refuse(ERRORS.notAuthorized, requestId, `${ERRORS.notAuthorized.msg} ${detail}`);
    }
    if (tenancy?.reason === 'notMember') {
      const detail = `access key ${check.accessKeyId} does not belong to project ${tenancy.project}`;
      return refuse(ERRORS.notAuthorized, requestId, `${ERRORS.notAuthorized.msg} ${detail}`);
    }
    return undefined;
  }
}
