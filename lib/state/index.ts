export type { StateStore, StoredValue, Versioned, WriteOptions } from './types';
export { StateStoreError } from './errors';
export { FileStore, type FileStoreOptions } from './fileStore';
export { createStore, type StoreSpec } from './createStore';
// DynamoStore is imported from './dynamoStore' directly so the file store never loads the AWS SDK.
