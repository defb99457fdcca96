import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { subnetPlan } from '../../../../lib/model/subnet-plan';
import { ENVIRONMENTS } from '../../../support/platform';
import { constructFixture, fixtureTemplate, type ConstructFixture } from '../../../support/construct-fixture';

describe.each(ENVIRONMENTS)('PlatformVpc (%s)', (env) => {
  let fixture: ConstructFixture;
  let t: Template;
  beforeAll(() => {
    fixture = constructFixture(env);
    t = fixtureTemplate(fixture);
  });
  const subnetsNamed = (tier: string) =>
    Object.values(t.findResources('AWS::EC2::Subnet')).filter((subnet) =>
      (subnet.Properties.Tags as Array<{ Key: string; Value: string }>).some((tag) => tag.Key === 'aws-cdk:subnet-name' && tag.Value === tier));

  it('takes its CIDR from config', () => {
    t.hasResourceProperties('AWS::EC2::VPC', { CidrBlock: fixture.config.network.vpcCidr, EnableDnsHostnames: true, EnableDnsSupport: true });
  });

  it('has a public, a private-with-egress and an isolated subnet in every configured AZ', () => {
    for (const tier of ['public', 'private', 'data']) {
      expect(subnetsNamed(tier).map((s) => s.Properties.AvailabilityZone).sort()).toEqual([...fixture.config.availabilityZones].sort());
    }
    for (const subnet of subnetsNamed('public')) expect(subnet.Properties.MapPublicIpOnLaunch).toBe(false);
  });

  it('builds exactly the subnets of lib/model/subnet-plan.ts, each in its tier and AZ', () => {
    const actual = Object.values(t.findResources('AWS::EC2::Subnet')).map((subnet) => {
      const tier = (subnet.Properties.Tags as Array<{ Key: string; Value: string }>).find((tag) => tag.Key === 'aws-cdk:subnet-name')!.Value;
      return `${tier} ${subnet.Properties.AvailabilityZone} ${subnet.Properties.CidrBlock}`;
    });
    const planned = subnetPlan(fixture.config.network.vpcCidr, fixture.config.availabilityZones).map((s) => `${s.tier} ${s.availabilityZone} ${s.cidr}`);
    expect(actual.sort()).toEqual(planned.sort());
  });

  it('runs the configured NAT gateways; only public and private subnets have a default route', () => {
    t.resourceCountIs('AWS::EC2::NatGateway', fixture.config.network.natGateways);
    const defaultRoutes = Object.values(t.findResources('AWS::EC2::Route', { Properties: { DestinationCidrBlock: '0.0.0.0/0' } }));
    expect(defaultRoutes.filter((r) => r.Properties.GatewayId)).toHaveLength(fixture.config.availabilityZones.length);
    expect(defaultRoutes.filter((r) => r.Properties.NatGatewayId)).toHaveLength(fixture.config.availabilityZones.length);
  });

  it('writes flow logs of all traffic to a log group with the configured retention', () => {
    t.hasResourceProperties('AWS::EC2::FlowLog', { ResourceType: 'VPC', TrafficType: 'ALL', LogDestinationType: 'cloud-watch-logs' });
    t.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: fixture.config.network.flowLogRetentionDays });
  });

  it('has S3 and DynamoDB gateway endpoints in the route tables of every tier', () => {
    const gateways = Object.values(t.findResources('AWS::EC2::VPCEndpoint', { Properties: { VpcEndpointType: 'Gateway' } }));
    expect(gateways).toHaveLength(2);
    for (const service of ['s3', 'dynamodb']) {
      const endpoint = gateways.find((e) => JSON.stringify(e.Properties.ServiceName).includes(`.${service}`));
      expect(endpoint?.Properties.RouteTableIds).toHaveLength(fixture.config.availabilityZones.length * 3);
    }
  });

  it('exposes each tier\'s route tables, one per AZ, for the parts that add failover routes', () => {
    const { routeTables } = fixture.platformVpc;
    const all = [...routeTables.public, ...routeTables.private, ...routeTables.data];
    for (const tier of ['public', 'private', 'data'] as const) expect(routeTables[tier]).toHaveLength(fixture.config.availabilityZones.length);
    expect(new Set(all.map((id) => fixture.stack.resolve(id).Ref)).size).toBe(all.length);
    expect(Object.keys(t.findResources('AWS::EC2::RouteTable'))).toHaveLength(all.length);
  });

  it('strips the default security group of its rules', () => {
    t.resourceCountIs('Custom::VpcRestrictDefaultSG', 1);
    t.hasResourceProperties('AWS::EC2::VPC', Match.objectLike({ CidrBlock: fixture.config.network.vpcCidr }));
  });
});

it('runs a NAT gateway per AZ in production and a single one in staging', () => {
  const production = constructFixture('production');
  const staging = constructFixture('staging');
  expect(production.config.availabilityZones).toHaveLength(3);
  fixtureTemplate(production).resourceCountIs('AWS::EC2::NatGateway', 3);
  fixtureTemplate(staging).resourceCountIs('AWS::EC2::NatGateway', 1);
});
