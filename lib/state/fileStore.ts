import { GroupCommit, type Applied, type Batch } from './groupCommit';
import { acquireLockFile } from './lockFile';
import { StateFile, earliestExpiry, sweepExpired, type StateRecord } from './stateFile';
import type { ScanPage, StateStore, StoredValue, Versioned, WriteOptions } from './types';

export interface FileStoreOptions {
  /** @default Date.now */
  readonly now?: () => number;
  /** A lock older than this whose process no longer runs is a crashed process's, and is broken. @default 10000 */
  readonly staleLockMs?: number;
  /** Give up acquiring the lock after this long. @default 10000 */
  readonly lockTimeoutMs?: number;
}

type Records = Record<string, StateRecord>;

function isLive(r: StateRecord | undefined, now: number): r is StateRecord {
  return r !== undefined && (r.expiresAt === undefined || r.expiresAt > now);
}

/** A copy: the records may be kept for the next commit, and callers may edit what they get. */
function toVersioned(key: string, r: StateRecord): Versioned {
  return {
    key,
    version: r.version,
    value: structuredClone(r.value),
    ...(r.due !== undefined ? { due: r.due } : {}),
    ...(r.expiresAt !== undefined ? { expiresAt: r.expiresAt } : {}),
  };
}

/** The record written over `prev`: the next version, and a copy of `value` as JSON would store it. */
function nextRecord(prev: StateRecord | undefined, value: StoredValue, options: WriteOptions): StateRecord {
  return {
    version: (prev?.version ?? 0) + 1,
    value: JSON.parse(JSON.stringify(value)) as StoredValue,
    ...(options.due !== undefined ? { due: options.due } : {}),
    ...(options.expiresAt !== undefined ? { expiresAt: options.expiresAt } : {}),
  };
}

/**
 * The embedded store for local runs: one JSON file ({@link StateFile}). Every write holds an exclusive
 * lock file (`{path}.lock`, see {@link acquireLockFile}) for its read-modify-write and replaces the
 * file atomically, so two processes never lose each other's writes and a reader never sees half a
 * file. Not for Lambda: `/tmp` is per instance.
 *
 * Within one process, operations are group-committed ({@link GroupCommit}): whatever was queued while
 * the previous commit ran is applied in order to one read of the file (each conditional write judged
 * against the state the ones before it left), under one lock, with one write and `rename`. Each
 * caller gets its own result, and only once the commit is on disk.
 */
export class FileStore implements StateStore {
  readonly #file: StateFile;
  readonly #now: () => number;
  readonly #staleMs: number;
  readonly #timeoutMs: number;
  readonly #commits = new GroupCommit<Records>((batch) => this.#commit(batch));
  /**
   * The records last committed and the earliest expiry among them: while the next commit starts from
   * those same records (the file unchanged since) and that time has not come, there is nothing to
   * sweep, and the commit skips a pass over every record.
   */
  #expiry: { readonly records: Records; next: number } | undefined;
  /** Keys the batch being applied wrote: what the state file serialises again. */
  readonly #changed = new Set<string>();

  constructor(path: string, options: FileStoreOptions = {}) {
    this.#file = new StateFile(path);
    this.#now = options.now ?? Date.now;
    this.#staleMs = options.staleLockMs ?? 10_000;
    this.#timeoutMs = options.lockTimeoutMs ?? 10_000;
  }

  /**
   * One batch against the file: reads alone use the current file without a lock; a batch with any write
   * takes the lock, sweeps expired records, applies, and writes when something changed.
   */
  async #commit(batch: Batch<Records>): Promise<Applied> {
    if (!batch.writes) return batch.applyTo((await this.#file.read()).records);
    const lockOptions = { staleMs: this.#staleMs, timeoutMs: this.#timeoutMs };
    const lock = await acquireLockFile(`${this.#file.path}.lock`, lockOptions);
    try {
      const data = await this.#file.read();
      // The batch edits `data` in place: until its write succeeds, it is not what the file holds.
      this.#file.forget();
      const swept = this.#sweep(data.records);
      this.#changed.clear();
      const applied = batch.applyTo(data.records);
      // After a sweep (rare: see #sweep) the file serialises every record again.
      if (applied.changed || swept) await this.#file.write(data.records, swept ? undefined : this.#changed);
      else this.#file.keep(data);
      return applied;
    } finally {
      await lock.release();
    }
  }

  /** Sweeps the expired records unless none can have expired since the last commit; whether it deleted any. */
  #sweep(records: Records): boolean {
    const now = this.#now();
    if (this.#expiry?.records === records && this.#expiry.next > now) return false;
    const swept = sweepExpired(records, now);
    this.#expiry = { records, next: earliestExpiry(records) };
    return swept;
  }

  /** {@link nextRecord} for `key`, noting the key as changed and keeping the earliest expiry up to date. */
  #next(key: string, prev: StateRecord | undefined, value: StoredValue, options: WriteOptions): StateRecord {
    this.#changed.add(key);
    const r = nextRecord(prev, value, options);
    if (this.#expiry && r.expiresAt !== undefined) this.#expiry.next = Math.min(this.#expiry.next, r.expiresAt);
    return r;
  }

  get(key: string): Promise<Versioned | undefined> {
    return this.#commits.run(false, (records) => {
      const r = records[key];
      return { result: isLive(r, this.#now()) ? toVersioned(key, r) : undefined, changed: false };
    });
  }

  getMany(keys: readonly string[]): Promise<Map<string, Versioned>> {
    const wanted = [...keys];
    return this.#commits.run(false, (records) => {
      const out = new Map<string, Versioned>();
      for (const k of wanted) {
        const r = records[k];
        if (isLive(r, this.#now())) out.set(k, toVersioned(k, r));
      }
      return { result: out, changed: false };
    });
  }

  put(key: string, value: StoredValue, options: WriteOptions = {}): Promise<void> {
    return this.#commits.run(true, (records) => {
      records[key] = this.#next(key, records[key], value, options);
      return { result: undefined, changed: true };
    });
  }

  create(key: string, value: StoredValue, options: WriteOptions = {}): Promise<boolean> {
    return this.#commits.run(true, (records) => {
      // Expired records were swept before the batch; `isLive` also covers one expiring during it.
      if (isLive(records[key], this.#now())) return { result: false, changed: false };
      records[key] = this.#next(key, undefined, value, options);
      return { result: true, changed: true };
    });
  }

  update(key: string, expectedVersion: number, value: StoredValue, options: WriteOptions = {}): Promise<boolean> {
    return this.#commits.run(true, (records) => {
      const prev = records[key];
      if (!isLive(prev, this.#now()) || prev.version !== expectedVersion) return { result: false, changed: false };
      records[key] = this.#next(key, prev, value, options);
      return { result: true, changed: true };
    });
  }

  /** Keys in order; the cursor is the last key returned. */
  scan(prefix: string, limit: number, cursor?: string): Promise<ScanPage> {
    return this.#commits.run(false, (records) => {
      const keys = Object.keys(records)
        .filter((k) => k.startsWith(prefix) && (cursor === undefined || k > cursor) && isLive(records[k], this.#now()))
        .sort();
      const page = keys.slice(0, limit);
      const items = page.map((k) => toVersioned(k, records[k] as StateRecord));
      const last = page[page.length - 1];
      return {
        result: keys.length > limit && last !== undefined ? { items, cursor: last } : { items },
        changed: false,
      };
    });
  }

  listDue(now: number, limit: number): Promise<Versioned[]> {
    return this.#commits.run(false, (records) => ({
      result: Object.entries(records)
        .filter(([, r]) => isLive(r, this.#now()) && r.due !== undefined && r.due <= now)
        .sort(([, a], [, b]) => (a.due ?? 0) - (b.due ?? 0))
        .slice(0, limit)
        .map(([k, r]) => toVersioned(k, r)),
      changed: false,
    }));
  }
}
