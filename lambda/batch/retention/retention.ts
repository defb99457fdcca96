import type { DynamoDBClient, WriteRequest } from '@aws-sdk/client-dynamodb';
import { batchWrite, S, str } from '../../../common/batch/items';
import { scanInventory } from '../usage/inventory';

export interface RetentionOptions {
  readonly client: DynamoDBClient;
  readonly inventoryTable: string;
  readonly retiredHostDays: number;
  readonly retiredOrganizationDays: number;
  readonly now: Date;
}

export interface RetentionSummary {
  readonly hostsDeleted: number;
  readonly monitorsDeleted: number;
  readonly organizationsDeleted: number;
  readonly itemsDeleted: number;
  readonly itemsScanned: number;
  readonly durationMs: number;
}

const DAY_MS = 86_400_000;

/**
 * Deletes the inventory of hosts (and monitors) retired more than `retiredHostDays` ago, and every
 * inventory row of organizations retired more than `retiredOrganizationDays` ago. Usage snapshots
 * expire by TTL; bills are accounting records and are never deleted here. Idempotent: a re-run finds
 * nothing left to delete.
 */
export async function applyRetention(options: RetentionOptions): Promise<RetentionSummary> {
  const started = Date.now();
  const items = await scanInventory(options.client, options.inventoryTable);
  const hostCutoff = options.now.getTime() - options.retiredHostDays * DAY_MS;
  const orgCutoff = options.now.getTime() - options.retiredOrganizationDays * DAY_MS;
  const retiredBefore = (retiredAt: string | undefined, cutoff: number) => retiredAt !== undefined && Date.parse(retiredAt) < cutoff;

  const expiredOrgs = new Set(
    items.filter((i) => str(i, 'sk') === 'ORG' && retiredBefore(str(i, 'retiredAt'), orgCutoff)).map((i) => str(i, 'pk')!),
  );
  const deletes: WriteRequest[] = [];
  let hostsDeleted = 0;
  let monitorsDeleted = 0;
  for (const item of items) {
    const pk = str(item, 'pk')!;
    const sk = str(item, 'sk')!;
    const wholeOrg = expiredOrgs.has(pk);
    const expiredHost = sk.startsWith('HOST#') && retiredBefore(str(item, 'retiredAt'), hostCutoff);
    const expiredMonitor = sk.startsWith('MONITOR#') && retiredBefore(str(item, 'retiredAt'), hostCutoff);
    if (!wholeOrg && !expiredHost && !expiredMonitor) continue;
    if (sk.startsWith('HOST#')) hostsDeleted += 1;
    if (sk.startsWith('MONITOR#')) monitorsDeleted += 1;
    deletes.push({ DeleteRequest: { Key: { pk: S(pk), sk: S(sk) } } });
  }
  await batchWrite(options.client, options.inventoryTable, deletes);
  return {
    hostsDeleted, monitorsDeleted, organizationsDeleted: expiredOrgs.size, itemsDeleted: deletes.length,
    itemsScanned: items.length, durationMs: Date.now() - started,
  };
}
