import type { ApiResponse } from './api';
import { ERRORS } from './errorCodes';
import type { GatewayOptions } from './gatewayOptions';
import { RateLimiter, type RateLimitOptions } from './rateLimit';
import type { SignatureCheck } from './verifySignature';

/** What the gateway looks at in one request to a known API. */
export interface GatewayRequest {
  readonly check: SignatureCheck;
  readonly requestId: string;
}

/**
 * The checks Huawei's API gateway makes in front of DMS besides the signature itself, in the order
 * the emulator makes them, after the API is known and before the signature's verdict is answered:
 * the per-AK rate limit (429 `APIGW.0308`). Holds the counters the emulator exposes.
 */
export class Gateway {
  private readonly limiter: RateLimiter;
  private throttledCount = 0;

  constructor(
    options: GatewayOptions,
    private readonly now: () => Date,
  ) {
    this.limiter = new RateLimiter(options.rateLimit);
  }

  /** 429 answers sent so far. */
  get throttled(): number {
    return this.throttledCount;
  }

  /** The rate limit in force, defaults filled in, or `undefined`. */
  get rateLimit(): Required<RateLimitOptions> | undefined {
    return this.limiter.current;
  }

  setRateLimit(options: RateLimitOptions | undefined): void {
    this.limiter.set(options);
  }

  /** A refusal, or `undefined` to let the signature's verdict and then the API answer. */
  admit(req: GatewayRequest): ApiResponse | undefined {
    if (!req.check.ok) return undefined;
    const rate = this.limiter.take(req.check.accessKeyId, this.now().getTime());
    if (!rate.ok) {
      this.throttledCount += 1;
      const { status, code, msg } = ERRORS.throttled;
      return {
        status,
        body: { error_code: code, error_msg: `${msg},limit:${rate.limit},time:1 second`, request_id: req.requestId },
        ...(this.limiter.current?.retryAfter ? { headers: { 'Retry-After': String(rate.retryAfterSeconds) } } : {}),
      };
    }
    return undefined;
  }
}
