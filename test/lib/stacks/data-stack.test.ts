import { describe, expect, it } from 'vitest';
import { template } from '../../support/platform';

type Resource = { Type: string; DeletionPolicy?: string; UpdateReplacePolicy?: string; Properties: Record<string, unknown> };
const resource = (env: string, logicalId: string) => template(env, 'data').toJSON().Resources[logicalId] as Resource;
const replicas = (r: Resource) => r.Properties.Replicas as Array<{ DeletionProtectionEnabled?: boolean; PointInTimeRecoverySpecification?: { PointInTimeRecoveryEnabled: boolean } }>;

/** The series table holds every point between Redis and the archive: it must survive a mistaken delete. */
describe('stateful data', () => {
  it('protects production tables from deletion (every replica) and keeps point-in-time recovery', () => {
    for (const id of ['TsdbSeriesTableF2AD8FF8', 'BatchInventoryTable032F7E5B', 'BatchLedgerTable87D5728A']) {
      const table = resource('production', id);
      expect(table.Type, id).toBe('AWS::DynamoDB::GlobalTable');
      expect(replicas(table).length, id).toBeGreaterThan(0);
      for (const replica of replicas(table)) {
        expect(replica.DeletionProtectionEnabled, id).toBe(true);
        expect(replica.PointInTimeRecoverySpecification?.PointInTimeRecoveryEnabled, id).toBe(true);
      }
      expect([table.DeletionPolicy, table.UpdateReplacePolicy], id).toEqual(['Retain', 'Retain']);
    }
  });

  it('lets staging be torn down: no deletion protection on its series table', () => {
    for (const replica of replicas(resource('staging', 'TsdbSeriesTableF2AD8FF8'))) expect(replica.DeletionProtectionEnabled).toBe(false);
  });

  it('protects the production database from deletion and retains it', () => {
    const db = resource('production', 'DatabaseInstanceAA8A5FDE');
    expect(db.Properties.DeletionProtection).toBe(true);
    expect(db.DeletionPolicy).toBe('Retain');
  });
});
