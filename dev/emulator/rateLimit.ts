import { EmulatorInputError } from './types';

/**
 * The emulator's per-AK request rate limit, as the API gateway's flow control answers it: 429
 * `APIGW.0308`. Huawei publishes no figure for DMS (its signing guide gives 200 requests per second
 * per API by default, and messages name per-user policies per second or per minute), so the limit
 * is a setting, off by default.
 */
export interface RateLimitOptions {
  /** Tokens added to each access key's bucket per second (the sustained rate). May be fractional. */
  readonly requestsPerSecond: number;
  /**
   * Bucket size: how many requests an idle access key may send at once.
   * @default Math.max(1, Math.ceil(requestsPerSecond)) (one second's worth)
   */
  readonly burst?: number;
  /**
   * Send `Retry-After` (whole seconds until the next token, at least 1) on the 429. Huawei does not
   * document whether its gateway sends one, so clients must cope with both.
   * @default false
   */
  readonly retryAfter?: boolean;
}

/** What the limiter decided for one request. */
export type RateDecision =
  | { readonly ok: true }
  | {
      readonly ok: false;
      /** Seconds until the access key's next token, rounded up, at least 1. */
      readonly retryAfterSeconds: number;
      /** The bucket size, for the `limit:` part of the gateway's message. */
      readonly limit: number;
    };

interface Bucket {
  tokens: number;
  atMs: number;
}

/** Checks options that may have come from JSON (the control surface) and fills in the default burst. */
export function validateRateLimit(input: unknown): Required<RateLimitOptions> {
  if (input === null || typeof input !== 'object' || Array.isArray(input))
    throw new EmulatorInputError('a rate limit must be an object');
  const r = input as Partial<Record<string, unknown>>;
  const rps = r.requestsPerSecond;
  if (typeof rps !== 'number' || !Number.isFinite(rps) || rps <= 0)
    throw new EmulatorInputError('rateLimit.requestsPerSecond must be a positive number');
  const burst = r.burst ?? Math.max(1, Math.ceil(rps));
  if (typeof burst !== 'number' || !Number.isInteger(burst) || burst < 1)
    throw new EmulatorInputError('rateLimit.burst must be a positive integer');
  const retryAfter = r.retryAfter ?? false;
  if (typeof retryAfter !== 'boolean') throw new EmulatorInputError('rateLimit.retryAfter must be a boolean');
  return { requestsPerSecond: rps, burst, retryAfter };
}

/**
 * One token bucket per access key, refilled continuously at `requestsPerSecond` up to `burst`, on
 * the clock it is given (the emulator's `now`, so a test with a fixed clock gets no refill and can
 * count exactly). A new access key starts with a full bucket; changing the settings refills every
 * bucket.
 */
export class RateLimiter {
  private settings: Required<RateLimitOptions> | undefined;
  private buckets = new Map<string, Bucket>();

  constructor(options: RateLimitOptions | undefined) {
    this.set(options);
  }

  /** The settings in force, defaults filled in; `undefined` when off. */
  get current(): Required<RateLimitOptions> | undefined {
    return this.settings;
  }

  /** Turns the limit on with these settings (validated), or off with `undefined`. */
  set(options: RateLimitOptions | undefined): void {
    this.settings = options === undefined ? undefined : validateRateLimit(options);
    this.buckets = new Map();
  }

  /** Takes one token from `accessKeyId`'s bucket at `nowMs`, or says how long until one is free. */
  take(accessKeyId: string, nowMs: number): RateDecision {
    const s = this.settings;
    if (!s) return { ok: true };
    const bucket = this.buckets.get(accessKeyId) ?? { tokens: s.burst, atMs: nowMs };
    const elapsed = Math.max(0, nowMs - bucket.atMs) / 1000;
    bucket.tokens = Math.min(s.burst, bucket.tokens + elapsed * s.requestsPerSecond);
    bucket.atMs = Math.max(bucket.atMs, nowMs);
    this.buckets.set(accessKeyId, bucket);
    // A hair of tolerance, so refills that add up to a whole token in float steps count as one.
    if (bucket.tokens >= 1 - 1e-9) {
      bucket.tokens = Math.max(0, bucket.tokens - 1);
      return { ok: true };
    }
    const wait = (1 - bucket.tokens) / s.requestsPerSecond;
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(wait)), limit: s.burst };
  }
}
