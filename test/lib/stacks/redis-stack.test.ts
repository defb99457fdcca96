import { App, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { environments } from '../../../config';
import { validateEnvConfig } from '../../../lib/config-schema/load';
import { renderHostBundle } from '../../../lib/host-config/bundle';
import { redisNodeBundle } from '../../../lib/host-config/redis/node-bundle';
import { shardTopology } from '../../../lib/model/redis-topology';
import { NetworkStack } from '../../../lib/stacks/network-stack';
import { RedisStack } from '../../../lib/stacks/redis-stack';
import { cdkJsonContext, ENVIRONMENTS } from '../../support/platform';

/**
 * The network and redis stacks alone, wired as lib/platform/environment.ts wires them, with the same
 * cdk-nag gate as the app: synth throws on any unacknowledged finding in these two stacks.
 */
function build(name: string, redisOverrides: Record<string, unknown> = {}) {
  const raw = environments[name]!;
  const config = validateEnvConfig(`${name}.ts`, { ...raw, redis: { ...raw.redis, ...redisOverrides } });
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
      // The exact pinned image from config: a new AMI reaches nodes by relaunching a role, never by a lookup.
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

  it('lets the nodes replace routes only in the VIP route tables, read the secret, fetch the agent and each node only its own bundle', () => {
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
    // The node bundles: exactly one object key each (a content hash + .json), no prefix or wildcard.
    const bundleObjects = statements.filter((s) => s.Action === 's3:GetObject' && s.Sid === undefined).flatMap((s) => [s.Resource].flat());
    expect(bundleObjects).toHaveLength(nodeCount);
    for (const arn of bundleObjects) expect(arn).toMatch(/^arn:aws:s3:::cdk-[a-z0-9]+-assets-\d+-[a-z0-9-]+\/[0-9a-f]{64}\.json$/);
    const actions = statements.flatMap((s) => [s.Action].flat());
    expect(actions.filter((a) => a.startsWith('ec2:')).sort()).toEqual(['ec2:DescribeRouteTables', 'ec2:ReplaceRoute']);
    expect(actions.filter((a) => a.startsWith('s3:')).every((a) => a === 's3:GetObject')).toBe(true);
    expect(actions.some((a) => a.includes('*'))).toBe(false);
    template.hasResourceProperties('AWS::IAM::Role', {
      ManagedPolicyArns: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/AmazonSSMManagedInstanceCore']] }],
    });
  });

  it('boots every node from the same packages-only user data: node files never reach UserData', () => {
    const userData = Object.values(template.findResources('AWS::EC2::Instance')).map((r) => JSON.stringify(r.Properties.UserData));
    expect(new Set(userData).size).toBe(1);
    expect(userData[0]).toContain('#cloud-config');
    expect(userData[0]).not.toContain('write_files');
    expect(userData[0]).not.toContain('runcmd');
  });

  it('delivers each node its own bundle through one SSM association that CloudFormation waits for', () => {
    const associations = template.findResources('AWS::SSM::Association');
    expect(Object.keys(associations)).toHaveLength(nodeCount);
    const instances = template.findResources('AWS::EC2::Instance');
    for (const [index, shard] of shards.entries()) {
      for (const node of shard.nodes) {
        const role = node.role.toUpperCase();
        const instanceId = Object.keys(instances).find((id) => id.startsWith(`Shard${index}Node${role}Instance`))!;
        const [, association] = Object.entries(associations).find(([id]) => id.startsWith(`Shard${index}Node${role}Apply`))!;
        expect(association.Properties.Targets).toEqual([{ Key: 'InstanceIds', Values: [{ Ref: instanceId }] }]);
        expect(association.Properties.WaitForSuccessTimeoutSeconds).toBe(1800);
        expect(association.Properties.Parameters.bundleSha256).toEqual([renderHostBundle(redisNodeBundle(config, node)).sha256]);
        const deployValues = JSON.stringify(association.Properties.Parameters.deployValues);
        for (const key of ['authSecretArn', 'agentBundleUrl', ...network.vpc.privateSubnets.map((_, i) => `routeTableId${i}`)]) expect(deployValues).toContain(key);
      }
    }
    template.resourceCountIs('AWS::SSM::Document', 1);
    template.hasResourceProperties('AWS::SSM::Document', { DocumentType: 'Command' });
  });

  it('orders every pair: node a\'s instance waits for node b\'s bundle application, never the other way round', () => {
    const resources = template.toJSON().Resources as Record<string, { Type: string; DependsOn?: string[] }>;
    const id = (prefix: string) => Object.keys(resources).find((key) => key.startsWith(prefix))!;
    for (const shard of shards) {
      const a = resources[id(`Shard${shard.index}NodeAInstance`)]!;
      const b = resources[id(`Shard${shard.index}NodeBInstance`)]!;
      expect(a.DependsOn).toContain(id(`Shard${shard.index}NodeBApply`));
      expect((b.DependsOn ?? []).some((dep) => dep.startsWith(`Shard${shard.index}NodeA`))).toBe(false);
    }
  });
});

describe('relaunching one node role (config redis.relaunch)', () => {
  const withRelaunch = (relaunch: unknown) => build('production', { relaunch });

  it('unprotect: that role\'s nodes lose termination protection, the other role keeps it, nothing else changes', () => {
    const { template } = withRelaunch({ role: 'b', stage: 'unprotect' });
    const instances = Object.entries(template.findResources('AWS::EC2::Instance'));
    expect(instances).toHaveLength(8);
    for (const [id, instance] of instances) expect(instance.Properties.DisableApiTermination).toBe(!/NodeB/.test(id));
  });

  it('remove: that role\'s instances and associations are gone; ENIs, routes and the other role stay, without a dependency on the removed nodes', () => {
    const { template, config } = withRelaunch({ role: 'b', stage: 'remove' });
    const resources = template.toJSON().Resources as Record<string, { Type: string; DependsOn?: string[] }>;
    const ids = (type: string) => Object.keys(resources).filter((key) => resources[key]!.Type === type);
    expect(ids('AWS::EC2::Instance').every((id) => /NodeA/.test(id))).toBe(true);
    expect(ids('AWS::EC2::Instance')).toHaveLength(config.redis.shardCount);
    expect(ids('AWS::SSM::Association').every((id) => /NodeA/.test(id))).toBe(true);
    expect(ids('AWS::EC2::NetworkInterface')).toHaveLength(config.redis.shardCount * 2);
    expect(ids('AWS::EC2::Route')).toHaveLength(config.redis.shardCount * config.availabilityZones.length);
    for (const id of ids('AWS::EC2::Instance')) expect((resources[id]!.DependsOn ?? []).some((dep) => /NodeB/.test(dep))).toBe(false);
  });

  it('launch: that role comes back on relaunch.ami while the other role keeps redis.ami', () => {
    const ami = { id: 'ami-0fedcba9876543210', architecture: 'arm64', name: 'al2023-next' };
    const { template } = withRelaunch({ role: 'b', stage: 'launch', ami });
    for (const [id, instance] of Object.entries(template.findResources('AWS::EC2::Instance'))) {
      expect(instance.Properties.ImageId).toBe(/NodeB/.test(id) ? ami.id : environments.production!.redis.ami.id);
      expect(instance.Properties.DisableApiTermination).toBe(true);
    }
  });

  it('refuses a relaunch image of the wrong architecture in one line', () => {
    expect(() => withRelaunch({ role: 'a', stage: 'launch', ami: { id: 'ami-0fedcba9876543210', architecture: 'x86_64', name: 'x' } }))
      .toThrow(/^(config\/production\.ts: )?redis\.relaunch\.ami\.architecture: is x86_64 but r7g\.large is arm64; relaunch [^\n]*arm64 image[^\n]*$/);
  });

  it('refuses a role that is not a or b, in one line naming the field', () => {
    expect(() => withRelaunch({ role: 'ab', stage: 'remove' })).toThrow(/^config\/production\.ts: redis\.relaunch\.role: [^\n]+$/);
  });
});
