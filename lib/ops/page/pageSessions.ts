import { keys } from '../../notify/records';
import type { StateStore } from '../../state/types';
import { DEFAULT_SESSION_SECONDS } from './constants';
import type { SessionSigner } from './session';
import { readSessionRecord } from './sessionRecords';

/** Seconds a session's expiry may lie beyond `issuedAt + lifetime` (clocks of two warm instances). */
export const SESSION_CLOCK_SKEW_SECONDS = 5;

/** Options of {@link PageSessions}. */
export interface PageSessionsOptions {
  /** How long a session lasts after sign-in; also the longest any session may last. @default 3600 */
  readonly lifetimeSeconds?: number;
}

/** A new session: the cookie value and its `Max-Age`. */
export interface OpenedSession {
  readonly value: string;
  readonly maxAgeSeconds: number;
}

/**
 * The page's sessions, kept in the state store so that every warm instance agrees (issue 20 item 5):
 * a session is valid only while its signature holds, it has not expired, its expiry is within the
 * lifetime of its sign-in, and its record exists and is not revoked. A value signed with a known key
 * (the key derived from the bearer tokens, say) but never issued has no record and is refused,
 * whatever expiry it names. Sign-out revokes the record: the old cookie stops working everywhere.
 */
export class PageSessions {
  readonly #store: StateStore;
  readonly #signer: SessionSigner;
  readonly #lifetimeMs: number;

  constructor(store: StateStore, signer: SessionSigner, options: PageSessionsOptions = {}) {
    const seconds = options.lifetimeSeconds ?? DEFAULT_SESSION_SECONDS;
    if (!(Number.isInteger(seconds) && seconds > 0))
      throw new RangeError('PageSessions: lifetimeSeconds must be a positive integer');
    this.#store = store;
    this.#signer = signer;
    this.#lifetimeMs = seconds * 1000;
  }

  /** Signs a new session valid for the lifetime from `now` and records it. */
  async open(now: number): Promise<OpenedSession> {
    // Whole seconds: the value carries its expiry in seconds, and the record must name the same one.
    const expiresAt = Math.floor((now + this.#lifetimeMs) / 1000) * 1000;
    const value = this.#signer.issue(expiresAt);
    const signed = this.#signer.read(value);
    if (!signed) throw new Error('PageSessions: a value just issued does not verify');
    const created = await this.#store.create(
      keys.session(signed.id),
      { issuedAt: now, expiresAt },
      { expiresAt: expiresAt + SESSION_CLOCK_SKEW_SECONDS * 1000 },
    );
    // 144 random bits: a clash means the store or the random source is broken, not bad luck.
    if (!created) throw new Error('PageSessions: a new session id is already in the store');
    return { value, maxAgeSeconds: Math.max(1, Math.ceil((expiresAt - now) / 1000)) };
  }

  /** True when `value` is a live session at `now` (see the class). One store read when the signature holds. */
  async check(value: string | undefined, now: number): Promise<boolean> {
    const signed = this.#signer.read(value);
    if (!signed || signed.expiresAtMs <= now) return false;
    if (signed.expiresAtMs - now > this.#lifetimeMs + SESSION_CLOCK_SKEW_SECONDS * 1000) return false;
    const key = keys.session(signed.id);
    const stored = await this.#store.get(key);
    const record = stored ? readSessionRecord(key, stored.value) : undefined;
    if (!record || record.revokedAt !== undefined) return false;
    if (record.expiresAt !== signed.expiresAtMs) return false;
    return record.issuedAt + this.#lifetimeMs + SESSION_CLOCK_SKEW_SECONDS * 1000 >= record.expiresAt;
  }

  /**
   * Ends the session of `value` for every instance (sign-out). A value that is not a live session is
   * left alone: nothing to end.
   */
  async revoke(value: string | undefined, now: number): Promise<void> {
    const signed = this.#signer.read(value);
    if (!signed || signed.expiresAtMs <= now) return;
    const key = keys.session(signed.id);
    const stored = await this.#store.get(key);
    const record = stored ? readSessionRecord(key, stored.value) : undefined;
    if (!stored || !record || record.revokedAt !== undefined) return;
    // Last writer wins is right here: any write that lands keeps `revokedAt`.
    await this.#store.put(
      key,
      { ...record, revokedAt: now },
      { expiresAt: record.expiresAt + SESSION_CLOCK_SKEW_SECONDS * 1000 },
    );
  }
}
