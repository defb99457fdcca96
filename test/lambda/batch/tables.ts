import { CreateTableCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { randomUUID } from 'node:crypto';
import { startDynalite } from '../../support/aws-local';

/** One dynalite per test file; each test makes its own tables (names are unique, so tests never share state). */
export async function startLocalDynamo(): Promise<{ client: DynamoDBClient; endpoint: string; close: () => Promise<void> }> {
  const dynalite = await startDynalite();
  const client = new DynamoDBClient(dynalite.clientConfig);
  return { client, endpoint: dynalite.endpoint, close: async () => { client.destroy(); await dynalite.close(); } };
}

/** A table shaped like BatchStorage's (pk/sk strings). */
export async function createTable(client: DynamoDBClient, prefix: string): Promise<string> {
  const name = `${prefix}-${randomUUID().slice(0, 8)}`;
  await client.send(new CreateTableCommand({
    TableName: name,
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
    BillingMode: 'PAY_PER_REQUEST',
  }));
  return name;
}

type Row = Record<string, string | number>;
/** Puts plain rows (strings -> S, numbers -> N). */
export async function putRows(client: DynamoDBClient, table: string, rows: Row[]): Promise<void> {
  for (const row of rows) {
    const Item = Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'number' ? { N: String(v) } : { S: v }]));
    await client.send(new PutItemCommand({ TableName: table, Item }));
  }
}
