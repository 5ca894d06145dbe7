import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
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
  records: Record<string, FileRecord>;
}

export interface FileStoreOptions {
  /** @default Date.now */
  readonly now?: () => number;
  /** A lock older than this is taken to belong to a dead process. @default 10000 */
  readonly staleLockMs?: number;
  /** Give up acquiring the lock after this long. @default 10000 */
  readonly lockTimeoutMs?: number;
}

/**
 * The embedded store for local runs: one JSON file. Every write holds an exclusive lock file
 * (`{path}.lock`, created with `O_EXCL`) for its read-modify-write and replaces the file atomically
 * (write a temporary file, then `rename`), so two processes never lose each other's writes and a
 * reader never sees half a file. Not for Lambda: `/tmp` is per instance.
 */
export class FileStore implements StateStore {
  readonly #path: string;
  readonly #now: () => number;
  readonly #staleMs: number;
  readonly #timeoutMs: number;

  constructor(path: string, options: FileStoreOptions = {}) {
    this.#path = path;
    this.#now = options.now ?? Date.now;
    this.#staleMs = options.staleLockMs ?? 10_000;
    this.#timeoutMs = options.lockTimeoutMs ?? 10_000;
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
    return { key, version: r.version, value: r.value, ...(r.due !== undefined ? { due: r.due } : {}), ...(r.expiresAt !== undefined ? { expiresAt: r.expiresAt } : {}) };
  }

  async #withLock<T>(fn: (data: FileShape) => T): Promise<T> {
    const lock = `${this.#path}.lock`;
    await mkdir(dirname(this.#path), { recursive: true });
    const started = Date.now();
    for (let i = 0; ; i++) {
      try {
        const fh = await open(lock, 'wx');
        await fh.writeFile(`${process.pid}\n`);
        await fh.close();
        break;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw new StateStoreError('lock', (e as NodeJS.ErrnoException).code ?? 'lock failed', { cause: e });
        const st = await stat(lock).catch(() => undefined);
        if (st && Date.now() - st.mtimeMs > this.#staleMs) await unlink(lock).catch(() => undefined);
        if (Date.now() - started > this.#timeoutMs) throw new StateStoreError('lock', `could not lock ${lock} within ${this.#timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, Math.min(50, 2 + i) * (0.5 + Math.random())));
      }
    }
    try {
      const data = await this.#read();
      const now = this.#now();
      for (const [k, r] of Object.entries(data.records)) if (r.expiresAt !== undefined && r.expiresAt <= now) delete data.records[k];
      const result = fn(data);
      const tmp = `${this.#path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
      await writeFile(tmp, JSON.stringify(data));
      await rename(tmp, this.#path);
      return result;
    } finally {
      await unlink(lock).catch(() => undefined);
    }
  }

  #record(prev: FileRecord | undefined, value: StoredValue, options: WriteOptions): FileRecord {
    return { version: (prev?.version ?? 0) + 1, value, ...(options.due !== undefined ? { due: options.due } : {}), ...(options.expiresAt !== undefined ? { expiresAt: options.expiresAt } : {}) };
  }

  async get(key: string): Promise<Versioned | undefined> {
    const r = (await this.#read()).records[key];
    return this.#live(r) ? this.#out(key, r) : undefined;
  }

  async getMany(keys: readonly string[]): Promise<Map<string, Versioned>> {
    const { records } = await this.#read();
    const out = new Map<string, Versioned>();
    for (const k of keys) {
      const r = records[k];
      if (this.#live(r)) out.set(k, this.#out(k, r));
    }
    return out;
  }

  async put(key: string, value: StoredValue, options: WriteOptions = {}): Promise<void> {
    await this.#withLock((d) => {
      d.records[key] = this.#record(d.records[key], value, options);
    });
  }

  async create(key: string, value: StoredValue, options: WriteOptions = {}): Promise<boolean> {
    return this.#withLock((d) => {
      if (d.records[key]) return false;
      d.records[key] = this.#record(undefined, value, options);
      return true;
    });
  }

  async update(key: string, expectedVersion: number, value: StoredValue, options: WriteOptions = {}): Promise<boolean> {
    return this.#withLock((d) => {
      const prev = d.records[key];
      if (!prev || prev.version !== expectedVersion) return false;
      d.records[key] = this.#record(prev, value, options);
      return true;
    });
  }

  async listDue(now: number, limit: number): Promise<Versioned[]> {
    const { records } = await this.#read();
    return Object.entries(records)
      .filter(([, r]) => this.#live(r) && r.due !== undefined && r.due <= now)
      .sort(([, a], [, b]) => (a.due ?? 0) - (b.due ?? 0))
      .slice(0, limit)
      .map(([k, r]) => this.#out(k, r));
  }
}
