import { EmulatorInputError } from './types';

/**
 * Huawei's API signing guide and the APIG FAQ: an AK/SK pair whose authentication fails five times in
 * a row is locked for five minutes, and every request with it is refused meanwhile, even a correctly
 * signed one.
 */
export interface LockoutOptions {
  /** Consecutive signature failures that lock an access key. @default 5 */
  readonly failures?: number;
  /** How long the lock lasts, in ms of the emulator's clock. @default 300_000 (5 minutes) */
  readonly lockMs?: number;
}

/** The defaults of {@link LockoutOptions}, from Huawei's docs. */
export const LOCKOUT_DEFAULTS = { failures: 5, lockMs: 5 * 60_000 } as const;

interface KeyState {
  failures: number;
  lockedUntilMs?: number;
}

/** Checks options that may have come from JSON and fills in the defaults. */
export function validateLockout(input: unknown): Required<LockoutOptions> {
  if (input === null || typeof input !== 'object' || Array.isArray(input))
    throw new EmulatorInputError('lockout must be an object or false');
  const l = input as Partial<Record<string, unknown>>;
  const failures = l.failures ?? LOCKOUT_DEFAULTS.failures;
  if (typeof failures !== 'number' || !Number.isInteger(failures) || failures < 1)
    throw new EmulatorInputError('lockout.failures must be a positive integer');
  const lockMs = l.lockMs ?? LOCKOUT_DEFAULTS.lockMs;
  if (typeof lockMs !== 'number' || !Number.isFinite(lockMs) || lockMs < 0)
    throw new EmulatorInputError('lockout.lockMs must be a non-negative number');
  return { failures, lockMs };
}

/**
 * Consecutive signature failures per access key, and the locks they cause. A success resets the
 * count; a lock ends after `lockMs` (then the count starts again from zero); failures while locked
 * neither count nor extend the lock.
 */
export class Lockout {
  private readonly settings: Required<LockoutOptions> | undefined;
  private keys = new Map<string, KeyState>();

  constructor(options: LockoutOptions | false | undefined) {
    this.settings = options === false ? undefined : validateLockout(options ?? {});
  }

  /** The settings in force, or `undefined` when lockout is off. */
  get current(): Required<LockoutOptions> | undefined {
    return this.settings;
  }

  /** Whether `accessKeyId` is locked at `nowMs` (an expired lock is cleared here). */
  isLocked(accessKeyId: string, nowMs: number): boolean {
    const key = this.keys.get(accessKeyId);
    if (key?.lockedUntilMs === undefined) return false;
    if (nowMs < key.lockedUntilMs) return true;
    this.keys.delete(accessKeyId);
    return false;
  }

  /** Counts a signature failure; returns whether the key is now locked. */
  fail(accessKeyId: string, nowMs: number): boolean {
    const s = this.settings;
    if (!s) return false;
    const key = this.keys.get(accessKeyId) ?? { failures: 0 };
    key.failures += 1;
    if (key.failures >= s.failures) key.lockedUntilMs = nowMs + s.lockMs;
    this.keys.set(accessKeyId, key);
    return key.lockedUntilMs !== undefined;
  }

  /** A verified signature: the count starts again. */
  succeed(accessKeyId: string): void {
    this.keys.delete(accessKeyId);
  }

  /** Access keys locked at `nowMs`, with the time their lock ends. */
  locked(nowMs: number): { accessKeyId: string; until: string }[] {
    return [...this.keys.entries()].flatMap(([accessKeyId, k]) =>
      k.lockedUntilMs !== undefined && nowMs < k.lockedUntilMs
        ? [{ accessKeyId, until: new Date(k.lockedUntilMs).toISOString() }]
        : [],
    );
  }

  /** Forgets every count and lock. */
  clear(): void {
    this.keys = new Map();
  }
}
