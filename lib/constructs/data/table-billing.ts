import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type { TsdbConfig } from '../../config-schema/sections/tsdb';

/**
 * The series table's billing from config: on demand, or provisioned with target-tracking autoscaling
 * of reads and writes between the configured bounds (cheaper at a steady write rate like the TSDB's).
 */
export function tableBilling(table: TsdbConfig['table']): dynamodb.Billing {
  if (table.billing === 'PAY_PER_REQUEST') return dynamodb.Billing.onDemand();
  const autoscaled = (c: typeof table.readCapacity) =>
    dynamodb.Capacity.autoscaled({ minCapacity: c.min, maxCapacity: c.max, targetUtilizationPercent: c.targetUtilizationPercent });
  return dynamodb.Billing.provisioned({ readCapacity: autoscaled(table.readCapacity), writeCapacity: autoscaled(table.writeCapacity) });
}
