/** What a `SecretCache` is built with. */
export interface SecretCacheOptions {
  /** How long a successful read is kept, from when it completed (ms); 0 keeps nothing. */
  readonly ttlMs: number;
  /** The clock (tests inject one). @default Date.now */
  readonly now?: () => number;
}

interface Entry {
  readonly value: Promise<string>;
  /** When the value goes stale; `undefined` while the read is still under way. */
  expiresAt?: number;
}

/**
 * Secret reads kept for a bounded time, so a rotated bearer token, webhook secret or key is picked
 * up by a warm instance within `ttlMs`, without a cold start. Concurrent callers of one key share the
 * read under way; a failed read is dropped at once (never kept), so the next call reads again. Holds
 * only promises of values: `toJSON` shows none.
 *
 * @example
 * const cache = new SecretCache({ ttlMs: 300_000 });
 * const token = await cache.get('ssm:/dtf/tokens', () => readParameter('/dtf/tokens'));
 */
export class SecretCache {
  readonly #ttlMs: number;
  readonly #now: () => number;
  readonly #entries = new Map<string, Entry>();

  constructor(options: SecretCacheOptions) {
    this.#ttlMs = options.ttlMs;
    this.#now = options.now ?? Date.now;
  }

  /** The kept value of `key` while fresh, else the value `read` gives (kept for `ttlMs`). */
  get(key: string, read: () => Promise<string>): Promise<string> {
    const kept = this.#entries.get(key);
    if (kept && (kept.expiresAt === undefined || this.#now() < kept.expiresAt)) return kept.value;
    const entry: Entry = { value: read() };
    this.#entries.set(key, entry);
    entry.value.then(
      () => {
        entry.expiresAt = this.#now() + this.#ttlMs;
      },
      () => {
        if (this.#entries.get(key) === entry) this.#entries.delete(key);
      },
    );
    return entry.value;
  }

  /** How many keys are kept (fresh, stale or under way). */
  get size(): number {
    return this.#entries.size;
  }

  /** Never shows a value. */
  toJSON(): string {
    return `[SecretCache of ${this.size}]`;
  }
}
