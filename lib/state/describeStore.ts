import type { StoreSpec } from './createStore';

/**
 * The store as a run's summary names it when it fails: its kind and where it is (file path, DynamoDB
 * table and endpoint host, Redis host and port and database). Never a password or a URL's user info.
 */
export function describeStore(spec: StoreSpec): string {
  if (spec.type === 'file') return `file ${spec.path}`;
  if (spec.type === 'dynamodb')
    return `dynamodb table ${spec.table}${spec.endpoint ? ` at ${hostOf(spec.endpoint)}` : ''}`;
  const host = spec.host.includes(':') ? `[${spec.host}]` : spec.host;
  const db = spec.db ? ` db ${spec.db}` : '';
  return `redis ${host}:${spec.port ?? 6379}${db}${spec.tls ? ' (TLS)' : ''}`;
}

/** An endpoint URL's host and port only. */
function hostOf(endpoint: string): string {
  try {
    return new URL(endpoint).host;
  } catch {
    return 'a configured endpoint';
  }
}
