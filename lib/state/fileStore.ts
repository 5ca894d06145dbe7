import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { sleep } from '../core/sleep';
import { StateStoreError } from './errors';
import type { StateStore, StoredValue, Versioned, WriteOptions } from './types';

interface FileRecord {
  version: number;
  value: StoredValue;
  due?: number;
  expiresAt?: number;
}

interface FileShape {
  readonly format: 1;
  /** Random per write: a file whose head still shows the generation this process wrote is unchanged since. */
  readonly gen?: string;
  records: Record<string, FileRecord>;
}

/**
 * Whether the process named in a lock file (`{pid}\n`) still runs. The file store is local, so the pid
 * is on this host. An unreadable pid (the lock was just created) or our own (we never wait on our own
 * lock: commits are serialised in-process) counts as gone, leaving the decision to the lock's age.
 */
function ownerAlive(content: string): boolean {
  const pid = Number.parseInt(content, 10);
  if (!Number.isSafeInteger(pid) || pid <= 0 || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Bytes enough to hold `{"format":1,"gen":"<32 hex>"`. */
const HEAD_BYTES = 64;
const HEAD = /^\{"format":1,"gen":"([0-9a-f]{32})"/;

export interface FileStoreOptions {
  /** @default Date.now */
  readonly now?: () => number;
  /** A lock older than this whose process no longer runs is a crashed process's, and is broken. @default 10000 */
  readonly staleLockMs?: number;
  /** Give up acquiring the lock after this long. @default 10000 */
  readonly lockTimeoutMs?: number;
}

/** What one queued operation does to the file's records; `changed` says whether it wrote. */
type Apply<T> = (records: Record<string, FileRecord>) => { readonly result: T; readonly changed: boolean };

interface QueuedOp {
  readonly writes: boolean;
  readonly apply: Apply<unknown>;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * The embedded store for local runs: one JSON file. Every write holds an exclusive lock file
 * (`{path}.lock`, created with `O_EXCL`) for its read-modify-write and replaces the file atomically
 * (write a temporary file, then `rename`), so two processes never lose each other's writes and a
 * reader never sees half a file. Not for Lambda: `/tmp` is per instance.
 *
 * Within one process, operations are queued and group-committed: whatever was queued while the
 * previous commit ran is applied in order to one read of the file (each conditional write judged
 * against the state the ones before it left), under one lock, with one write and `rename`. Each
 * caller gets its own result, and only once the commit is on disk. So N concurrent writers cost
 * about one read-modify-write per commit rather than N, and never poll for their own lock.
 */
export class FileStore implements StateStore {
  readonly #path: string;
  readonly #now: () => number;
  readonly #staleMs: number;
  readonly #timeoutMs: number;
  #queue: QueuedOp[] = [];
  #draining = false;
  /** The file as this process last wrote it, reused while the file's head still shows its generation. */
  #last: FileShape | undefined;

  constructor(path: string, options: FileStoreOptions = {}) {
    this.#path = path;
    this.#now = options.now ?? Date.now;
    this.#staleMs = options.staleLockMs ?? 10_000;
    this.#timeoutMs = options.lockTimeoutMs ?? 10_000;
  }

  /** The file's records: the copy this process last wrote when the file is still that one, else a full read. */
  async #current(): Promise<FileShape> {
    const last = this.#last;
    if (last?.gen !== undefined && (await this.#headGen()) === last.gen) return last;
    return this.#read();
  }

  async #headGen(): Promise<string | undefined> {
    try {
      const fh = await open(this.#path, 'r');
      try {
        const buf = Buffer.alloc(HEAD_BYTES);
        const { bytesRead } = await fh.read(buf, 0, HEAD_BYTES, 0);
        return HEAD.exec(buf.toString('utf8', 0, bytesRead))?.[1];
      } finally {
        await fh.close();
      }
    } catch {
      return undefined; // absent or unreadable: the full read says which
    }
  }

  async #read(): Promise<FileShape> {
    let text: string;
    try {
      text = await readFile(this.#path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { format: 1, records: {} };
      throw new StateStoreError('read', (e as NodeJS.ErrnoException).code ?? 'read failed', { cause: e });
    }
    try {
      const parsed = JSON.parse(text) as FileShape;
      if (parsed.format !== 1 || typeof parsed.records !== 'object') throw new Error('unknown format');
      return parsed;
    } catch (e) {
      throw new StateStoreError('read', `${this.#path} is not a state file`, { cause: e });
    }
  }

  #live(r: FileRecord | undefined): r is FileRecord {
    return r !== undefined && (r.expiresAt === undefined || r.expiresAt > this.#now());
  }

  #out(key: string, r: FileRecord): Versioned {
    // A copy: the records may be kept for the next commit, and callers may edit what they get.
    return { key, version: r.version, value: structuredClone(r.value), ...(r.due !== undefined ? { due: r.due } : {}), ...(r.expiresAt !== undefined ? { expiresAt: r.expiresAt } : {}) };
  }

  async #lock(): Promise<string> {
    const lock = `${this.#path}.lock`;
    await mkdir(dirname(this.#path), { recursive: true });
    const started = Date.now();
    for (let i = 0; ; i++) {
      try {
        const fh = await open(lock, 'wx');
        await fh.writeFile(`${process.pid}\n`);
        await fh.close();
        return lock;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw new StateStoreError('lock', (e as NodeJS.ErrnoException).code ?? 'lock failed', { cause: e });
        const st = await stat(lock).catch(() => undefined);
        // Old and its owner gone: a crashed process's. An old lock of a live process (a slow commit) is waited for.
        if (st && Date.now() - st.mtimeMs > this.#staleMs && !ownerAlive(await readFile(lock, 'utf8').catch(() => ''))) await unlink(lock).catch(() => undefined);
        if (Date.now() - started > this.#timeoutMs) throw new StateStoreError('lock', `could not lock ${lock} within ${this.#timeoutMs} ms`);
        await sleep(Math.min(50, 2 + i) * (0.5 + Math.random()));
      }
    }
  }

  /** Replaces the file atomically: a crash before the `rename` leaves the previous file whole. */
  async #write(records: Record<string, FileRecord>): Promise<void> {
    const tmp = `${this.#path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    const data: FileShape = { format: 1, gen: randomBytes(16).toString('hex'), records };
    try {
      await writeFile(tmp, JSON.stringify(data));
      await rename(tmp, this.#path);
      this.#last = data;
    } catch (e) {
      await unlink(tmp).catch(() => undefined);
      throw new StateStoreError('write', (e as NodeJS.ErrnoException).code ?? 'write failed', { cause: e });
    }
  }

  /** Applies `ops` in order to one read of the file; with any write among them, under the lock and followed by one write. */
  async #commit(ops: readonly QueuedOp[]): Promise<{ ok: boolean; value: unknown }[]> {
    const run = (records: Record<string, FileRecord>): { outcomes: { ok: boolean; value: unknown }[]; changed: boolean } => {
      let changed = false;
      const outcomes = ops.map((op) => {
        try {
          const r = op.apply(records);
          changed ||= r.changed;
          return { ok: true, value: r.result };
        } catch (e) {
          return { ok: false, value: e };
        }
      });
      return { outcomes, changed };
    };
    if (!ops.some((op) => op.writes)) return run((await this.#current()).records).outcomes;
    const lock = await this.#lock();
    try {
      const data = await this.#current();
      // The batch edits `data` in place: until its write succeeds, it is not what the file holds.
      this.#last = undefined;
      const now = this.#now();
      let swept = false;
      for (const k in data.records) {
        const exp = data.records[k]?.expiresAt;
        if (exp !== undefined && exp <= now) {
          delete data.records[k];
          swept = true;
        }
      }
      const { outcomes, changed } = run(data.records);
      if (changed || swept) await this.#write(data.records);
      else if (data.gen !== undefined) this.#last = data;
      return outcomes;
    } finally {
      await unlink(lock).catch(() => undefined);
    }
  }

  async #drain(): Promise<void> {
    try {
      while (this.#queue.length > 0) {
        const batch = this.#queue;
        this.#queue = [];
        try {
          const outcomes = await this.#commit(batch);
          batch.forEach((op, i) => {
            const o = outcomes[i];
            if (o?.ok) op.resolve(o.value);
            else op.reject(o?.value);
          });
        } catch (e) {
          // Nothing of this batch reached the file (or it cannot be known to have): every caller hears of it.
          for (const op of batch) op.reject(e);
        }
      }
    } finally {
      this.#draining = false;
    }
  }

  #enqueue<T>(writes: boolean, apply: Apply<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ writes, apply, resolve: resolve as (value: unknown) => void, reject });
      if (this.#draining) return;
      this.#draining = true;
      // Start on the next microtask, so operations issued together (a `Promise.all`) share the first commit too.
      queueMicrotask(() => void this.#drain());
    });
  }

  #record(prev: FileRecord | undefined, value: StoredValue, options: WriteOptions): FileRecord {
    return { version: (prev?.version ?? 0) + 1, value: JSON.parse(JSON.stringify(value)) as StoredValue, ...(options.due !== undefined ? { due: options.due } : {}), ...(options.expiresAt !== undefined ? { expiresAt: options.expiresAt } : {}) };
  }

  get(key: string): Promise<Versioned | undefined> {
    return this.#enqueue(false, (records) => {
      const r = records[key];
      return { result: this.#live(r) ? this.#out(key, r) : undefined, changed: false };
    });
  }

  getMany(keys: readonly string[]): Promise<Map<string, Versioned>> {
    const wanted = [...keys];
    return this.#enqueue(false, (records) => {
      const out = new Map<string, Versioned>();
      for (const k of wanted) {
        const r = records[k];
        if (this.#live(r)) out.set(k, this.#out(k, r));
      }
      return { result: out, changed: false };
    });
  }

  put(key: string, value: StoredValue, options: WriteOptions = {}): Promise<void> {
    return this.#enqueue(true, (records) => {
      records[key] = this.#record(records[key], value, options);
      return { result: undefined, changed: true };
    });
  }

  create(key: string, value: StoredValue, options: WriteOptions = {}): Promise<boolean> {
    return this.#enqueue(true, (records) => {
      // Expired records were swept before the batch; `#live` also covers one expiring during it.
      if (this.#live(records[key])) return { result: false, changed: false };
      records[key] = this.#record(undefined, value, options);
      return { result: true, changed: true };
    });
  }

  update(key: string, expectedVersion: number, value: StoredValue, options: WriteOptions = {}): Promise<boolean> {
    return this.#enqueue(true, (records) => {
      const prev = records[key];
      if (!this.#live(prev) || prev.version !== expectedVersion) return { result: false, changed: false };
      records[key] = this.#record(prev, value, options);
      return { result: true, changed: true };
    });
  }

  listDue(now: number, limit: number): Promise<Versioned[]> {
    return this.#enqueue(false, (records) => ({
      result: Object.entries(records)
        .filter(([, r]) => this.#live(r) && r.due !== undefined && r.due <= now)
        .sort(([, a], [, b]) => (a.due ?? 0) - (b.due ?? 0))
        .slice(0, limit)
        .map(([k, r]) => this.#out(k, r)),
      changed: false,
    }));
  }
}
