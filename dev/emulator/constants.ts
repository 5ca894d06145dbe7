import type { Credentials } from '../../lib/signing';

/**
 * The emulator's default (and only, unless configured) credential pair. Fake, public, and accepted
 * by nothing but the emulator.
 */
export const EMULATOR_CREDENTIALS = {
  accessKeyId: 'EMULATORAK0000000000',
  secretAccessKey: 'emulator-secret-key-0000000000000000000000',
} as const satisfies Credentials;

/**
 * Path prefix of the control surface. It exists only in the emulator: no signature, no faults, no
 * latency, not recorded in `requests`.
 */
export const CONTROL_PREFIX = '/__emulator';

/** Defaults of `EmulatorOptions`, in one place for the TSDoc and the tests. */
export const EMULATOR_DEFAULTS = {
  port: 0,
  host: '127.0.0.1',
  maxClockSkewMs: 15 * 60_000,
  offsetBase: 1,
  acceptedOffsetParams: ['start', 'offset'],
  taskCount: 'total',
  defaultLimit: 10,
  maxLimit: 100,
  latencyMs: 0,
} as const;

/** Request bodies larger than this are refused with 413 (only the control surface reads bodies). */
export const MAX_REQUEST_BODY_BYTES = 1024 * 1024;
