import { ScanCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { OrganizationUsage } from '../../../common/billing/rules';
import { num, str, type Item } from '../../../common/batch/items';

/**
 * The inventory table is what the platform already records as it happens (the API writes it when an
 * agent registers or retires a host, when service metrics are first posted, when a monitor is set up):
 *   pk ORG#<org>  sk ORG              status, retiredAt?
 *   pk ORG#<org>  sk HOST#<host>      metricCount (distinct metric names posted), createdAt, retiredAt?
 *   pk ORG#<org>  sk SERVICE#<name>   metricCount (distinct service metric names)
 *   pk ORG#<org>  sk MONITOR#<id>     kind ("url" counts for billing), createdAt, retiredAt?
 * Times are ISO-8601 UTC. Something is active at t when createdAt <= t < retiredAt.
 */
export interface InventoryOrganization {
  readonly org: string;
  readonly retiredAt?: Date;
  readonly hosts: InventoryHost[];
  readonly services: { name: string; metricCount: number }[];
  readonly monitors: { id: string; kind: string; createdAt?: Date; retiredAt?: Date }[];
}

export interface InventoryHost {
  readonly host: string;
  readonly metricCount: number;
  readonly createdAt?: Date;
  readonly retiredAt?: Date;
}

const date = (item: Item, name: string): Date | undefined => {
  const value = str(item, name);
  return value === undefined ? undefined : new Date(value);
};

/** Groups raw inventory items by organization. */
export function parseInventory(items: Item[]): Map<string, InventoryOrganization> {
  const orgs = new Map<string, InventoryOrganization>();
  const orgOf = (org: string): InventoryOrganization => {
    let found = orgs.get(org);
    if (!found) {
      found = { org, hosts: [], services: [], monitors: [] };
      orgs.set(org, found);
    }
    return found;
  };
  for (const item of items) {
    const pk = str(item, 'pk') ?? '';
    const sk = str(item, 'sk') ?? '';
    if (!pk.startsWith('ORG#')) continue;
    const org = orgOf(pk.slice(4));
    if (sk === 'ORG') {
      orgs.set(org.org, { ...org, retiredAt: date(item, 'retiredAt') });
    } else if (sk.startsWith('HOST#')) {
      org.hosts.push({ host: sk.slice(5), metricCount: num(item, 'metricCount') ?? 0, createdAt: date(item, 'createdAt'), retiredAt: date(item, 'retiredAt') });
    } else if (sk.startsWith('SERVICE#')) {
      org.services.push({ name: sk.slice(8), metricCount: num(item, 'metricCount') ?? 0 });
    } else if (sk.startsWith('MONITOR#')) {
      org.monitors.push({ id: sk.slice(8), kind: str(item, 'kind') ?? 'unknown', createdAt: date(item, 'createdAt'), retiredAt: date(item, 'retiredAt') });
    }
  }
  return orgs;
}

const activeAt = (at: Date, createdAt?: Date, retiredAt?: Date) =>
  (createdAt === undefined || createdAt <= at) && (retiredAt === undefined || at < retiredAt);

/** What one organization uses at `at`; undefined when the organization is retired by then. */
export function usageAt(org: InventoryOrganization, at: Date): OrganizationUsage | undefined {
  if (org.retiredAt !== undefined && org.retiredAt <= at) return undefined;
  return {
    hostMetricCounts: org.hosts.filter((h) => activeAt(at, h.createdAt, h.retiredAt)).map((h) => h.metricCount),
    serviceMetrics: org.services.reduce((sum, s) => sum + s.metricCount, 0),
    urlMonitors: org.monitors.filter((m) => m.kind === 'url' && activeAt(at, m.createdAt, m.retiredAt)).length,
  };
}

/** Reads the whole inventory (paged scan: the table holds only small registry rows). */
export async function scanInventory(client: DynamoDBClient, tableName: string): Promise<Item[]> {
  const items: Item[] = [];
  let startKey: Item | undefined;
  do {
    const page = await client.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey: startKey }));
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}
