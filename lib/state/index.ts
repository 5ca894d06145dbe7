export type { StateStore, StoredValue, Versioned, WriteOptions } from './types';
export { StateStoreError } from './errors';
export { FileStore, type FileStoreOptions } from './fileStore';
export {
  createStore,
  type CreateStoreOptions,
  type RedisStoreSpec,
  type RedisTlsConfig,
  type StoreSpec,
} from './createStore';
// DynamoStore and RedisStore are imported from their own files directly, so the file store never loads
// the AWS SDK or ioredis.
