import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { environments } from '../../../config';
import { validateEnvConfig } from '../../../lib/config-schema/load';
import { NetworkStack } from '../../../lib/stacks/network-stack';
import { ENVIRONMENTS, partialApp } from '../../support/platform';
import { describeFindings, synthValidationReport } from '../../support/validation-report';

/** The network stack on its own (it depends on no other stack), with cdk-nag as the factory adds it. */
function build(env: string) {
  const config = validateEnvConfig(`${env}.ts`, environments[env]);
  const app = partialApp([config], { context: { '@aws-cdk/core:failSynthOnValidationErrors': false } });
  const stack = new NetworkStack(app, { config });
  return { app, stack, config, t: Template.fromStack(stack) };
}

describe.each(ENVIRONMENTS)('NetworkStack (%s)', (env) => {
  const { app, stack, config, t } = build(env);

  it('is named, placed and protected like every platform stack', () => {
    expect(stack.stackName).toBe(`monsaas-${env}-network`);
    expect(stack.region).toBe(config.region);
    expect(stack.terminationProtection).toBe(config.terminationProtection);
  });

  it('composes the VPC, every security group and the configured interface endpoints', () => {
    t.resourceCountIs('AWS::EC2::VPC', 1);
    t.resourceCountIs('AWS::EC2::SecurityGroup', 10);
    expect(Object.keys(t.findResources('AWS::EC2::VPCEndpoint', { Properties: { VpcEndpointType: 'Interface' } }))).toHaveLength(config.network.interfaceEndpoints.length);
  });

  it('exposes the VPC, the groups and each tier\'s route tables to the other stacks', () => {
    expect(stack.vpc.isolatedSubnets).toHaveLength(config.availabilityZones.length);
    expect(stack.securityGroups.databaseRotation).toBeDefined();
    expect(stack.routeTables.private).toHaveLength(config.availabilityZones.length);
    expect(stack.interfaceEndpoints.endpoints.size).toBe(config.network.interfaceEndpoints.length);
  });

  it('has no unacknowledged cdk-nag finding', () => {
    expect(describeFindings(synthValidationReport(app)).filter((line) => line.includes(` monsaas-${env}-network/`))).toEqual([]);
  });
});
