import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { CreateTableCommand, DynamoDBClient, type CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { load } from 'js-yaml';

/** A dynalite server and a table created from the very definition `serverless.yml` deploys. */
export async function startDynalite(): Promise<{
  client: DynamoDBClient;
  endpoint: string;
  newTable(): Promise<string>;
  close(): Promise<void>;
}> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  const doc = load(readFileSync(join(__dirname, '../serverless.yml'), 'utf8')) as {
    resources: { Resources: { NotifyStateTable: { Properties: Record<string, unknown> } } };
  };
  const props = doc.resources.Resources.NotifyStateTable.Properties;
  let n = 0;
  return {
    client,
    endpoint,
    async newTable() {
      const TableName = `notify-test-${++n}`;
      const {
        TimeToLiveSpecification: _ttl,
        PointInTimeRecoverySpecification: _pitr,
        TableName: _name,
        ...rest
      } = props;
      await client.send(new CreateTableCommand({ ...(rest as Omit<CreateTableCommandInput, 'TableName'>), TableName }));
      return TableName;
    },
    async close() {
      client.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
