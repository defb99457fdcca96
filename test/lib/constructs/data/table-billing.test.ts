import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { describe, expect, it } from 'vitest';
import { environments } from '../../../../config';
import { tableBilling } from '../../../../lib/constructs/data/table-billing';
import type { TsdbConfig } from '../../../../lib/config-schema/sections/tsdb';
import { configRejection } from '../../../support/config-rejection';

function tableWith(billing: TsdbConfig['table']) {
  const stack = new Stack(new App(), 'T');
  new dynamodb.TableV2(stack, 'Table', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING }, billing: tableBilling(billing) });
  return Template.fromStack(stack);
}

describe('series table billing', () => {
  it('is on demand for PAY_PER_REQUEST', () => {
    const table = Object.values(tableWith({ billing: 'PAY_PER_REQUEST' }).findResources('AWS::DynamoDB::GlobalTable'))[0]!;
    expect(table.Properties.BillingMode).toBe('PAY_PER_REQUEST');
  });

  it('is provisioned with reads and writes autoscaled between the configured bounds for PROVISIONED', () => {
    const t = tableWith({
      billing: 'PROVISIONED',
      readCapacity: { min: 5, max: 200, targetUtilizationPercent: 70 },
      writeCapacity: { min: 50, max: 4000, targetUtilizationPercent: 60 },
    });
    const table = Object.values(t.findResources('AWS::DynamoDB::GlobalTable'))[0]!;
    expect(table.Properties.BillingMode).toBe('PROVISIONED');
    expect(table.Properties.WriteProvisionedThroughputSettings.WriteCapacityAutoScalingSettings).toMatchObject({
      MinCapacity: 50, MaxCapacity: 4000, TargetTrackingScalingPolicyConfiguration: { TargetValue: 60 },
    });
    expect(table.Properties.Replicas[0].ReadProvisionedThroughputSettings.ReadCapacityAutoScalingSettings).toMatchObject({
      MinCapacity: 5, MaxCapacity: 200, TargetTrackingScalingPolicyConfiguration: { TargetValue: 70 },
    });
  });

  it('rejects PROVISIONED without capacities, and bounds that cannot work, in one line', () => {
    expect(configRejection('staging', (cfg) => { cfg.tsdb.table = { billing: 'PROVISIONED' } as never; })).toMatch(/^config\/staging\.ts: tsdb\.table\.readCapacity: /);
    expect(configRejection('staging', (cfg) => {
      cfg.tsdb.table = { billing: 'PROVISIONED', readCapacity: { min: 10, max: 5, targetUtilizationPercent: 70 }, writeCapacity: { min: 1, max: 5, targetUtilizationPercent: 70 } };
    })).toBe('config/staging.ts: tsdb.table.readCapacity.max: max must be at least min');
    expect(environments.staging!.tsdb.table.billing).toBe('PAY_PER_REQUEST');
  });
});
