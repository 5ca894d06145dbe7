import { randomBytes } from 'node:crypto';
import { open, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { StateStoreError } from './errors';
import type { StoredValue } from './types';

/** One record as the state file holds it. */
export interface StateRecord {
  version: number;
  value: StoredValue;
  due?: number;
  expiresAt?: number;
}

/** The state file's JSON document. */
export interface StateFileContent {
  readonly format: 1;
  /** Random per write: a file whose head still shows the generation this process wrote is unchanged since. */
  readonly gen?: string;
  records: Record<string, StateRecord>;
}

/** Bytes enough to hold `{"format":1,"gen":"<32 hex>"`. */
const HEAD_BYTES = 64;
const HEAD = /^\{"format":1,"gen":"([0-9a-f]{32})"/;
/**
 * Characters of JSON per write call at most: the file is written in pieces of this size rather than
 * as one string of the whole state, which at 10,000 records (1.7 MB) per commit kept the heap large.
 */
const CHUNK_CHARS = 64 * 1024;

/**
 * Deletes the records expired at `now` from `records` (in place). Returns whether any was deleted,
 * so a commit with nothing else to write still writes the sweep.
 */
export function sweepExpired(records: Record<string, StateRecord>, now: number): boolean {
  let swept = false;
  for (const k in records) {
    const exp = records[k]?.expiresAt;
    if (exp !== undefined && exp <= now) {
      delete records[k];
      swept = true;
    }
  }
  return swept;
}

/** The earliest `expiresAt` among `records` (`Infinity` when none expires): no sweep is due before it. */
export function earliestExpiry(records: Record<string, StateRecord>): number {
  let earliest = Number.POSITIVE_INFINITY;
  for (const k in records) {
    const exp = records[k]?.expiresAt;
    if (exp !== undefined && exp < earliest) earliest = exp;
  }
  return earliest;
}

/**
 * The JSON file behind the file store. Reads parse and check the format (an absent file is an empty
 * one); writes replace the file atomically (a temporary file, then `rename`), so a reader never sees
 * half a file and a crash before the `rename` leaves the previous file whole.
 *
 * It also keeps the copy this process last wrote, tagged with a random generation written first in
 * the file: while the file's first bytes still show that generation, nobody wrote since, and
 * {@link StateFile.read} returns the copy instead of reading and parsing the whole file again.
 * Locking is not its concern: the caller holds the lock file around a read-modify-write.
 *
 * A process that only reads (the `ops` function on the file store) keeps what it last read too, with
 * the file's identity (inode, size, modification time in ns): while `stat` shows the same, the file is
 * the one it parsed (a write always `rename`s a new file in), and the read is one `stat` instead of a
 * parse of the whole file (about 20 ms of CPU at 3.3 MB).
 *
 * It also keeps the JSON of each record it last wrote, by key: a write of the same records object
 * that names the keys changed since serialises only those, so a commit that changes a few records of
 * many costs their serialisation and one concatenation, not a `JSON.stringify` of the whole state.
 */
export class StateFile {
  readonly path: string;
  /** The file as this process last wrote it, reused while the file's head still shows its generation. */
  #last: StateFileContent | undefined;
  /** The file as this process last read it, and the `stat` identity it had just before. */
  #seen: { readonly content: StateFileContent; readonly stamp: string } | undefined;
  /** `"key":{record}` of each record of `#jsonOf`, by key, in file order. */
  #json = new Map<string, string>();
  /** The records object `#json` was last brought up to date with. */
  #jsonOf: Record<string, StateRecord> | undefined;

  constructor(path: string) {
    this.path = path;
  }

  /**
   * The file's content: the copy this process last wrote when the file is still that one, else a
   * full read. The result may be the kept copy itself: call {@link StateFile.forget} before editing it.
   */
  async read(): Promise<StateFileContent> {
    const last = this.#last;
    if (last?.gen !== undefined && (await this.#headGen()) === last.gen) return last;
    // Stamped before the read: a file replaced in between gets a new stamp, so the next read reads again.
    const stamp = await this.#stamp();
    if (stamp !== undefined && this.#seen?.stamp === stamp) return this.#seen.content;
    const content = await this.#readAll();
    this.#seen = stamp === undefined ? undefined : { content, stamp };
    return content;
  }

  /** Drops the kept copies: one is about to be edited in place and, until written, is not what the file holds. */
  forget(): void {
    this.#last = undefined;
    this.#seen = undefined;
  }

  /** Keeps `content` (as read, unchanged) for the next read; one without a generation cannot be recognised. */
  keep(content: StateFileContent): void {
    if (content.gen !== undefined) this.#last = content;
  }

  /**
   * Replaces the file atomically with `records` under a new generation, and keeps what it wrote.
   * `changed`: when `records` is the object this file last wrote (or was asked to write), edited in
   * place since, the keys set or deleted since; only those are serialised again. @default all of them
   */
  async write(records: Record<string, StateRecord>, changed?: Iterable<string>): Promise<void> {
    const tmp = `${this.path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    const data: StateFileContent = { format: 1, gen: randomBytes(16).toString('hex'), records };
    try {
      await writeFile(tmp, this.#serialise(data, changed));
      await rename(tmp, this.path);
      this.#last = data;
    } catch (e) {
      await unlink(tmp).catch(() => undefined);
      throw new StateStoreError('write', (e as NodeJS.ErrnoException).code ?? 'write failed', { cause: e });
    }
  }

  /**
   * `data` as JSON, in pieces of about {@link CHUNK_CHARS}: the records' JSON brought up to date (the
   * `changed` keys, or all), then joined.
   */
  #serialise(data: StateFileContent, changed: Iterable<string> | undefined): string[] {
    const { records } = data;
    const entry = (key: string, record: StateRecord): string => `${JSON.stringify(key)}:${JSON.stringify(record)}`;
    if (changed === undefined || this.#jsonOf !== records) {
      this.#json = new Map();
      for (const key in records) {
        const record = records[key];
        if (record !== undefined) this.#json.set(key, entry(key, record));
      }
    } else {
      for (const key of changed) {
        const record = records[key];
        if (record === undefined) this.#json.delete(key);
        else this.#json.set(key, entry(key, record));
      }
    }
    this.#jsonOf = records;
    const chunks: string[] = [];
    let chunk = `{"format":1,"gen":${JSON.stringify(data.gen)},"records":{`;
    let first = true;
    for (const json of this.#json.values()) {
      if (chunk.length >= CHUNK_CHARS) {
        chunks.push(chunk);
        chunk = '';
      }
      chunk += first ? json : `,${json}`;
      first = false;
    }
    chunks.push(`${chunk}}}`);
    return chunks;
  }

  /** The file's identity (inode, size, mtime in ns), or `undefined` when absent or unreadable. */
  async #stamp(): Promise<string | undefined> {
    try {
      const st = await stat(this.path, { bigint: true });
      return `${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`;
    } catch {
      return undefined; // absent or unreadable: the full read says which
    }
  }

  async #headGen(): Promise<string | undefined> {
    try {
      const fh = await open(this.path, 'r');
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

  async #readAll(): Promise<StateFileContent> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { format: 1, records: {} };
      throw new StateStoreError('read', (e as NodeJS.ErrnoException).code ?? 'read failed', { cause: e });
    }
    try {
      const parsed = JSON.parse(text) as StateFileContent;
      if (parsed.format !== 1 || typeof parsed.records !== 'object') throw new Error('unknown format');
      return parsed;
    } catch (e) {
      throw new StateStoreError('read', `${this.path} is not a state file`, { cause: e });
    }
  }
}
