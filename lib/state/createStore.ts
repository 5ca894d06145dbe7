import type { SecretRef } from '../config/types';
import type { RedisTlsSpec } from './connectRedis';
import { lazyStore } from './lazyStore';
import type { StateStore } from './types';

/** TLS of the Redis store as configured: the CA is a secret reference (a PEM), resolved with the password. */
export interface RedisTlsConfig extends Omit<RedisTlsSpec, 'ca'> {
  readonly ca?: SecretRef;
}

/** The Redis store as configured (`notify.store` with `type: "redis"`). */
export interface RedisStoreSpec {
  readonly type: 'redis';
  readonly host: string;
  /** @default 6379 */
  readonly port?: number;
  /** @default 0 */
  readonly db?: number;
  /** @default none */
  readonly username?: string;
  /** @default none (a server without a password) */
  readonly password?: SecretRef;
  /** @default false */
  readonly tls?: boolean | RedisTlsConfig;
  /** @default 'dtf:' */
  readonly keyPrefix?: string;
  /** A Redis Cluster (DCS "Redis Cluster" instances): an ioredis `Cluster` client. @default false */
  readonly cluster?: boolean;
}

export type StoreSpec =
  | { readonly type: 'file'; readonly path: string }
  | { readonly type: 'dynamodb'; readonly table: string; readonly endpoint?: string }
  | RedisStoreSpec;

export interface CreateStoreOptions {
  /** @default Date.now */
  readonly now?: () => number;
  /**
   * Resolves the Redis password and CA references (the notifier passes its secret resolution).
   * @default none: a Redis store that names a secret fails to build
   */
  readonly resolveSecret?: (ref: SecretRef) => Promise<string>;
}

async function createRedisStore(spec: RedisStoreSpec, options: CreateStoreOptions): Promise<StateStore> {
  const resolve = async (ref: SecretRef): Promise<string> => {
    if (!options.resolveSecret) throw new Error('notify.store: a secret reference needs a secret resolver');
    return options.resolveSecret(ref);
  };
  const [{ RedisStore }, { connectRedis }, password, ca] = await Promise.all([
    import('./redisStore'),
    import('./connectRedis'),
    spec.password ? resolve(spec.password) : undefined,
    typeof spec.tls === 'object' && spec.tls.ca ? resolve(spec.tls.ca) : undefined,
  ]);
  const tls = typeof spec.tls === 'object' ? { ...spec.tls, ca } : spec.tls;
  const client = connectRedis({
    host: spec.host,
    ...(spec.port !== undefined ? { port: spec.port } : {}),
    ...(spec.db !== undefined ? { db: spec.db } : {}),
    ...(spec.username !== undefined ? { username: spec.username } : {}),
    ...(password !== undefined ? { password } : {}),
    ...(tls !== undefined ? { tls } : {}),
    ...(spec.cluster ? { cluster: true } : {}),
  });
  return new RedisStore({
    client,
    ...(spec.keyPrefix !== undefined ? { keyPrefix: spec.keyPrefix } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
}

/**
 * Builds the configured store. The DynamoDB one loads `@aws-sdk/client-dynamodb` (provided by the Lambda runtime)
 * and the Redis one loads ioredis (the notifier's companion bundle) only when chosen.
 */
export async function createStore(spec: StoreSpec, options: CreateStoreOptions = {}): Promise<StateStore> {
  if (spec.type === 'file') {
    const { FileStore } = await import('./fileStore');
    return new FileStore(spec.path, options.now ? { now: options.now } : {});
  }
  // Connected on first use, after the invocation's credentials (a CSMS password is signed for with them).
  if (spec.type === 'redis') return lazyStore(() => createRedisStore(spec, options));
  const [{ DynamoStore }, { DynamoDBClient }] = await Promise.all([
    import('./dynamoStore'),
    import('@aws-sdk/client-dynamodb'),
  ]);
  const client = new DynamoDBClient(spec.endpoint ? { endpoint: spec.endpoint } : {});
  return new DynamoStore({ table: spec.table, client, ...(options.now ? { now: options.now } : {}) });
}
