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
}

/** The gateway behaviours' part of a running `Emulator`. */
export interface GatewayControls {
  /** Turns the per-AK rate limit on with these settings, or off with `undefined`; every bucket starts full. */
  setRateLimit(options: RateLimitOptions | undefined): void;
  /** How many 429 `APIGW.0308` answers the rate limit has sent since the emulator started. */
  readonly throttled: number;
}
