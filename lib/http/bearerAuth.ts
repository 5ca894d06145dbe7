import { createHash, timingSafeEqual } from 'node:crypto';
import { ConfigError } from '../config/errors';
import { describeRef, resolveSecret, type SecretOptions } from '../secrets/resolveSecret';
import type { SecretRef } from '../config/types';
import { AUTH_REALM } from './constants';
import { AuthenticationError } from './errors';

/** Shortest bearer token accepted in configuration: a guessable token is a configuration error. */
export const MIN_TOKEN_LENGTH = 16;

const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

function digest(s: string): Buffer {
  return createHash('sha256').update(s, 'utf8').digest();
}

/**
 * The accepted bearer tokens. `matches` compares the SHA-256 digest of a candidate with every
 * token's in constant time (equal-length digests, no early exit), so neither the position of a
 * difference nor which token matched shows in the timing. The plain tokens are kept only for the
 * log redactor (`plain()`); `toJSON` never shows them.
 */
export class TokenSet {
  readonly #digests: readonly Buffer[];
  readonly #plain: readonly string[];
  constructor(tokens: readonly string[]) {
    this.#digests = tokens.map(digest);
    this.#plain = [...tokens];
  }
  /** The tokens themselves, only for the log redactor. */
  plain(): readonly string[] {
    return this.#plain;
  }
  get size(): number {
    return this.#digests.length;
  }
  matches(candidate: string): boolean {
    const d = digest(candidate);
    let ok = false;
    for (const known of this.#digests) ok = timingSafeEqual(d, known) || ok;
    return ok;
  }
  /** Never shows a token. */
  toJSON(): string {
    return `[TokenSet of ${this.size}]`;
  }
}

/**
 * Resolves the configured references (each may hold a comma-separated list, for rotation) into a
 * `TokenSet`. Called on every request with `options.cache`, so a rotated token is accepted (and the
 * retired one refused) once the cached read expires. Throws `ConfigError` naming the reference (never
 * a value) when one holds a token shorter than `MIN_TOKEN_LENGTH` or nothing at all.
 */
export async function resolveTokens(refs: readonly SecretRef[], options: SecretOptions = {}): Promise<TokenSet> {
  const lists = await Promise.all(refs.map((r) => resolveSecret(r, options)));
  const tokens: string[] = [];
  for (const [i, list] of lists.entries()) {
    const ref = refs[i];
    const path = `http.tokens[${i}]`;
    const fail = (problem: string): never => {
      throw new ConfigError(path, `${ref ? describeRef(ref) : path} holds ${problem}`);
    };
    const parts = list
      .split(',')
      .map((t) => t.trim())
      .filter((t) => t !== '');
    if (parts.length === 0) fail('no token');
    for (const t of parts) {
      if (t.length < MIN_TOKEN_LENGTH) fail(`a token shorter than ${MIN_TOKEN_LENGTH} characters`);
      if (!BEARER.test(`Bearer ${t}`)) fail('a token with characters a bearer token cannot carry');
    }
    tokens.push(...parts);
  }
  return new TokenSet(tokens);
}

/** Checks `Authorization: Bearer <token>`; throws `AuthenticationError` (401 with `WWW-Authenticate`). */
export function authenticate(authorization: string | undefined, tokens: TokenSet): void {
  if (authorization === undefined || authorization.trim() === '')
    throw new AuthenticationError('missing', `Bearer realm="${AUTH_REALM}"`);
  const m = BEARER.exec(authorization);
  const ok = m?.[1] !== undefined && tokens.matches(m[1]);
  if (!ok) throw new AuthenticationError('invalid', `Bearer realm="${AUTH_REALM}", error="invalid_token"`);
}
