import type { ClusterOptions, RedisOptions } from 'ioredis';
import type { RedisClient } from './redisStore';
import { loadIoredis } from './loadIoredis';

/** TLS settings of a Redis connection (DCS offers TLS on Redis 6.0 and later). */
export interface RedisTlsSpec {
  /**
   * PEM of the CA that signed the server's certificate (DCS: the certificate it offers for download).
   * @default the system CAs
   */
  readonly ca?: string;
  /** Name checked against the certificate. @default the host */
  readonly servername?: string;
  /** Refuse a certificate that does not verify. Turn off only against a test server. @default true */
  readonly rejectUnauthorized?: boolean;
}

/** Where and how to connect, with the password already resolved. */
export interface RedisConnectSpec {
  readonly host: string;
  /** @default 6379 */
  readonly port?: number;
  /** @default 0 */
  readonly db?: number;
  /** ACL user (Redis 6+). @default none (the `default` user) */
  readonly username?: string;
  /** @default none (a server without `requirepass`) */
  readonly password?: string;
  /** `true` for TLS with the system CAs. @default false */
  readonly tls?: boolean | RedisTlsSpec;
  /** Give up connecting after this long. @default 5000 */
  readonly connectTimeoutMs?: number;
  /** Fail one command after this long (a hung server must not eat the invocation). @default 5000 */
  readonly commandTimeoutMs?: number;
  /**
   * A Redis Cluster (DCS "Redis Cluster" instances): an ioredis `Cluster` seeded with `host:port`,
   * which learns the other nodes and routes each command by its key's slot. Not for DCS Proxy
   * Cluster instances, which answer as one server. `db` must then be 0. @default false
   */
  readonly cluster?: boolean;
}

/**
 * An ioredis client for the state store, connecting on first use. Settled for a short-lived function
 * rather than a server: a command waits for at most one reconnect instead of queueing for ever, and
 * errors reach the command that failed (the client's own `error` events are not logged, so neither
 * the host nor anything else is printed by the library).
 */
export function connectRedis(spec: RedisConnectSpec): RedisClient {
  const ioredis = loadIoredis();
  const tls = spec.tls === true ? {} : spec.tls || undefined;
  const options: RedisOptions = {
    host: spec.host,
    port: spec.port ?? 6379,
    db: spec.db ?? 0,
    lazyConnect: true,
    connectTimeout: spec.connectTimeoutMs ?? 5000,
    commandTimeout: spec.commandTimeoutMs ?? 5000,
    maxRetriesPerRequest: 1,
    retryStrategy: (times) => Math.min(times * 100, 2000),
    ...(spec.username !== undefined ? { username: spec.username } : {}),
    ...(spec.password !== undefined ? { password: spec.password } : {}),
    ...(tls
      ? {
          tls: {
            ...(tls.ca !== undefined ? { ca: tls.ca } : {}),
            ...(tls.servername !== undefined ? { servername: tls.servername } : {}),
            rejectUnauthorized: tls.rejectUnauthorized ?? true,
          },
        }
      : {}),
  };
  if (spec.cluster) {
    if ((spec.db ?? 0) !== 0) throw new TypeError('a Redis Cluster has only database 0');
    const { host, port, db: _db, ...nodeOptions } = options;
    const clusterOptions: ClusterOptions = {
      lazyConnect: true,
      redisOptions: nodeOptions,
      maxRedirections: 8,
      clusterRetryStrategy: (times) => (times > 3 ? null : Math.min(times * 100, 2000)),
      ...(tls ? { dnsLookup: (address, callback) => callback(null, address) } : {}),
    };
    const cluster = new ioredis.Cluster([{ host: host ?? spec.host, port: port ?? 6379 }], clusterOptions);
    cluster.on('error', () => undefined);
    return cluster;
  }
  const client = new ioredis.Redis(options);
  client.on('error', () => undefined);
  return client;
}
