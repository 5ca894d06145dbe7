import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Prefix of every session value; a new format gets a new prefix and old sessions simply fail. */
const VERSION = 'v1';
const SESSION_SHAPE = /^v1\.(\d{1,12})\.([A-Za-z0-9_-]{16,64})\.([A-Za-z0-9_-]{43})$/;

function mac(key: Buffer, text: string): string {
  return createHmac('sha256', key).update(text, 'utf8').digest('base64url');
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** A session value whose signature holds: its expiry and its store id. */
export interface SignedSession {
  readonly expiresAtMs: number;
  /** SHA-256 of the nonce (base64url): the store never holds a value a cookie could be rebuilt from. */
  readonly id: string;
}

/** The store id of a session nonce. */
function sessionIdOf(nonce: string): string {
  return createHash('sha256').update(nonce, 'utf8').digest('base64url');
}

/**
 * Signs and checks the page's session values: `v1.{expiry}.{nonce}.{HMAC-SHA256}`. Nothing but the
 * expiry is inside, so a stolen cookie is worth one session and the bearer token never leaves the
 * sign-in request. The CSRF token of a session is another HMAC of its value.
 */
export class SessionSigner {
  readonly #key: Buffer;
  constructor(key: Buffer) {
    if (key.length < 16) throw new TypeError('SessionSigner: the key must be at least 16 bytes');
    this.#key = key;
  }

  /** A new session value, valid until `expiresAtMs`. */
  issue(expiresAtMs: number, nonce: string = randomBytes(18).toString('base64url')): string {
    const body = `${VERSION}.${Math.floor(expiresAtMs / 1000)}.${nonce}`;
    return `${body}.${mac(this.#key, body)}`;
  }

  /**
   * What `value` says, when it was issued with this key: its expiry and its id (a hash of its nonce,
   * the key of its record in the store). Says nothing about expiry or revocation: see `PageSessions`.
   */
  read(value: string | undefined): SignedSession | undefined {
    const m = SESSION_SHAPE.exec(value ?? '');
    if (!m) return undefined;
    const body = `${VERSION}.${m[1]}.${m[2]}`;
    if (!same(mac(this.#key, body), m[3] ?? '')) return undefined;
    return { expiresAtMs: Number(m[1]) * 1000, id: sessionIdOf(m[2] ?? '') };
  }

  /** The token the page's forms carry for this session (checked with `checkCsrf`). */
  csrfToken(session: string): string {
    return mac(this.#key, `csrf.${session}`);
  }

  checkCsrf(session: string, token: string | undefined): boolean {
    return token !== undefined && same(this.csrfToken(session), token);
  }

  toJSON(): string {
    return '[SessionSigner]';
  }
}

/**
 * The session key: the configured secret when there is one (so sessions survive a token rotation),
 * else derived from the accepted bearer tokens (so removing a token also ends the sessions it opened,
 * and nothing more needs configuring).
 */
export function sessionKey(secret: string | undefined, tokens: readonly string[]): Buffer {
  const material = secret && secret.length > 0 ? `secret\n${secret}` : `tokens\n${[...tokens].sort().join('\n')}`;
  return createHmac('sha256', 'dms-task-functions ops session v1').update(material, 'utf8').digest();
}
