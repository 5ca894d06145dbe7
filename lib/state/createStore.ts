import type { StateStore } from './types';

export type StoreSpec =
  | { readonly type: 'file'; readonly path: string }
  | { readonly type: 'dynamodb'; readonly table: string; readonly endpoint?: string };

/**
 * Builds the configured store. The DynamoDB one loads `@aws-sdk/client-dynamodb` (provided by the Lambda runtime)
 * only when chosen.
 */
export async function createStore(spec: StoreSpec, options: { now?: () => number } = {}): Promise<StateStore> {
  if (spec.type === 'file') {
    const { FileStore } = await import('./fileStore');
    return new FileStore(spec.path, options);
  }
  const [{ DynamoStore }, { DynamoDBClient }] = await Promise.all([
    import('./dynamoStore'),
    import('@aws-sdk/client-dynamodb'),
  ]);
  const client = new DynamoDBClient(spec.endpoint ? { endpoint: spec.endpoint } : {});
  return new DynamoStore({ table: spec.table, client, ...options });
}
