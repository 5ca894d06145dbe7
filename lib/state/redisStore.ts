import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { InvalidCursorError, StateStoreError } from './errors';
import { LIST_DUE_SCRIPT, RECORD_FIELDS, WRITE_MODES, WRITE_SCRIPT, type WriteMode } from './redisScripts';
import type { ScanPage, StateStore, StoredValue, Versioned, WriteOptions } from './types';

export interface RedisStoreOptions {
  /** A connected (or lazily connecting) ioredis client; see `connectRedis`. */
  readonly client: Redis;
  /** Prefix of every key this store writes, so one database can hold several stages. @default 'dtf:' */
  readonly keyPrefix?: string;
  /** @default Date.now */
  readonly now?: () => number;
}

/** `s` as a literal in a Redis glob pattern. */
function globEscape(s: string): string {
  return s.replace(/[*?[\]\\]/g, '\\$&');
}

/** Keys read by one pipeline of `getMany`. */
const GET_MANY_CHUNK = 500;

const sha1 = (s: string): string => createHash('sha1').update(s).digest('hex');
const SCRIPTS = {
  write: { lua: WRITE_SCRIPT, sha: sha1(WRITE_SCRIPT) },
  listDue: { lua: LIST_DUE_SCRIPT, sha: sha1(LIST_DUE_SCRIPT) },
} as const;

type Fields = readonly (string | null | undefined)[];

/**
 * Redis implementation (Huawei DCS, or any Redis 4.0+), for deployments without DynamoDB. Every write
 * is one Lua script ({@link WRITE_SCRIPT}): the conditions of `create` and `update`, the record, its
 * expiry and its entry in the due index change atomically. Reads use the caller's clock for expiry,
 * as the other stores do, so an expired record reads as absent even before Redis reclaims it.
 */
export class RedisStore implements StateStore {
  readonly #client: Redis;
  readonly #prefix: string;
  readonly #now: () => number;

  constructor(options: RedisStoreOptions) {
    this.#client = options.client;
    this.#prefix = options.keyPrefix ?? 'dtf:';
    this.#now = options.now ?? Date.now;
  }

  #recordKey(key: string): string {
    return `${this.#prefix}r:${key}`;
  }

  get #dueKey(): string {
    return `${this.#prefix}due`;
  }

  /** A record from its fields (ver, val, due, exp), or `undefined` when absent or expired. */
  #decode(key: string, [ver, val, due, exp]: Fields): Versioned | undefined {
    if (!ver || val === null || val === undefined) return undefined;
    const expiresAt = exp ? Number(exp) : undefined;
    if (expiresAt !== undefined && expiresAt <= this.#now()) return undefined;
    return {
      key,
      version: Number(ver),
      value: JSON.parse(val) as StoredValue,
      ...(due ? { due: Number(due) } : {}),
      ...(expiresAt !== undefined ? { expiresAt } : {}),
    };
  }

  async #call<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      // The error's name and message (ioredis says e.g. "Connection is closed."), never the arguments.
      const problem = e instanceof Error ? `${e.name}: ${e.message}` : 'error';
      throw new StateStoreError(operation, problem, { cause: e });
    }
  }

  /** EVALSHA, and EVAL once when the server does not have the script yet (a new or restarted server). */
  async #script(script: keyof typeof SCRIPTS, keys: readonly string[], args: readonly string[]): Promise<unknown> {
    const { lua, sha } = SCRIPTS[script];
    try {
      return await this.#client.evalsha(sha, keys.length, ...keys, ...args);
    } catch (e) {
      if (!(e instanceof Error) || !e.message.startsWith('NOSCRIPT')) throw e;
      return this.#client.eval(lua, keys.length, ...keys, ...args);
    }
  }

  async #write(operation: WriteMode, key: string, expected: number, value: StoredValue, o: WriteOptions) {
    const args = [
      operation,
      String(expected),
      String(this.#now()),
      JSON.stringify(value),
      o.due !== undefined ? String(Math.floor(o.due)) : '',
      o.expiresAt !== undefined ? String(Math.ceil(o.expiresAt)) : '',
      key,
    ];
    const written = await this.#call(operation, () =>
      this.#script('write', [this.#recordKey(key), this.#dueKey], args),
    );
    return written === 1;
  }

  async get(key: string): Promise<Versioned | undefined> {
    const fields = await this.#call('get', () => this.#client.hmget(this.#recordKey(key), ...RECORD_FIELDS));
    return this.#decode(key, fields);
  }

  async getMany(keys: readonly string[]): Promise<Map<string, Versioned>> {
    const result = new Map<string, Versioned>();
    const unique = [...new Set(keys)];
    for (let i = 0; i < unique.length; i += GET_MANY_CHUNK) {
      const chunk = unique.slice(i, i + GET_MANY_CHUNK);
      // One round trip per chunk: the HMGETs go out together in a pipeline.
      const replies = await this.#call('getMany', async () => {
        const out = await this.#client
          .pipeline(chunk.map((k) => ['hmget', this.#recordKey(k), ...RECORD_FIELDS]))
          .exec();
        if (!out) throw new Error('pipeline was not executed');
        return out.map(([error, fields]) => {
          if (error) throw error;
          return fields as Fields;
        });
      });
      chunk.forEach((k, j) => {
        const v = this.#decode(k, replies[j] ?? []);
        if (v) result.set(k, v);
      });
    }
    return result;
  }

  async put(key: string, value: StoredValue, options: WriteOptions = {}): Promise<void> {
    await this.#write(WRITE_MODES.put, key, 0, value, options);
  }

  create(key: string, value: StoredValue, options: WriteOptions = {}): Promise<boolean> {
    return this.#write(WRITE_MODES.create, key, 0, value, options);
  }

  update(key: string, expectedVersion: number, value: StoredValue, options: WriteOptions = {}): Promise<boolean> {
    return this.#write(WRITE_MODES.update, key, expectedVersion, value, options);
  }

  async listDue(now: number, limit: number): Promise<Versioned[]> {
    if (limit <= 0) return [];
    const flat = await this.#call('listDue', () =>
      this.#script(
        'listDue',
        [this.#dueKey],
        [
          String(Math.floor(now)),
          String(limit),
          this.#recordKey(''),
          // Expiry is judged on the store's clock, as get and the other stores do: `now` is only the
          // due cut-off, which a caller may set ahead (the notifier lists every live item).
          String(this.#now()),
        ],
      ),
    );
    const items = Array.isArray(flat) ? (flat as string[]) : [];
    const out: Versioned[] = [];
    for (let i = 0; i + 4 < items.length; i += 5) {
      const v = this.#decode(items[i] as string, items.slice(i + 1, i + 5));
      if (v) out.push(v);
    }
    return out;
  }

  /**
   * `SCAN` over this store's record keys with the prefix (`COUNT` is a hint: a page may be short or
   * empty, and Redis may return a key on two pages), then one pipeline of `HMGET`. The cursor is
   * Redis's own. For the operator API's reads only.
   */
  async scan(prefix: string, limit: number, cursor?: string): Promise<ScanPage> {
    if (cursor !== undefined && !/^[1-9]\d{0,19}$/.test(cursor)) throw new InvalidCursorError();
    const base = this.#recordKey('');
    const pattern = `${globEscape(base)}${globEscape(prefix)}*`;
    const [next, found] = await this.#call('scan', () =>
      this.#client.scan(cursor ?? '0', 'MATCH', pattern, 'COUNT', Math.max(1, limit)),
    );
    const keys = found.map((k) => k.slice(base.length));
    const records = keys.length > 0 ? await this.getMany(keys) : new Map<string, Versioned>();
    const items = keys.map((k) => records.get(k)).filter((v): v is Versioned => v !== undefined);
    return next === '0' ? { items } : { items, cursor: next };
  }

  /** Closes the connection (tests, `npm start`); a deployed notifier keeps it while warm. */
  async close(): Promise<void> {
    await this.#client.quit().catch(() => this.#client.disconnect());
  }
}
