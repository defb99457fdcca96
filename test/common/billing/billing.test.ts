import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBills, runBilling, type BillingSummary } from '../../../common/billing/billing';
import { num } from '../../../common/batch/items';
import { takeUsageSnapshot } from '../../../lambda/batch/usage/snapshot';
import { createTable, putRows, startLocalDynamo } from '../../lambda/batch/tables';

const TZ = 'Asia/Tokyo';
/** Local midnight (JST) of a February 2026 day, as ISO UTC. */
const feb = (day: number) => new Date(Date.UTC(2026, 1, day) - 9 * 3600_000).toISOString();

/**
 * One inventory whose organizations each exercise one published rule, snapshotted once per local
 * day from Jan 31 to Mar 1 (JST) and billed for February (28 days = 28 slots).
 */
const host = (org: string, id: string, metricCount: number, extra: Record<string, string> = {}) =>
  ({ pk: `ORG#${org}`, sk: `HOST#${id}`, metricCount, ...extra });
const INVENTORY = [
  host('std200', 'h1', 200),
  host('std201', 'h1', 201),
  host('std450', 'h1', 450),
  host('micro30', 'h1', 30),
  host('micro31', 'h1', 31),
  host('retired-host', 'h1', 200, { retiredAt: feb(15) }), // active Feb 1-14: 14 of 28 days
  host('retired-host', 'h2', 10, { createdAt: feb(8), retiredAt: feb(22) }), // micro for Feb 8-21
  host('new-host', 'h1', 200, { createdAt: feb(22) }), // active Feb 22-28: 7 days
  { pk: 'ORG#services', sk: 'SERVICE#shop', metricCount: 250 },
  { pk: 'ORG#services', sk: 'SERVICE#blog', metricCount: 151 }, // 401 service metrics
  ...Array.from({ length: 21 }, (_, i) => ({ pk: 'ORG#monitors', sk: `MONITOR#u${i}`, kind: 'url' })),
  ...Array.from({ length: 5 }, (_, i) => ({ pk: 'ORG#monitors', sk: `MONITOR#c${i}`, kind: 'connectivity' })),
  { pk: 'ORG#retired-org', sk: 'ORG', status: 'retired', retiredAt: feb(8) }, // Feb 1-7 only
  host('retired-org', 'h1', 200),
  host('mixed', 'h1', 10), host('mixed', 'h2', 450),
  { pk: 'ORG#mixed', sk: 'SERVICE#api', metricCount: 200 },
  ...Array.from({ length: 20 }, (_, i) => ({ pk: 'ORG#mixed', sk: `MONITOR#u${i}`, kind: 'url' })),
  host('january-only', 'h1', 200, { retiredAt: feb(1) }), // gone at local midnight Feb 1
  host('march-only', 'h1', 200, { createdAt: new Date(Date.UTC(2026, 2, 1) - 9 * 3600_000).toISOString() }),
];

describe('monthly billing from usage snapshots (dynalite)', () => {
  let dynamo: Awaited<ReturnType<typeof startLocalDynamo>>;
  let ledgerTable: string;
  let inventoryTable: string;
  let february: BillingSummary;
  let bills: Map<string, Record<string, { N?: string }>>;

  beforeAll(async () => {
    dynamo = await startLocalDynamo();
    inventoryTable = await createTable(dynamo.client, 'inventory');
    ledgerTable = await createTable(dynamo.client, 'ledger');
    await putRows(dynamo.client, inventoryTable, INVENTORY);
    const snapshot = (now: Date) => takeUsageSnapshot({ client: dynamo.client, inventoryTable, ledgerTable, timeZone: TZ, slotMinutes: 1440, now });
    for (let day = 0; day <= 29; day++) {
      // Each daily run starts a few minutes after local midnight: Jan 31 (day 0) .. Mar 1 (day 29).
      await snapshot(new Date(Date.parse(feb(day)) + 5 * 60_000));
    }
    // A retried run in the same slot overwrites instead of adding a slot.
    await snapshot(new Date(Date.parse(feb(5)) + 40 * 60_000));
    // A crashed run: its organization rows were written, its RUN marker never was.
    await putRows(dynamo.client, ledgerTable, [{
      pk: 'USAGE#2026-02', sk: `ORG#std200#${new Date(Date.parse(feb(10)) + 12 * 3600_000).toISOString()}`,
      org: 'std200', slot: new Date(Date.parse(feb(10)) + 12 * 3600_000).toISOString(), standardHosts: 1000, microHosts: 0, serviceMetricHosts: 0, urlMonitorHosts: 0,
    }]);
    february = await runBilling({ client: dynamo.client, ledgerTable, month: '2026-02', now: new Date('2026-03-01T02:00:00Z') });
    bills = await readBills(dynamo.client, ledgerTable, '2026-02');
  });

  afterAll(async () => {
    await dynamo?.close();
  });

  it('averages over the 28 completed daily runs of February (JST), ignoring the crashed one', () => {
    expect(february.slots).toBe(28);
    expect(bills.get('RUN')?.slots?.N).toBe('28');
  });

  it.each([
    // org, standard hosts, micro hosts, service-metric hosts, URL-monitor hosts, total standard, active days
    ['std200', 1, 0, 0, 0, 1, 28],
    ['std201', 2, 0, 0, 0, 2, 28],
    ['std450', 3, 0, 0, 0, 3, 28],
    ['micro30', 0, 1, 0, 0, 0, 28],
    ['micro31', 1, 0, 0, 0, 1, 28],
    ['retired-host', 0.5, 0.5, 0, 0, 0.5, 21],
    ['new-host', 0.25, 0, 0, 0, 0.25, 7],
    ['services', 0, 0, 3, 0, 3, 28],
    ['monitors', 0, 0, 0, 2, 2, 28],
    ['retired-org', 0.25, 0, 0, 0, 0.25, 7],
    ['mixed', 3, 1, 1, 1, 5, 28],
  ])('bills %s: %d standard, %d micro, %d service-metric, %d URL-monitor hosts (%d total) over %i active days',
    (org, standardHosts, microHosts, serviceMetricHosts, urlMonitorHosts, total, activeSlots) => {
      const bill = bills.get(`ORG#${org}`);
      expect(bill, `no bill for ${org}`).toBeDefined();
      const value = (field: string) => num(bill as never, field);
      expect({
        standardHosts: value('standardHosts'), microHosts: value('microHosts'), serviceMetricHosts: value('serviceMetricHosts'),
        urlMonitorHosts: value('urlMonitorHosts'), totalStandardHosts: value('totalStandardHosts'), activeSlots: value('activeSlots'),
      }).toEqual({ standardHosts, microHosts, serviceMetricHosts, urlMonitorHosts, totalStandardHosts: total, activeSlots });
    });

  it('bills nobody outside the month: a host gone at local midnight Feb 1 and one added Mar 1', () => {
    expect(bills.has('ORG#january-only')).toBe(false);
    expect(bills.has('ORG#march-only')).toBe(false);
    expect(february.organizations).toBe(11);
  });

  it('files the runs at the local month boundary under their own months', async () => {
    const january = await runBilling({ client: dynamo.client, ledgerTable, month: '2026-01', now: new Date() });
    const march = await runBilling({ client: dynamo.client, ledgerTable, month: '2026-03', now: new Date() });
    expect(january.slots).toBe(1);
    expect(january.bills.find((b) => b.org === 'january-only')?.standardHosts).toBe(1);
    expect(march.slots).toBe(1);
    expect(march.bills.find((b) => b.org === 'march-only')?.standardHosts).toBe(1);
    expect(march.bills.find((b) => b.org === 'new-host')?.standardHosts).toBe(1);
  });

  it('is idempotent: a re-run rewrites the same bills', async () => {
    const again = await runBilling({ client: dynamo.client, ledgerTable, month: '2026-02', now: new Date('2026-03-02T00:00:00Z') });
    expect(again.bills).toEqual(february.bills);
    const rerun = await readBills(dynamo.client, ledgerTable, '2026-02');
    expect([...rerun.keys()].sort()).toEqual([...bills.keys()].sort());
    const item = await dynamo.client.send(new GetItemCommand({ TableName: ledgerTable, Key: { pk: { S: 'BILL#2026-02' }, sk: { S: 'ORG#std201' } } }));
    expect(item.Item?.standardHosts?.N).toBe('2');
    expect(item.Item?.computedAt?.S).toBe('2026-03-02T00:00:00.000Z');
  });

  it('bills an empty month as nothing', async () => {
    const empty = await runBilling({ client: dynamo.client, ledgerTable, month: '2025-06', now: new Date() });
    expect(empty).toMatchObject({ slots: 0, organizations: 0, bills: [] });
  });

  it('rejects a malformed month', async () => {
    await expect(runBilling({ client: dynamo.client, ledgerTable, month: '2026-2', now: new Date() })).rejects.toThrow(/must be YYYY-MM/);
  });
});
