import { QueryCommand, type DynamoDBClient, type WriteRequest } from '@aws-sdk/client-dynamodb';
import { usagePartition } from './ledger-keys';
import { batchWrite, N, num, S, str, type Item } from '../batch/items';
import { parseMonth } from '../batch/time';
import { monthlyAverage } from './rules';

export interface BillingOptions {
  readonly client: DynamoDBClient;
  readonly ledgerTable: string;
  /** Local billing month "YYYY-MM" (snapshots were filed under it in the billing time zone). */
  readonly month: string;
  readonly now: Date;
}

export interface OrganizationBill {
  readonly org: string;
  readonly standardHosts: number;
  readonly microHosts: number;
  readonly serviceMetricHosts: number;
  readonly urlMonitorHosts: number;
  /** Standard hosts plus service-metric and URL-monitor equivalents. */
  readonly totalStandardHosts: number;
  /** Slots in which the organization had usage. */
  readonly activeSlots: number;
}

export interface BillingSummary {
  readonly month: string;
  readonly slots: number;
  readonly organizations: number;
  readonly snapshotsRead: number;
  readonly durationMs: number;
  readonly bills: OrganizationBill[];
}

const UNIT_FIELDS = ['standardHosts', 'microHosts', 'serviceMetricHosts', 'urlMonitorHosts'] as const;
type Sums = Record<(typeof UNIT_FIELDS)[number] | 'total' | 'activeSlots', number>;

export const billPartition = (month: string) => `BILL#${month}`;

async function queryPartition(client: DynamoDBClient, tableName: string, pk: string): Promise<Item[]> {
  const items: Item[] = [];
  let startKey: Item | undefined;
  do {
    const page = await client.send(new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': { S: pk } },
      ExclusiveStartKey: startKey,
    }));
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

/**
 * Averages a month's usage snapshots into billable units per organization: each unit is summed over
 * the month's completed snapshot runs and divided by the number of runs, so a host retired (or added)
 * mid-month pays for the share of the month it existed, and a missed run neither bills nor discounts.
 * Bills are written under deterministic keys: re-running a month rewrites the same items.
 */
export async function runBilling(options: BillingOptions): Promise<BillingSummary> {
  parseMonth(options.month);
  const started = Date.now();
  const items = await queryPartition(options.client, options.ledgerTable, usagePartition(options.month));
  const runs = new Set(items.filter((i) => str(i, 'sk')?.startsWith('RUN#')).map((i) => str(i, 'slot')));
  const sums = new Map<string, Sums>();
  let snapshotsRead = 0;
  for (const item of items) {
    if (!str(item, 'sk')?.startsWith('ORG#') || !runs.has(str(item, 'slot'))) continue;
    snapshotsRead += 1;
    const org = str(item, 'org')!;
    const sum = sums.get(org) ?? { standardHosts: 0, microHosts: 0, serviceMetricHosts: 0, urlMonitorHosts: 0, total: 0, activeSlots: 0 };
    for (const field of UNIT_FIELDS) sum[field] += num(item, field) ?? 0;
    sum.total += (num(item, 'standardHosts') ?? 0) + (num(item, 'serviceMetricHosts') ?? 0) + (num(item, 'urlMonitorHosts') ?? 0);
    sum.activeSlots += 1;
    sums.set(org, sum);
  }
  const slots = runs.size;
  const bills: OrganizationBill[] = [...sums.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([org, sum]) => ({
    org,
    standardHosts: monthlyAverage(sum.standardHosts, slots),
    microHosts: monthlyAverage(sum.microHosts, slots),
    serviceMetricHosts: monthlyAverage(sum.serviceMetricHosts, slots),
    urlMonitorHosts: monthlyAverage(sum.urlMonitorHosts, slots),
    totalStandardHosts: monthlyAverage(sum.total, slots),
    activeSlots: sum.activeSlots,
  }));

  const computedAt = S(options.now.toISOString());
  const writes: WriteRequest[] = bills.map((bill) => ({
    PutRequest: {
      Item: {
        pk: S(billPartition(options.month)), sk: S(`ORG#${bill.org}`), org: S(bill.org), month: S(options.month),
        standardHosts: N(bill.standardHosts), microHosts: N(bill.microHosts),
        serviceMetricHosts: N(bill.serviceMetricHosts), urlMonitorHosts: N(bill.urlMonitorHosts),
        totalStandardHosts: N(bill.totalStandardHosts), activeSlots: N(bill.activeSlots), slots: N(slots), computedAt,
      },
    },
  }));
  writes.push({ PutRequest: { Item: { pk: S(billPartition(options.month)), sk: S('RUN'), month: S(options.month), slots: N(slots), organizations: N(bills.length), computedAt } } });
  await batchWrite(options.client, options.ledgerTable, writes);
  return { month: options.month, slots, organizations: bills.length, snapshotsRead, durationMs: Date.now() - started, bills };
}

/** Reads the bills of a month back (for operators and tests). */
export async function readBills(client: DynamoDBClient, ledgerTable: string, month: string): Promise<Map<string, Item>> {
  const items = await queryPartition(client, ledgerTable, billPartition(month));
  return new Map(items.map((i) => [str(i, 'sk')!, i]));
}
