import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { InterfaceEndpoints } from '../../../../lib/constructs/network/interface-endpoints';
import { ENVIRONMENTS } from '../../../support/platform';
import { constructFixture, fixtureTemplate, logicalId, type ConstructFixture } from '../../../support/construct-fixture';

function build(env: string): { fixture: ConstructFixture; t: Template } {
  const fixture = constructFixture(env);
  new InterfaceEndpoints(fixture.stack, 'InterfaceEndpoints', {
    vpc: fixture.platformVpc.vpc,
    services: fixture.config.network.interfaceEndpoints,
    securityGroup: fixture.securityGroups.endpoints,
  });
  return { fixture, t: fixtureTemplate(fixture) };
}

describe.each(ENVIRONMENTS)('InterfaceEndpoints (%s)', (env) => {
  let fixture: ConstructFixture;
  let t: Template;
  beforeAll(() => ({ fixture, t } = build(env)));
  const endpoints = () => Object.values(t.findResources('AWS::EC2::VPCEndpoint', { Properties: { VpcEndpointType: 'Interface' } }));
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- CloudFormation JSON is untyped
  const serviceName = (e: { [key: string]: any }) => JSON.stringify(fixture.stack.resolve(e.Properties.ServiceName));

  it('creates exactly the configured endpoints', () => {
    const configured = fixture.config.network.interfaceEndpoints;
    expect(endpoints()).toHaveLength(configured.length);
    for (const service of configured) {
      expect(endpoints().filter((e) => serviceName(e).endsWith(`.${service}"`) || serviceName(e).includes(`.${service}"]`))).toHaveLength(1);
    }
  });

  it('places each in the private subnet of every AZ, with private DNS, behind the endpoints group only', () => {
    const groupId = logicalId(fixture.securityGroups.endpoints, fixture.stack);
    for (const endpoint of endpoints()) {
      expect(endpoint.Properties.PrivateDnsEnabled).toBe(true);
      expect(endpoint.Properties.SubnetIds).toHaveLength(fixture.config.availabilityZones.length);
      expect(JSON.stringify(endpoint.Properties.SubnetIds)).toMatch(/privateSubnet/);
      expect(endpoint.Properties.SecurityGroupIds).toEqual([{ 'Fn::GetAtt': [groupId, 'GroupId'] }]);
    }
  });

  it('admits HTTPS only from the platform\'s groups, never from a CIDR', () => {
    const groupId = logicalId(fixture.securityGroups.endpoints, fixture.stack);
    const ingress = Object.values(t.findResources('AWS::EC2::SecurityGroupIngress'))
      .filter((rule) => JSON.stringify(rule.Properties.GroupId).includes(groupId));
    expect(ingress.length).toBeGreaterThanOrEqual(7);
    for (const rule of ingress) {
      expect(rule.Properties).toMatchObject({ IpProtocol: 'tcp', FromPort: 443, ToPort: 443 });
      expect(rule.Properties.CidrIp).toBeUndefined();
      expect(rule.Properties.SourceSecurityGroupId).toBeDefined();
    }
    expect(t.toJSON().Resources[groupId].Properties.SecurityGroupIngress).toBeUndefined();
  });
});

it('staging keeps the endpoints tasks need to start; production adds the data-path services', () => {
  const staging = constructFixture('staging').config.network.interfaceEndpoints;
  const production = constructFixture('production').config.network.interfaceEndpoints;
  expect(staging).toEqual(expect.arrayContaining(['ecr.api', 'ecr.dkr', 'logs', 'secretsmanager', 'ssm']));
  expect(production).toEqual(expect.arrayContaining([...staging, 'kinesis-streams', 'kms', 'lambda']));
});
