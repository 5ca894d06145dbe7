/** A JSON object stored under a key. */
export type StoredValue = Readonly<Record<string, unknown>>;

/** A record as read back: `version` grows by one on every write and guards conditional updates. */
export interface Versioned<T extends StoredValue = StoredValue> {
  readonly key: string;
  readonly version: number;
  readonly value: T;
  /** Epoch ms while the record is listed by `listDue`. */
  readonly due?: number;
  /** Epoch ms after which the record is gone (DynamoDB TTL; the file store sweeps). */
  readonly expiresAt?: number;
}

/** One page of {@link StateStore.scan}. */
export interface ScanPage {
  readonly items: Versioned[];
  /** Continues after this page; absent on the last one. Opaque; a page may be short, even empty, and still have one. */
  readonly cursor?: string;
}

export interface WriteOptions {
  /** List the record in `listDue` from this time (epoch ms); absent = not listed. */
  readonly due?: number;
  /** Epoch ms after which the record may be deleted; absent = kept. */
  readonly expiresAt?: number;
}

/**
 * Whether a store keeps its data across a server restart. DCS single-node instances have no
 * persistence (DCS FAQ): one that restarts comes back empty, and the notifier then baselines every
 * instance again (announcing only what is newer than its grace window) and loses what was queued.
 */
export interface StorePersistence {
  /** `true` AOF or RDB snapshots on every node; `false` neither on some node; `undefined` not known. */
  readonly persists: boolean | undefined;
  /** What was read, for the log: e.g. `aof off, rdb save ""` (never a host or a secret). */
  readonly detail: string;
}

/**
 * The notifier's state: a small key-value store with conditional writes, the only primitive the
 * exactly-once bookkeeping needs. Expired records read as absent in every implementation.
 */
export interface StateStore {
  get(key: string): Promise<Versioned | undefined>;
  getMany(keys: readonly string[]): Promise<Map<string, Versioned>>;
  /** Unconditional write (last writer wins). */
  put(key: string, value: StoredValue, options?: WriteOptions): Promise<void>;
  /** Writes only when no live record holds the key. Resolves `false` when one does. */
  create(key: string, value: StoredValue, options?: WriteOptions): Promise<boolean>;
  /** Writes only when the record is still at `expectedVersion`. Resolves `false` otherwise. */
  update(key: string, expectedVersion: number, value: StoredValue, options?: WriteOptions): Promise<boolean>;
  /**
   * Records whose `due` is at or before `now`, soonest first, at most `limit`. May be slightly stale (re-read before
   * acting).
   */
  listDue(now: number, limit: number): Promise<Versioned[]>;
  /**
   * Live records whose key starts with `prefix`, about `limit` at a time, in the store's own order
   * (reads for the operator API, not for the notifier's bookkeeping): follow `cursor` until absent.
   * Throws `InvalidCursorError` for a cursor this store did not make.
   */
  scan(prefix: string, limit: number, cursor?: string): Promise<ScanPage>;
  /**
   * Whether the store survives a restart of its server, where that can be lost (the Redis store);
   * absent for stores that always persist (file, DynamoDB). Never throws.
   */
  persistence?(): Promise<StorePersistence>;
}
