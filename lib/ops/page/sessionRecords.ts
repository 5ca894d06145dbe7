import { readNumber, readObject } from '../../config/readers';
import { readStored } from '../../notify/records';
import type { StoredValue } from '../../state/types';

/**
 * The fleet page's records in the state store (keys in `lib/notify/records.ts`, `keys.session` and
 * `keys.signIn*`), each with the reader that turns a stored value back into it through the store
 * schema's `readStored`: a value that is not the record (written by hand, cut short) reads as
 * `undefined` (no session; a full bucket), never as a cast.
 */

/** Epoch ms up to the year 9999: what a stored time may be. */
const EPOCH_MS = { min: 0, max: 253_402_300_799_999 } as const;

/** A required epoch-ms field (`readNumber` falls back when absent; `null` makes absence an error). */
function epochMs(v: unknown, path: string): number {
  return readNumber(v ?? null, path, 0, EPOCH_MS);
}

/**
 * One signed-in session (`session#{id}`, the id a hash of the cookie's nonce). Written at sign-in
 * with the store's own expiry at `expiresAt`; sign-out sets `revokedAt` (the record then stays until
 * it expires, so every warm instance reads the revocation).
 */
export interface SessionRecord extends StoredValue {
  readonly issuedAt: number;
  /** The expiry the cookie carries (epoch ms): a cookie naming another one is refused. */
  readonly expiresAt: number;
  readonly revokedAt?: number;
}

function parseSessionRecord(v: unknown, path: string): SessionRecord {
  const o = readObject(v, path);
  const issuedAt = epochMs(o.issuedAt, `${path}.issuedAt`);
  const expiresAt = epochMs(o.expiresAt, `${path}.expiresAt`);
  const revokedAt = o.revokedAt === undefined ? undefined : epochMs(o.revokedAt, `${path}.revokedAt`);
  return { issuedAt, expiresAt, ...(revokedAt !== undefined ? { revokedAt } : {}) };
}

/** A stored session record, or `undefined` when the value is not one. */
export function readSessionRecord(key: string, value: unknown): SessionRecord | undefined {
  const read = readStored(key, value, parseSessionRecord);
  return read.ok ? read.record : undefined;
}

/**
 * A token bucket of sign-in attempts (`signin#client#{hash}`, `signin#all`): `tokens` left at `at`.
 * Absent means full; the store drops it once it would be full again.
 */
export interface SignInBucketRecord extends StoredValue {
  readonly tokens: number;
  readonly at: number;
}

function parseSignInBucket(v: unknown, path: string): SignInBucketRecord {
  const o = readObject(v, path);
  const tokens = readNumber(o.tokens ?? null, `${path}.tokens`, 0, { min: 0, max: 1e6, integer: false });
  return { tokens, at: epochMs(o.at, `${path}.at`) };
}

/** A stored bucket, or `undefined` when the value is not one. */
export function readSignInBucket(key: string, value: unknown): SignInBucketRecord | undefined {
  const read = readStored(key, value, parseSignInBucket);
  return read.ok ? read.record : undefined;
}
