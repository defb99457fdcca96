import { App, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { environments } from '../../../config';
import { validateEnvConfig } from '../../../lib/config-schema/load';
import { shardTopology } from '../../../lib/model/redis-topology';
import { NetworkStack } from '../../../lib/stacks/network-stack';
import { RedisStack } from '../../../lib/stacks/redis-stack';
import { cdkJsonContext, ENVIRONMENTS } from '../../support/platform';

/**
 * The network and redis stacks alone, wired as lib/platform/environment.ts wires them, with the same
 * cdk-nag gate as the app: synth throws on any unacknowledged finding in these two stacks.
 */
function build(name: string) {
  const config = validateEnvConfig(`${name}.ts`, environments[name]);
  const app = new App({ context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [] } });
  app.node.setContext(`availability-zones:account=${config.account}:region=${config.region}`, config.availabilityZones);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  const network = new NetworkStack(app, { config });
  const redis = new RedisStack(app, { config, vpc: network.vpc, securityGroups: network.securityGroups });
  app.synth();
  return { config, network, redis, template: Template.fromStack(redis) };
}

describe.each(ENVIRONMENTS)('%s redis stack', (name) => {
  const { config, network, redis, template } = build(name);
  const shards = shardTopology(config);
  const nodeCount = config.redis.shardCount * 2;
  const privateTables = network.vpc.privateSubnets.length;

  it('exposes the AUTH secret and one VIP per shard for the other stacks', () => {
    expect(redis.shardVips).toEqual(shards.map((s) => s.vip));
    expect(redis.authSecret.secretArn).toBeDefined();
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      KmsKeyId: Match.anyValue(),
      GenerateSecretString: Match.objectLike({ ExcludePunctuation: true, PasswordLength: 48 }),
    });
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });

  it('runs two instances per shard: configured type, IMDSv2, detailed monitoring, encrypted gp3, termination protection per environment', () => {
    template.resourceCountIs('AWS::EC2::Instance', nodeCount);
    template.allResourcesProperties('AWS::EC2::Instance', {
      InstanceType: config.redis.instanceType,
      Monitoring: true,
      DisableApiTermination: config.deletionProtection,
      // The exact pinned image from config: a new AMI is a reviewed config change, never a deploy-time lookup.
      ImageId: config.redis.ami.id,
      BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { VolumeSize: config.redis.volumeGiB, VolumeType: 'gp3', Encrypted: true, DeleteOnTermination: true } }],
      NetworkInterfaces: [{ DeviceIndex: '0', NetworkInterfaceId: Match.anyValue() }],
      SubnetId: Match.absent(),
      AvailabilityZone: Match.absent(),
    });
    template.resourceCountIs('AWS::EC2::LaunchTemplate', nodeCount);
    template.allResourcesProperties('AWS::EC2::LaunchTemplate', { LaunchTemplateData: { MetadataOptions: { HttpTokens: 'required' } } });
  });

  it('gives each node a fixed-address ENI with source/destination check off, in its own AZ\'s private subnet', () => {
    template.resourceCountIs('AWS::EC2::NetworkInterface', nodeCount);
    const enis = Object.values(template.findResources('AWS::EC2::NetworkInterface')).map((r) => r.Properties);
    expect(enis.map((e) => e.PrivateIpAddress).sort()).toEqual(shards.flatMap((s) => s.nodes.map((n) => n.privateIp)).sort());
    for (const eni of enis) {
      expect(eni.SourceDestCheck).toBe(false);
      expect(eni.GroupSet).toHaveLength(2);
    }
    for (const shard of shards) {
      const [a, b] = shard.nodes.map((node) => enis.find((e) => e.PrivateIpAddress === node.privateIp)!);
      expect(JSON.stringify(a!.SubnetId)).not.toEqual(JSON.stringify(b!.SubnetId));
    }
  });

  it('routes each VIP/32 in every private route table to node a\'s ENI (a constant the template never changes)', () => {
    template.resourceCountIs('AWS::EC2::Route', config.redis.shardCount * privateTables);
    for (const [index, shard] of shards.entries()) {
      const routes = Object.values(template.findResources('AWS::EC2::Route', { Properties: { DestinationCidrBlock: `${shard.vip}/32` } }));
      expect(routes).toHaveLength(privateTables);
      for (const route of routes) {
        expect(route.Properties.NetworkInterfaceId).toEqual({ Ref: expect.stringMatching(new RegExp(`^Shard${index}NodeAEni`)) });
        expect(route.Properties.InstanceId).toBeUndefined();
      }
    }
  });

  it('allows VRRP only inside each pair\'s own security group', () => {
    const vrrpRules = (type: string) => Object.values(template.findResources(type, { Properties: { IpProtocol: '112' } }));
    expect(vrrpRules('AWS::EC2::SecurityGroupIngress')).toHaveLength(config.redis.shardCount);
    expect(vrrpRules('AWS::EC2::SecurityGroupEgress')).toHaveLength(config.redis.shardCount);
    for (const rule of vrrpRules('AWS::EC2::SecurityGroupIngress')) {
      expect(rule.Properties.SourceSecurityGroupId).toEqual(rule.Properties.GroupId);
    }
    const groups = template.findResources('AWS::EC2::SecurityGroup');
    expect(Object.keys(groups)).toHaveLength(config.redis.shardCount);
    for (const group of Object.values(groups)) expect(group.Properties.SecurityGroupEgress).toBeUndefined();
  });

  it('lets the nodes replace routes only in the VIP route tables, read the secret and fetch only the agent bundle', () => {
    const all = Object.values(template.findResources('AWS::IAM::Policy'));
    // The node role's own policy, and the host-metrics publishing policy (its own log group and namespace).
    expect(all).toHaveLength(2);
    const sids = (p: (typeof all)[number]) => (p.Properties.PolicyDocument.Statement as Array<{ Sid?: string }>).map((st) => st.Sid);
    const policies = all.filter((p) => sids(p).includes('MoveVipRoutes'));
    expect(all.filter((p) => !policies.includes(p)).map(sids)).toEqual([['HostMetricsLogs', 'HostMetricsNamespace']]);
    const statements = policies[0]!.Properties.PolicyDocument.Statement as Array<{ Sid?: string; Action: string | string[]; Resource: unknown }>;
    const replace = statements.find((s) => s.Sid === 'MoveVipRoutes')!;
    expect(replace.Action).toBe('ec2:ReplaceRoute');
    expect(replace.Resource).toHaveLength(privateTables);
    for (const arn of replace.Resource as unknown[]) expect(JSON.stringify(arn)).toMatch(/:route-table\//);
    expect(statements.find((s) => s.Sid === 'ReadRouteTables')).toMatchObject({ Action: 'ec2:DescribeRouteTables', Resource: '*' });
    expect(statements.find((s) => s.Sid === 'FetchFailoverAgent')).toMatchObject({ Action: 's3:GetObject' });
    const actions = statements.flatMap((s) => [s.Action].flat());
    expect(actions.filter((a) => a.startsWith('ec2:')).sort()).toEqual(['ec2:DescribeRouteTables', 'ec2:ReplaceRoute']);
    expect(actions.some((a) => a.includes('*'))).toBe(false);
    template.hasResourceProperties('AWS::IAM::Role', {
      ManagedPolicyArns: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/AmazonSSMManagedInstanceCore']] }],
    });
  });

  it('boots each node from cloud-init with its own keepalived.conf', () => {
    const userData = Object.values(template.findResources('AWS::EC2::Instance')).map((r) => JSON.stringify(r.Properties.UserData));
    for (const node of shards.flatMap((s) => s.nodes)) {
      expect(userData.filter((u) => u.includes(`unicast_src_ip ${node.privateIp}`))).toHaveLength(1);
    }
    expect(userData.every((u) => u.includes('#cloud-config') && u.includes('systemctl enable --now'))).toBe(true);
  });
});
