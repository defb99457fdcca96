import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { AddressInfo } from 'node:net';

/** Static credentials for local stand-ins (no AWS account is ever called). */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };
export const LOCAL_REGION = 'ap-northeast-1';

interface ListeningServer { listen(port: number, host: string, cb: () => void): unknown; address(): AddressInfo | string | null; close(cb?: (err?: Error) => void): unknown }

async function listen(server: ListeningServer): Promise<{ endpoint: string; close: () => Promise<void> }> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** dynalite (DynamoDB) on 127.0.0.1; note it implements no UpdateTimeToLive and never expires items. */
export async function startDynalite(): Promise<{ endpoint: string; clientConfig: object; close: () => Promise<void> }> {
  const dynalite = (await import('dynalite')).default as unknown as (opts: object) => ListeningServer;
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const { endpoint, close } = await listen(server);
  return { endpoint, close, clientConfig: { endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS } };
}

/** kinesalite (Kinesis) on 127.0.0.1; the v3 client must use HTTP/1.1 (kinesalite rejects HTTP/2). */
export async function startKinesalite(): Promise<{ endpoint: string; clientConfig: object; close: () => Promise<void> }> {
  const kinesalite = (await import('kinesalite')).default as unknown as (opts: object) => ListeningServer;
  const server = kinesalite({ createStreamMs: 0, deleteStreamMs: 0, updateStreamMs: 0, shardLimit: 100 });
  const { endpoint, close } = await listen(server);
  return {
    endpoint,
    close,
    clientConfig: { endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, requestHandler: new NodeHttpHandler() },
  };
}

/**
 * dynalite with the TSDB series table (partition key series, sort key window) created: what the writer,
 * mover and reader tests store windows in. Returns a client; close() stops both.
 */
export async function startSeriesTable(tableName = 'series'): Promise<{ dynamodb: import('@aws-sdk/client-dynamodb').DynamoDBClient; close: () => Promise<void> }> {
  const { CreateTableCommand, DynamoDBClient } = await import('@aws-sdk/client-dynamodb');
  const dynalite = await startDynalite();
  const dynamodb = new DynamoDBClient(dynalite.clientConfig);
  await dynamodb.send(new CreateTableCommand({
    TableName: tableName, BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'series', AttributeType: 'S' }, { AttributeName: 'window', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'series', KeyType: 'HASH' }, { AttributeName: 'window', KeyType: 'RANGE' }],
  }));
  return { dynamodb, close: async () => { dynamodb.destroy(); await dynalite.close(); } };
}
