import { PutItemCommand, type DynamoDBClient, type WriteRequest } from '@aws-sdk/client-dynamodb';
import { billableUnits } from '../../../common/billing/rules';
import { runSortKey, snapshotSortKey, usagePartition } from '../../../common/billing/ledger-keys';
import { batchWrite, N, S } from '../../../common/batch/items';
import { monthOf, slotStart } from '../../../common/batch/time';
import { parseInventory, scanInventory, usageAt } from './inventory';

/** Snapshots stay long enough for a billing dispute on last year's invoice; bills themselves never expire. */
export const SNAPSHOT_RETENTION_DAYS = 400;

export interface SnapshotOptions {
  readonly client: DynamoDBClient;
  readonly inventoryTable: string;
  readonly ledgerTable: string;
  readonly timeZone: string;
  readonly slotMinutes: number;
  readonly now: Date;
}

export interface SnapshotSummary {
  readonly slot: string;
  readonly month: string;
  readonly organizations: number;
  readonly hosts: number;
  readonly durationMs: number;
}


/**
 * Records what every organization uses now, keyed by the slot the run belongs to, into the partition
 * of the local billing month. Keys are deterministic, so a retried run overwrites rather than adds;
 * the RUN marker is written last and billing counts only slots that have one, so a crashed run bills nothing.
 */
export async function takeUsageSnapshot(options: SnapshotOptions): Promise<SnapshotSummary> {
  const started = Date.now();
  const slotDate = slotStart(options.now, options.slotMinutes, options.timeZone);
  const slot = slotDate.toISOString();
  const month = monthOf(slotDate, options.timeZone);
  const expiresAt = Math.floor(slotDate.getTime() / 1000) + SNAPSHOT_RETENTION_DAYS * 86_400;
  const inventory = parseInventory(await scanInventory(options.client, options.inventoryTable));

  const writes: WriteRequest[] = [];
  let hosts = 0;
  for (const org of inventory.values()) {
    const usage = usageAt(org, slotDate);
    if (!usage) continue;
    const units = billableUnits(usage);
    if (usage.hostMetricCounts.length === 0 && usage.serviceMetrics === 0 && usage.urlMonitors === 0) continue;
    hosts += usage.hostMetricCounts.length;
    writes.push({
      PutRequest: {
        Item: {
          pk: S(usagePartition(month)), sk: S(snapshotSortKey(org.org, slot)),
          org: S(org.org), slot: S(slot),
          hosts: N(usage.hostMetricCounts.length),
          metrics: N(usage.hostMetricCounts.reduce((a, b) => a + b, 0)),
          serviceMetrics: N(usage.serviceMetrics), urlMonitors: N(usage.urlMonitors),
          standardHosts: N(units.standardHosts), microHosts: N(units.microHosts),
          serviceMetricHosts: N(units.serviceMetricHosts), urlMonitorHosts: N(units.urlMonitorHosts),
          expiresAt: N(expiresAt),
        },
      },
    });
  }
  await batchWrite(options.client, options.ledgerTable, writes);
  await options.client.send(new PutItemCommand({
    TableName: options.ledgerTable,
    Item: { pk: S(usagePartition(month)), sk: S(runSortKey(slot)), slot: S(slot), organizations: N(writes.length), takenAt: S(options.now.toISOString()), expiresAt: N(expiresAt) },
  }));
  return { slot, month, organizations: writes.length, hosts, durationMs: Date.now() - started };
}
