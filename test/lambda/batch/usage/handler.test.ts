import { PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTable, putRows, startLocalDynamo } from '../tables';

/** The deployed handler, wired by environment variables exactly as the stack sets them, against dynalite. */
describe('usage snapshot handler (dynalite)', () => {
  let dynamo: Awaited<ReturnType<typeof startLocalDynamo>>;
  let ledgerTable: string;
  let handler: (event: unknown, context: Context) => Promise<void>;
  const context = (id: string) => ({ awsRequestId: id, getRemainingTimeInMillis: () => 60_000 }) as unknown as Context;
  const runs = async () => (await dynamo.client.send(new QueryCommand({
    TableName: ledgerTable, KeyConditionExpression: 'pk = :pk AND begins_with(sk, :run)',
    ExpressionAttributeValues: { ':pk': { S: `USAGE#${new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tokyo', year: 'numeric', month: '2-digit' }).format(new Date())}` }, ':run': { S: 'RUN#' } },
  }))).Items ?? [];

  beforeAll(async () => {
    dynamo = await startLocalDynamo();
    const inventoryTable = await createTable(dynamo.client, 'inventory');
    ledgerTable = await createTable(dynamo.client, 'ledger');
    await putRows(dynamo.client, inventoryTable, [{ pk: 'ORG#acme', sk: 'HOST#h1', metricCount: 120 }]);
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint, AWS_REGION: 'ap-northeast-1', AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local',
      INVENTORY_TABLE: inventoryTable, LEDGER_TABLE: ledgerTable, TIME_ZONE: 'Asia/Tokyo', SLOT_MINUTES: '60', POWERTOOLS_LOG_LEVEL: 'SILENT',
    });
    ({ handler } = await import('../../../../lambda/batch/usage/handler.js'));
  });
  afterAll(async () => { await dynamo?.close(); });

  it('records one snapshot run for the current slot, and a retry in the slot does not add another', async () => {
    await handler({}, context('r1'));
    await handler({}, context('r2'));
    const found = await runs();
    expect(found).toHaveLength(1);
    expect(found[0]?.organizations?.N).toBe('1');
  });

  it('skips (and writes nothing) while another run holds the lock', async () => {
    await dynamo.client.send(new PutItemCommand({ TableName: ledgerTable, Item: { pk: { S: 'LOCK#usage' }, sk: { S: 'LOCK' }, owner: { S: 'other' }, expiresAt: { N: String(Math.floor(Date.now() / 1000) + 600) } } }));
    const before = (await runs())[0]?.takenAt?.S;
    await handler({}, context('r3'));
    expect((await runs())[0]?.takenAt?.S).toBe(before);
  });
});
