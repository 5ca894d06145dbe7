import {
  BatchGetItemCommand,
  ConditionalCheckFailedException,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  UpdateItemCommand,
  type AttributeValue,
  type BatchGetItemCommandOutput,
} from '@aws-sdk/client-dynamodb';
import { sleep } from '../core/sleep';
import { StateStoreError } from './errors';
import type { ScanPage, StateStore, StoredValue, Versioned, WriteOptions } from './types';

/** Attribute names of the table (declared in `serverless.yml`). */
export const DYNAMO_SCHEMA = {
  key: 'pk',
  version: 'ver',
  value: 'val',
  /** TTL attribute, epoch seconds. */
  ttl: 'exp',
  /** Sparse index `due`: partition `dueP` (always "due"), sort `due` (epoch ms). Present only while listed. */
  index: 'due',
  indexPartition: 'dueP',
  indexSort: 'due',
} as const;

export interface DynamoStoreOptions {
  readonly table: string;
  /** A client (tests point it at dynalite). @default a new DynamoDBClient from the environment */
  readonly client?: DynamoDBClient;
  /** @default Date.now */
  readonly now?: () => number;
}

const S = DYNAMO_SCHEMA;
/** Keys one BatchGetItem may ask for. */
const BATCH_GET_KEYS = 100;
/** BatchGetItem requests of one `getMany` in flight at once. */
const BATCH_GET_PARALLEL = 4;
type Item = Record<string, AttributeValue>;

function isConditionFailure(e: unknown): boolean {
  return (
    e instanceof ConditionalCheckFailedException || (e instanceof Error && e.name === 'ConditionalCheckFailedException')
  );
}

/**
 * DynamoDB implementation for deployment. One item per key (`pk`), the value as a JSON string,
 * `ver` for optimistic concurrency (every conditional write names the version it read), TTL on `exp`
 * (deletion is lazy, so reads also treat an expired item as absent), and a sparse GSI `due` that
 * lists only outbox items waiting for delivery.
 */
export class DynamoStore implements StateStore {
  readonly #table: string;
  readonly #client: DynamoDBClient;
  readonly #now: () => number;

  constructor(options: DynamoStoreOptions) {
    this.#table = options.table;
    this.#client = options.client ?? new DynamoDBClient({});
    this.#now = options.now ?? Date.now;
  }

  #decode(item: Item | undefined): Versioned | undefined {
    if (!item) return undefined;
    const key = item[S.key]?.S;
    const ver = item[S.version]?.N;
    const val = item[S.value]?.S;
    if (key === undefined || ver === undefined || val === undefined) return undefined;
    const exp = item[S.ttl]?.N;
    const expiresAt = exp !== undefined ? Number(exp) * 1000 : undefined;
    if (expiresAt !== undefined && expiresAt <= this.#now()) return undefined;
    const due = item[S.indexSort]?.N;
    return {
      key,
      version: Number(ver),
      value: JSON.parse(val) as StoredValue,
      ...(due !== undefined ? { due: Number(due) } : {}),
      ...(expiresAt !== undefined ? { expiresAt } : {}),
    };
  }

  #item(key: string, version: number, value: StoredValue, o: WriteOptions): Item {
    return {
      [S.key]: { S: key },
      [S.version]: { N: String(version) },
      [S.value]: { S: JSON.stringify(value) },
      ...(o.expiresAt !== undefined ? { [S.ttl]: { N: String(Math.ceil(o.expiresAt / 1000)) } } : {}),
      ...(o.due !== undefined
        ? { [S.indexPartition]: { S: 'due' }, [S.indexSort]: { N: String(Math.floor(o.due)) } }
        : {}),
    };
  }

  /** Now in the TTL attribute's unit, for conditions that treat an expired item as absent. */
  #nowSeconds(): AttributeValue {
    return { N: String(Math.floor(this.#now() / 1000)) };
  }

  async #send<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      if (isConditionFailure(e)) throw e;
      throw new StateStoreError(operation, e instanceof Error ? e.name : 'error', { cause: e });
    }
  }

  async get(key: string): Promise<Versioned | undefined> {
    const out = await this.#send('get', () =>
      this.#client.send(
        new GetItemCommand({ TableName: this.#table, Key: { [S.key]: { S: key } }, ConsistentRead: true }),
      ),
    );
    return this.#decode(out.Item);
  }

  async getMany(keys: readonly string[]): Promise<Map<string, Versioned>> {
    const result = new Map<string, Versioned>();
    const unique = [...new Set(keys)];
    const chunks: string[][] = [];
    for (let i = 0; i < unique.length; i += BATCH_GET_KEYS) chunks.push(unique.slice(i, i + BATCH_GET_KEYS));
    // BatchGetItem takes 100 keys: the chunks go out together (a few at a time), not one after another.
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(BATCH_GET_PARALLEL, chunks.length) }, async () => {
        while (next < chunks.length) await this.#batchGet(chunks[next++] as string[], result);
      }),
    );
    return result;
  }

  async #batchGet(keys: readonly string[], result: Map<string, Versioned>): Promise<void> {
    type Req = Record<string, { Keys: Item[]; ConsistentRead: boolean }>;
    let request: Req | undefined = {
      [this.#table]: { Keys: keys.map((k) => ({ [S.key]: { S: k } })), ConsistentRead: true },
    };
    for (let round = 0; request && round < 10; round++) {
      const req: Req = request;
      const out: BatchGetItemCommandOutput = await this.#send('getMany', () =>
        this.#client.send(new BatchGetItemCommand({ RequestItems: req })),
      );
      for (const item of out.Responses?.[this.#table] ?? []) {
        const v = this.#decode(item);
        if (v) result.set(v.key, v);
      }
      const left: Item[] | undefined = out.UnprocessedKeys?.[this.#table]?.Keys;
      request = left && left.length > 0 ? { [this.#table]: { Keys: left, ConsistentRead: true } } : undefined;
      if (request) await sleep(50 * 2 ** round);
    }
    if (request) throw new StateStoreError('getMany', 'unprocessed keys after 10 rounds');
  }

  async put(key: string, value: StoredValue, o: WriteOptions = {}): Promise<void> {
    const names: Record<string, string> = {
      '#val': S.value,
      '#ver': S.version,
      '#exp': S.ttl,
      '#dp': S.indexPartition,
      '#due': S.indexSort,
    };
    const values: Item = { ':v': { S: JSON.stringify(value) }, ':one': { N: '1' }, ':zero': { N: '0' } };
    const set = ['#val = :v', '#ver = if_not_exists(#ver, :zero) + :one'];
    const remove: string[] = [];
    if (o.expiresAt !== undefined) {
      set.push('#exp = :exp');
      values[':exp'] = { N: String(Math.ceil(o.expiresAt / 1000)) };
    } else remove.push('#exp');
    if (o.due !== undefined) {
      set.push('#dp = :dp', '#due = :due');
      values[':dp'] = { S: 'due' };
      values[':due'] = { N: String(Math.floor(o.due)) };
    } else remove.push('#dp', '#due');
    await this.#send('put', () =>
      this.#client.send(
        new UpdateItemCommand({
          TableName: this.#table,
          Key: { [S.key]: { S: key } },
          UpdateExpression: `SET ${set.join(', ')}${remove.length ? ` REMOVE ${remove.join(', ')}` : ''}`,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      ),
    );
  }

  async create(key: string, value: StoredValue, o: WriteOptions = {}): Promise<boolean> {
    try {
      await this.#send('create', () =>
        this.#client.send(
          new PutItemCommand({
            TableName: this.#table,
            Item: this.#item(key, 1, value, o),
            // Absent, or present but past its TTL and not yet deleted by DynamoDB.
            ConditionExpression: 'attribute_not_exists(#pk) OR (attribute_exists(#exp) AND #exp <= :now)',
            ExpressionAttributeNames: { '#pk': S.key, '#exp': S.ttl },
            ExpressionAttributeValues: { ':now': this.#nowSeconds() },
          }),
        ),
      );
      return true;
    } catch (e) {
      if (isConditionFailure(e)) return false;
      throw e;
    }
  }

  async update(key: string, expectedVersion: number, value: StoredValue, o: WriteOptions = {}): Promise<boolean> {
    try {
      await this.#send('update', () =>
        this.#client.send(
          new PutItemCommand({
            TableName: this.#table,
            Item: this.#item(key, expectedVersion + 1, value, o),
            // At that version and not past its TTL (an expired item reads as absent until DynamoDB deletes it).
            ConditionExpression: '#ver = :expected AND (attribute_not_exists(#exp) OR #exp > :now)',
            ExpressionAttributeNames: { '#ver': S.version, '#exp': S.ttl },
            ExpressionAttributeValues: { ':expected': { N: String(expectedVersion) }, ':now': this.#nowSeconds() },
          }),
        ),
      );
      return true;
    } catch (e) {
      if (isConditionFailure(e)) return false;
      throw e;
    }
  }

  /**
   * A table Scan filtered on the key prefix (`Limit` counts the items read before the filter, so a page
   * may be short); the cursor is the last key read. For the operator API's reads only.
   */
  async scan(prefix: string, limit: number, cursor?: string): Promise<ScanPage> {
    const page = await this.#send('scan', () =>
      this.#client.send(
        new ScanCommand({
          TableName: this.#table,
          FilterExpression: 'begins_with(#pk, :prefix)',
          ExpressionAttributeNames: { '#pk': S.key },
          ExpressionAttributeValues: { ':prefix': { S: prefix } },
          Limit: Math.max(1, limit),
          ...(cursor !== undefined ? { ExclusiveStartKey: { [S.key]: { S: cursor } } } : {}),
        }),
      ),
    );
    const items = (page.Items ?? []).map((i) => this.#decode(i)).filter((v): v is Versioned => v !== undefined);
    const next = page.LastEvaluatedKey?.[S.key]?.S;
    return next !== undefined ? { items, cursor: next } : { items };
  }

  async listDue(now: number, limit: number): Promise<Versioned[]> {
    const out: Versioned[] = [];
    let start: Item | undefined;
    do {
      const page = await this.#send('listDue', () =>
        this.#client.send(
          new QueryCommand({
            TableName: this.#table,
            IndexName: S.index,
            KeyConditionExpression: '#dp = :dp AND #due <= :now',
            ExpressionAttributeNames: { '#dp': S.indexPartition, '#due': S.indexSort },
            ExpressionAttributeValues: { ':dp': { S: 'due' }, ':now': { N: String(Math.floor(now)) } },
            Limit: Math.min(limit - out.length, 500),
            ...(start ? { ExclusiveStartKey: start } : {}),
          }),
        ),
      );
      for (const item of page.Items ?? []) {
        const v = this.#decode(item);
        if (v) out.push(v);
      }
      start = page.LastEvaluatedKey;
    } while (start && out.length < limit);
    return out;
  }
}
