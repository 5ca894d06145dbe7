import { createHash } from 'node:crypto';
import type { Cluster, Redis } from 'ioredis';
import { InvalidCursorError, StateStoreError } from './errors';
import { PRUNE_DUE_SCRIPT, RECORD_FIELDS, WRITE_MODES, WRITE_SCRIPT, type WriteMode } from './redisScripts';
import { readPersistence } from './redisPersistence';
import type { ScanPage, StateStore, StorePersistence, StoredValue, Versioned, WriteOptions } from './types';

/** An ioredis client: one server (single-node, master/standby, DCS Proxy Cluster) or a Redis Cluster. */
export type RedisClient = Redis | Cluster;

const isCluster = (c: RedisClient): c is Cluster => c.isCluster;

export interface RedisStoreOptions {
  /** A connected (or lazily connecting) ioredis client, or ioredis `Cluster`; see `connectRedis`. */
  readonly client: RedisClient;
  /**
   * Prefix of every key this store writes, so one database can hold several stages. Written as a
   * hash tag (`{dtf:}r:<key>`, `{dtf:}due`): all of one store's keys are in one slot. Not empty.
   * @default 'dtf:'
   */
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
/** Due-index members read per round of `listDue`, and records checked per prune script. */
const DUE_PAGE = 100;
/**
 * Due-index members `listDue` examines per call beyond its `limit`: members whose record Redis has
 * expired are pruned on the way, and this bounds the work of one call however many piled up (the
 * next call goes on pruning).
 */
const DUE_EXTRA_EXAMINED = 1000;

const sha1 = (s: string): string => createHash('sha1').update(s).digest('hex');
const SCRIPTS = {
  write: { lua: WRITE_SCRIPT, sha: sha1(WRITE_SCRIPT) },
  pruneDue: { lua: PRUNE_DUE_SCRIPT, sha: sha1(PRUNE_DUE_SCRIPT) },
} as const;

type Fields = readonly (string | null | undefined)[];

/**
 * Redis implementation (Huawei DCS, or any Redis 4.0+), for deployments without DynamoDB. Every write
 * is one Lua script ({@link WRITE_SCRIPT}): the conditions of `create` and `update`, the record, its
 * expiry and its entry in the due index change atomically. Reads use the caller's clock for expiry,
 * as the other stores do, so an expired record reads as absent even before Redis reclaims it.
 *
 * Cluster-safe (DCS cluster instances, Redis Cluster through ioredis `Cluster`): every key is under
 * one hash tag, so one slot; every key a script touches is declared in its KEYS; `listDue` reads the
 * index and the records with plain commands, a page at a time, and runs no script over more than a
 * page of keys.
 */
export class RedisStore implements StateStore {
  readonly #client: RedisClient;
  readonly #tag: string;
  readonly #now: () => number;
  #persistence: Promise<StorePersistence> | undefined;

  constructor(options: RedisStoreOptions) {
    const prefix = options.keyPrefix ?? 'dtf:';
    if (prefix === '') throw new TypeError('RedisStore: keyPrefix must not be empty (it is the hash tag of every key)');
    this.#client = options.client;
    this.#tag = `{${prefix}}`;
    this.#now = options.now ?? Date.now;
  }

  #recordKey(key: string): string {
    return `${this.#tag}r:${key}`;
  }

  get #dueKey(): string {
    return `${this.#tag}due`;
  }

  /**
   * Whether the server keeps data across a restart (`INFO persistence`, `CONFIG GET save`), read once
   * per store (the first call connects). DCS single-node instances have no persistence: a restart
   * comes back empty. Never throws: a failure to read says `persists: undefined`.
   */
  persistence(): Promise<StorePersistence> {
    const client = this.#client;
    this.#persistence ??= (async () =>
      readPersistence(isCluster(client) ? await this.#masters().catch(() => []) : [client]))();
    return this.#persistence;
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
      const replies = await this.#call('getMany', () => this.#hmgetAll(chunk.map((k) => this.#recordKey(k))));
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

  /**
   * The due index a page at a time (`ZRANGEBYSCORE ... LIMIT`), the records of each page in one
   * pipeline of `HMGET`; members whose record Redis has expired are pruned (a script over that page's
   * keys, declared). Examines at most `limit` + {@link DUE_EXTRA_EXAMINED} members per call.
   */
  async listDue(now: number, limit: number): Promise<Versioned[]> {
    if (limit <= 0) return [];
    return this.#call('listDue', async () => {
      const out: Versioned[] = [];
      let offset = 0;
      let examined = 0;
      while (out.length < limit && examined < limit + DUE_EXTRA_EXAMINED) {
        const members = await this.#client.zrangebyscore(
          this.#dueKey,
          '-inf',
          String(Math.floor(now)),
          'LIMIT',
          offset,
          DUE_PAGE,
        );
        if (members.length === 0) break;
        examined += members.length;
        const fields = await this.#hmgetAll(members.map((m) => this.#recordKey(m)));
        const gone: string[] = [];
        members.forEach((m, i) => {
          const f = fields[i] ?? [];
          if (!f[0]) gone.push(m);
          else if (out.length < limit) {
            const v = this.#decode(m, f);
            if (v) out.push(v);
          }
        });
        const removed =
          gone.length > 0
            ? Number(await this.#script('pruneDue', [this.#dueKey, ...gone.map((m) => this.#recordKey(m))], gone))
            : 0;
        if (members.length < DUE_PAGE) break;
        offset += members.length - removed;
      }
      return out;
    });
  }

  /** `HMGET` of each key in one pipeline (one round trip; one slot, so one node on a cluster). */
  async #hmgetAll(recordKeys: readonly string[]): Promise<Fields[]> {
    const out = await this.#client.pipeline(recordKeys.map((k) => ['hmget', k, ...RECORD_FIELDS])).exec();
    if (!out) throw new Error('pipeline was not executed');
    return out.map(([error, fields]) => {
      if (error) throw error;
      return Array.isArray(fields) ? fields.map((f) => (typeof f === 'string' ? f : null)) : [];
    });
  }

  /**
   * `SCAN` over this store's record keys with the prefix (`COUNT` is a hint: a page may be short or
   * empty, and Redis may return a key on two pages), then one pipeline of `HMGET`. The cursor is
   * Redis's own; on a cluster, `<node>.<cursor>` over the masters in address order (the store's keys
   * are on one of them). For the operator API's reads only.
   */
  async scan(prefix: string, limit: number, cursor?: string): Promise<ScanPage> {
    const base = this.#recordKey('');
    const pattern = `${globEscape(base)}${globEscape(prefix)}*`;
    const count = Math.max(1, limit);
    let next: string | undefined;
    let found: string[];
    if (isCluster(this.#client)) {
      const at = cursor === undefined ? { node: 0, cursor: '0' } : parseClusterCursor(cursor);
      const nodes = await this.#call('scan', () => this.#masters());
      const node = nodes[at.node];
      if (!node) throw new InvalidCursorError();
      const [c, keys] = await this.#call('scan', () => node.scan(at.cursor, 'MATCH', pattern, 'COUNT', count));
      found = keys;
      next = c !== '0' ? `${at.node}.${c}` : at.node + 1 < nodes.length ? `${at.node + 1}.0` : undefined;
    } else {
      if (cursor !== undefined && !/^[1-9]\d{0,19}$/.test(cursor)) throw new InvalidCursorError();
      const client = this.#client;
      const [c, keys] = await this.#call('scan', () => client.scan(cursor ?? '0', 'MATCH', pattern, 'COUNT', count));
      found = keys;
      next = c === '0' ? undefined : c;
    }
    const keys = found.map((k) => k.slice(base.length));
    const records = keys.length > 0 ? await this.getMany(keys) : new Map<string, Versioned>();
    const items = keys.map((k) => records.get(k)).filter((v): v is Versioned => v !== undefined);
    return next === undefined ? { items } : { items, cursor: next };
  }

  /** The cluster's masters in address order (connecting first, so that the cluster knows them). */
  async #masters(): Promise<Redis[]> {
    const cluster = this.#client;
    if (!isCluster(cluster)) return [];
    if (cluster.nodes('master').length === 0) await cluster.exists(this.#dueKey);
    const address = (n: Redis): string => `${n.options.host}:${String(n.options.port).padStart(5, '0')}`;
    return [...cluster.nodes('master')].sort((a, b) => address(a).localeCompare(address(b)));
  }

  /** Closes the connection (tests, `npm start`); a deployed notifier keeps it while warm. */
  async close(): Promise<void> {
    await this.#client.quit().catch(() => this.#client.disconnect());
  }
}

/** A cluster cursor `<node>.<cursor>`, or `InvalidCursorError`. */
function parseClusterCursor(cursor: string): { node: number; cursor: string } {
  const m = /^(\d{1,3})\.(\d{1,20})$/.exec(cursor);
  if (!m) throw new InvalidCursorError();
  return { node: Number(m[1]), cursor: m[2] ?? '0' };
}
