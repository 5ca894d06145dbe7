import { TABLE_NAME_PATTERN } from '../config/constants';
import { ConfigError } from '../config/errors';
import {
  onlyKeys,
  readBoolean,
  readMember,
  readNumber,
  readObject,
  readSecretRef,
  readString,
} from '../config/readers';
import type { RedisStoreSpec, RedisTlsConfig, StoreSpec } from './createStore';

/** Where the file store keeps its state when `notify.store.path` is not given (local runs). */
export const DEFAULT_STATE_FILE = '.state/notify-state.json';

/** Settings of a Redis store (the JSON Schema's test compares its own with these). */
export const REDIS_STORE_KEYS = [
  'type',
  'url',
  'host',
  'port',
  'db',
  'username',
  'password',
  'tls',
  'keyPrefix',
  'cluster',
] as const;
const REDIS_TLS_KEYS = ['ca', 'servername', 'rejectUnauthorized'] as const;

/** Host, port, database and TLS from `redis://host:port/db` or `rediss://` (TLS); no credentials in it. */
function parseRedisUrl(v: unknown, path: string): { host: string; port?: number; db?: number; tls: boolean } {
  const text = readString(v, path);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ConfigError(path, 'must be a URL such as redis://host:6379 or rediss://host:6379');
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw new ConfigError(path, 'must start with redis:// or rediss:// (TLS)');
  }
  if (url.username || url.password) {
    throw new ConfigError(path, 'must not hold credentials: give "username" and "password" (a secret reference)');
  }
  if (url.search || url.hash) throw new ConfigError(path, 'takes no query or fragment');
  const db = url.pathname.replace(/^\//, '');
  if (db !== '' && !/^\d{1,2}$/.test(db)) throw new ConfigError(path, 'the path is the database number (0-15)');
  return {
    host: url.hostname.replace(/^\[|\]$/g, ''),
    ...(url.port ? { port: Number(url.port) } : {}),
    ...(db !== '' ? { db: Number(db) } : {}),
    tls: url.protocol === 'rediss:',
  };
}

function parseRedisTls(v: unknown, path: string): boolean | RedisTlsConfig | undefined {
  if (v === undefined || typeof v === 'boolean') return v;
  const o = readObject(v, path);
  onlyKeys(o, path, REDIS_TLS_KEYS);
  return {
    ...(o.ca !== undefined ? { ca: readSecretRef(o.ca, `${path}.ca`) } : {}),
    ...(o.servername !== undefined ? { servername: readString(o.servername, `${path}.servername`) } : {}),
    ...(o.rejectUnauthorized !== undefined
      ? { rejectUnauthorized: readBoolean(o.rejectUnauthorized, `${path}.rejectUnauthorized`, true) }
      : {}),
  };
}

/** `{"type": "redis", "url" or "host"/"port", "password"?, "tls"?, ...}`: see README, "State store". */
function parseRedisStore(o: Record<string, unknown>): RedisStoreSpec {
  const path = 'notify.store';
  onlyKeys(o, path, REDIS_STORE_KEYS);
  if (o.url !== undefined && (o.host !== undefined || o.port !== undefined || o.db !== undefined)) {
    throw new ConfigError(`${path}.url`, 'give "url" or "host"/"port"/"db", not both');
  }
  if (o.url === undefined && o.host === undefined) {
    throw new ConfigError(`${path}.host`, 'is required (or give "url": "redis://host:6379")');
  }
  const fromUrl = o.url !== undefined ? parseRedisUrl(o.url, `${path}.url`) : undefined;
  const host = fromUrl?.host ?? readString(o.host, `${path}.host`);
  const port = fromUrl
    ? fromUrl.port
    : o.port === undefined
      ? undefined
      : readNumber(o.port, `${path}.port`, 6379, {
          min: 1,
          max: 65535,
        });
  const db = fromUrl
    ? fromUrl.db
    : o.db === undefined
      ? undefined
      : readNumber(o.db, `${path}.db`, 0, {
          min: 0,
          max: 15,
        });
  if (o.cluster === true && db !== undefined && db !== 0)
    throw new ConfigError(`${path}.db`, 'must be 0 with "cluster": true (a Redis Cluster has only database 0)');
  const tlsSetting = parseRedisTls(o.tls, `${path}.tls`);
  if (fromUrl?.tls && tlsSetting === false) throw new ConfigError(`${path}.tls`, 'is false but the URL is rediss://');
  const tls = tlsSetting ?? (fromUrl?.tls ? true : undefined);
  return {
    type: 'redis',
    host,
    ...(port !== undefined ? { port } : {}),
    ...(db !== undefined ? { db } : {}),
    ...(o.username !== undefined ? { username: readString(o.username, `${path}.username`) } : {}),
    ...(o.password !== undefined ? { password: readSecretRef(o.password, `${path}.password`) } : {}),
    ...(tls !== undefined ? { tls } : {}),
    ...(o.keyPrefix !== undefined ? { keyPrefix: readString(o.keyPrefix, `${path}.keyPrefix`, /^[!-~]{1,64}$/) } : {}),
    ...(readBoolean(o.cluster, `${path}.cluster`, false) ? { cluster: true } : {}),
  };
}

/**
 * The `notify.store` setting: `file` (a path), `dynamodb` (a table, or `NOTIFY_TABLE`) or `redis`;
 * absent, DynamoDB when `NOTIFY_TABLE` is set, else the file store. Each failure is a `ConfigError`
 * naming the setting.
 */
export function parseStoreConfig(v: unknown, env: NodeJS.ProcessEnv): StoreSpec {
  if (v === undefined) {
    const table = env.NOTIFY_TABLE;
    return table ? { type: 'dynamodb', table } : { type: 'file', path: DEFAULT_STATE_FILE };
  }
  const o = readObject(v, 'notify.store');
  const type = readMember(
    o.type,
    'notify.store.type',
    ['file', 'dynamodb', 'redis'],
    'must be "file", "dynamodb" or "redis"',
  );
  if (type === 'redis') return parseRedisStore(o);
  if (type === 'file') {
    onlyKeys(o, 'notify.store', ['type', 'path']);
    return { type, path: o.path === undefined ? DEFAULT_STATE_FILE : readString(o.path, 'notify.store.path') };
  }
  onlyKeys(o, 'notify.store', ['type', 'table', 'endpoint']);
  const table =
    o.table === undefined ? env.NOTIFY_TABLE : readString(o.table, 'notify.store.table', TABLE_NAME_PATTERN);
  if (!table) throw new ConfigError('notify.store.table', 'is required (or set NOTIFY_TABLE)');
  if (o.endpoint === undefined) return { type, table };
  return { type, table, endpoint: readString(o.endpoint, 'notify.store.endpoint') };
}
