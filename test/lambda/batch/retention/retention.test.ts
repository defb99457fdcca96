import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyRetention } from '../../../../lambda/batch/retention/retention';
import { createTable, putRows, startLocalDynamo } from '../tables';

const NOW = new Date('2026-06-01T00:00:00Z');
const daysAgo = (days: number) => new Date(NOW.getTime() - days * 86_400_000).toISOString();

describe('retention of retired hosts and organizations (dynalite)', () => {
  let dynamo: Awaited<ReturnType<typeof startLocalDynamo>>;
  let table: string;
  let keys: () => Promise<string[]>;
  beforeAll(async () => {
    dynamo = await startLocalDynamo();
    table = await createTable(dynamo.client, 'inventory');
    keys = async () => ((await dynamo.client.send(new ScanCommand({ TableName: table }))).Items ?? []).map((i) => `${i.pk!.S} ${i.sk!.S}`).sort();
    await putRows(dynamo.client, table, [
      { pk: 'ORG#live', sk: 'ORG', status: 'active' },
      { pk: 'ORG#live', sk: 'HOST#active', metricCount: 100 },
      { pk: 'ORG#live', sk: 'HOST#retired-long-ago', metricCount: 100, retiredAt: daysAgo(8) },
      { pk: 'ORG#live', sk: 'HOST#retired-recently', metricCount: 100, retiredAt: daysAgo(6) },
      { pk: 'ORG#live', sk: 'MONITOR#old', kind: 'url', retiredAt: daysAgo(10) },
      { pk: 'ORG#live', sk: 'SERVICE#web', metricCount: 5 },
      { pk: 'ORG#gone', sk: 'ORG', status: 'retired', retiredAt: daysAgo(31) },
      { pk: 'ORG#gone', sk: 'HOST#h1', metricCount: 10 },
      { pk: 'ORG#gone', sk: 'SERVICE#s', metricCount: 10 },
      { pk: 'ORG#leaving', sk: 'ORG', status: 'retired', retiredAt: daysAgo(29) },
      { pk: 'ORG#leaving', sk: 'HOST#h1', metricCount: 10 },
    ]);
  });
  afterAll(async () => { await dynamo?.close(); });

  it('deletes what is past retention and keeps everything else; a re-run deletes nothing more', async () => {
    const options = { client: dynamo.client, inventoryTable: table, retiredHostDays: 7, retiredOrganizationDays: 30, now: NOW };
    const first = await applyRetention(options);
    expect(first).toMatchObject({ hostsDeleted: 2, monitorsDeleted: 1, organizationsDeleted: 1, itemsDeleted: 5, itemsScanned: 11 });
    expect(await keys()).toEqual([
      'ORG#leaving HOST#h1', 'ORG#leaving ORG',
      'ORG#live HOST#active', 'ORG#live HOST#retired-recently', 'ORG#live ORG', 'ORG#live SERVICE#web',
    ]);
    expect(await applyRetention(options)).toMatchObject({ itemsDeleted: 0, organizationsDeleted: 0 });
  });
});
