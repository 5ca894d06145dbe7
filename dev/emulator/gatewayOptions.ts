import type { LockoutOptions } from './lockout';
import type { RateLimitOptions } from './rateLimit';

/** Options of the emulator's API-gateway behaviours (part of `EmulatorOptions`). */
export interface GatewayOptions {
  /**
   * A per-access-key request rate limit answering 429 `APIGW.0308` in the gateway's body shape.
   * Counted on requests to a known API whose signature verified. Settable at run time with
   * `Emulator.setRateLimit` or `POST /__emulator/rate-limit`.
   * @default undefined (no limit)
   */
  readonly rateLimit?: RateLimitOptions;
  /**
   * Lock an access key after consecutive signature failures (401 `APIGW.0301` "AK access failed to
   * reach the limit,forbidden" to every request with it until the lock ends), as Huawei's gateway
   * does; `false` turns it off.
   * @default { failures: 5, lockMs: 300_000 }
   */
  readonly lockout?: LockoutOptions | false;
  /**
   * The projects an access key belongs to; a request for another project is refused with 403
   * `APIGW.0302`. An access key not listed belongs to every project. A path project other than the
   * `X-Project-Id` header is refused for every access key.
   * @default {} (every access key belongs to every project)
   */
  readonly accessKeyProjects?: Readonly<Record<string, readonly string[]>>;
}

/** The gateway behaviours' part of a running `Emulator`. */
export interface GatewayControls {
  /** Turns the per-AK rate limit on with these settings, or off with `undefined`; every bucket starts full. */
  setRateLimit(options: RateLimitOptions | undefined): void;
  /** How many 429 `APIGW.0308` answers the rate limit has sent since the emulator started. */
  readonly throttled: number;
  /** Restricts an access key to these projects, or lets it reach every project again with `undefined`. */
  setAccessKeyProjects(accessKeyId: string, projects: readonly string[] | undefined): void;
  /** Forgets every signature-failure count and lock. */
  clearLockouts(): void;
}
