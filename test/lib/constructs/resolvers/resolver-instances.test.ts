import { gunzipSync } from 'node:zlib';
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { environments } from '../../../../config';
import { ConfigError, validateEnvConfig } from '../../../../lib/config-schema/load';
import type { EnvConfigInput } from '../../../../lib/config-schema/schema';
import { renderHostBundle } from '../../../../lib/host-config/bundle';
import { resolverBundle, resolverCloudConfig } from '../../../../lib/host-config/unbound';
import { ENVIRONMENTS, buildTestPlatform, defaultPlatform, template } from '../../../support/platform';

/** Template JSON is untyped; the assertions below say what they expect of it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;
type Resources = Record<string, { Type: string; Properties: Record<string, Json>; DependsOn?: string[] }>;

describe.each(ENVIRONMENTS)('%s DNS stack', (env) => {
  const config = validateEnvConfig(`${env}.ts`, environments[env]);
  const n = config.resolvers.count;
  const dns = () => template(env, 'dns');
  const resources = (type: string) => Object.entries(dns().findResources(type) as Resources);

  it('runs one small ARM resolver per configured address, in its AZ\'s private subnet, at that address', () => {
    const instances = resources('AWS::EC2::Instance');
    expect(instances).toHaveLength(n);
    instances.forEach(([, instance], index) => {
      expect(instance.Properties).toMatchObject({
        PrivateIpAddress: config.resolvers.addresses[index],
        InstanceType: config.resolvers.instanceType,
        Monitoring: true,
        DisableApiTermination: config.terminationProtection,
        BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { Encrypted: true, VolumeType: 'gp3', DeleteOnTermination: true, VolumeSize: 8 } }],
      });
      // The rendered cloud-config (packages and resolv.conf only), gzipped (cloud-init inflates it).
      expect(gunzipSync(Buffer.from(instance.Properties.UserData, 'base64')).toString('utf8')).toBe(resolverCloudConfig(config, index));
      // A cross-stack reference to the network stack's private subnet of this AZ.
      expect(JSON.stringify(instance.Properties.SubnetId)).toContain(`privateSubnet${index + 1}Subnet`);
      expect(instance.Properties.InstanceType).toMatch(/g\./); // Graviton
      // No SSH key, AMI and AZ come from the launch template and the subnet.
      expect(instance.Properties).not.toHaveProperty('KeyName');
      expect(instance.Properties).not.toHaveProperty('ImageId');
      expect(instance.Properties).not.toHaveProperty('AvailabilityZone');
      expect(instance.Properties.Tags).toEqual(expect.arrayContaining([{ Key: 'role', Value: 'resolver' }, { Key: 'Name', Value: `${env}-resolver-${index + 1}` }]));
    });
  });

  it('protects production resolvers from termination', () => {
    expect(resources('AWS::EC2::Instance').every(([, i]) => i.Properties.DisableApiTermination === (env === 'production'))).toBe(true);
  });

  it('launches from templates requiring IMDSv2 and resolving the AMI at launch', () => {
    const templates = resources('AWS::EC2::LaunchTemplate');
    expect(templates).toHaveLength(n);
    for (const [, t] of templates) {
      expect(t.Properties.LaunchTemplateData).toEqual({
        ImageId: 'resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64',
        MetadataOptions: { HttpTokens: 'required', HttpPutResponseHopLimit: 1, HttpEndpoint: 'enabled' },
      });
    }
    resources('AWS::EC2::Instance').forEach(([, instance]) => {
      const ref = instance.Properties.LaunchTemplate.LaunchTemplateId.Ref as string;
      expect(templates.map(([id]) => id)).toContain(ref);
      expect(instance.Properties.LaunchTemplate.Version).toEqual({ 'Fn::GetAtt': [ref, 'LatestVersionNumber'] });
    });
  });

  it('rolls resolvers one at a time: resolver i+1 waits for resolver i\'s bundle application, which waits until it answers', () => {
    const ids = resources('AWS::EC2::Instance').map(([id]) => id);
    const applications = resources('AWS::SSM::Association');
    expect(applications).toHaveLength(n);
    const applicationOf = (instanceId: string) => applications.find(([, a]) => a.Properties.Targets[0].Values[0].Ref === instanceId)!;
    ids.forEach((id, i) => {
      const [applicationId, application] = applicationOf(id);
      expect(application.Properties).toMatchObject({
        Targets: [{ Key: 'InstanceIds', Values: [{ Ref: id }] }],
        WaitForSuccessTimeoutSeconds: 1800,
        Parameters: { bundleSha256: [renderHostBundle(resolverBundle(config, i)).sha256] },
      });
      const next = ids[i + 1];
      if (next) expect(dns().toJSON().Resources[next].DependsOn).toContain(applicationId);
    });
    // The first resolver waits for nothing of the others (only for its role's policies).
    expect((dns().toJSON().Resources[ids[0]!].DependsOn ?? []).filter((dep: string) => /Resolver\d/.test(dep))).toEqual([]);
  });

  it('grants each resolver\'s role exactly its bundle objects', () => {
    const objects = resources('AWS::IAM::Policy').flatMap(([, p]) => p.Properties.PolicyDocument.Statement)
      .filter((st: Json) => st.Action === 's3:GetObject').flatMap((st: Json) => [st.Resource].flat());
    expect(objects).toHaveLength(n);
    for (const arn of objects) expect(arn).toMatch(/^arn:aws:s3:::cdk-[a-z0-9]+-assets-\d+-[a-z0-9-]+\/[0-9a-f]{64}\.json$/);
  });

  it('gives the resolvers SSM management and metrics in their own namespace only', () => {
    dns().hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'ec2.amazonaws.com' } })] },
      ManagedPolicyArns: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/AmazonSSMManagedInstanceCore']] }],
    });
    const statements = resources('AWS::IAM::Policy').flatMap(([, p]) => p.Properties.PolicyDocument.Statement);
    expect(statements.filter((st: Json) => st.Action !== 's3:GetObject')).toHaveLength(3);
    expect(statements).toEqual(expect.arrayContaining([
      { Action: 'cloudwatch:PutMetricData', Effect: 'Allow', Resource: '*', Condition: { StringEquals: { 'cloudwatch:namespace': 'MonSaaS/Resolvers' } } },
      // Host metrics (process counts, TCP counters, inter-AZ bytes): their own namespace and log group only.
      { Sid: 'HostMetricsNamespace', Action: 'cloudwatch:PutMetricData', Effect: 'Allow', Resource: '*', Condition: { StringEquals: { 'cloudwatch:namespace': 'MonSaaS/Hosts' } } },
      expect.objectContaining({ Sid: 'HostMetricsLogs', Action: ['logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents'] }),
    ]));
  });

  it('recovers a resolver whose host fails and reboots one whose OS hangs', () => {
    const alarms = resources('AWS::CloudWatch::Alarm').map(([, a]) => a.Properties);
    resources('AWS::EC2::Instance').forEach(([id]) => {
      const of = (metric: string) => alarms.filter((a) => a.MetricName === metric && a.Dimensions?.[0]?.Value?.Ref === id);
      const [recover] = of('StatusCheckFailed_System');
      expect(of('StatusCheckFailed_System')).toHaveLength(1);
      expect(recover).toMatchObject({ Namespace: 'AWS/EC2', Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold', Statistic: 'Maximum' });
      expect(recover.AlarmActions).toHaveLength(1);
      expect(JSON.stringify(recover.AlarmActions)).toContain(`:automate:${config.region}:ec2:recover`);
      const [reboot] = of('StatusCheckFailed_Instance');
      expect(of('StatusCheckFailed_Instance')).toHaveLength(1);
      expect(reboot.AlarmActions).toHaveLength(1);
      expect(JSON.stringify(reboot.AlarmActions)).toContain(`:automate:${config.region}:ec2:reboot`);
    });
  });

  it('points the VPC at the resolvers, then AmazonProvidedDNS, once they exist', () => {
    dns().resourceCountIs('AWS::EC2::DHCPOptions', 1);
    dns().hasResourceProperties('AWS::EC2::DHCPOptions', {
      DomainName: `${config.region}.compute.internal`,
      DomainNameServers: [...config.resolvers.addresses, 'AmazonProvidedDNS'],
    });
    const [[, association]] = resources('AWS::EC2::VPCDHCPOptionsAssociation') as [[string, Resources[string]]];
    expect(association.Properties.DhcpOptionsId).toEqual({ Ref: resources('AWS::EC2::DHCPOptions')[0]![0] });
    expect(JSON.stringify(association.Properties.VpcId)).toMatch(/NetworkVpc[0-9A-F]{8}/);
    expect(association.DependsOn).toEqual(expect.arrayContaining(resources('AWS::EC2::Instance').map(([id]) => id)));
  });

  it('alarms on a high SERVFAIL ratio per resolver and for the fleet, and on missing statistics', () => {
    const alarms = resources('AWS::CloudWatch::Alarm').map(([, a]) => a.Properties);
    const ratio = alarms.filter((a) => a.Metrics?.some((m: { Expression?: string }) => m.Expression?.includes('servfail')));
    expect(ratio).toHaveLength(n + 1);
    for (const alarm of ratio) {
      expect(alarm).toMatchObject({
        Threshold: config.resolvers.servfailAlarmPercent, ComparisonOperator: 'GreaterThanThreshold',
        EvaluationPeriods: 5, DatapointsToAlarm: 3, TreatMissingData: 'notBreaching',
      });
      const expression = alarm.Metrics.find((m: { Expression?: string }) => m.Expression);
      expect(expression.Expression).toBe(`IF(queries >= ${config.resolvers.servfailAlarmMinQueries}, 100 * servfail / queries, 0)`);
      const inputs = alarm.Metrics.filter((m: { MetricStat?: unknown }) => m.MetricStat);
      expect(inputs.map((m: Json) => [m.Id, m.MetricStat.Metric.Namespace, m.MetricStat.Metric.MetricName, m.MetricStat.Stat, m.ReturnData]).sort()).toEqual([
        ['queries', 'MonSaaS/Resolvers', 'Queries', 'Sum', false],
        ['servfail', 'MonSaaS/Resolvers', 'ServfailAnswers', 'Sum', false],
      ]);
    }
    const dimensionSets = ratio.map((a) => a.Metrics.find((m: Json) => m.Id === 'queries').MetricStat.Metric.Dimensions);
    expect(dimensionSets).toEqual(expect.arrayContaining([
      [{ Name: 'Environment', Value: env }],
      ...config.resolvers.addresses.map((_, i) => [{ Name: 'Environment', Value: env }, { Name: 'Resolver', Value: `resolver-${i + 1}` }]),
    ]));
    const missing = alarms.filter((a) => a.Namespace === 'MonSaaS/Resolvers' && a.MetricName === 'Queries');
    expect(missing).toHaveLength(n);
    for (const alarm of missing) {
      expect(alarm).toMatchObject({ Statistic: 'SampleCount', Threshold: 1, ComparisonOperator: 'LessThanThreshold', TreatMissingData: 'breaching' });
    }
  });

  it('exposes every alarm for the monitoring stack', () => {
    const stack = defaultPlatform().env(env).dns;
    expect(stack.alarms).toHaveLength((n + 1) + n + 2 * n);
    expect(new Set(stack.alarms.map((a) => a.node.path)).size).toBe(stack.alarms.length);
  });

  it('lets DNS in from the VPC only, over UDP and TCP 53', () => {
    const network = template(env, 'network');
    const groups = Object.values(network.findResources('AWS::EC2::SecurityGroup', { Properties: { GroupDescription: 'Unbound caching resolvers' } })) as Array<Resources[string]>;
    expect(groups).toHaveLength(1);
    expect(groups[0]!.Properties.SecurityGroupIngress).toEqual([
      { CidrIp: config.network.vpcCidr, IpProtocol: 'udp', FromPort: 53, ToPort: 53, Description: 'DNS (UDP) from hosts in the VPC' },
      { CidrIp: config.network.vpcCidr, IpProtocol: 'tcp', FromPort: 53, ToPort: 53, Description: 'DNS (TCP) from hosts in the VPC' },
    ]);
    expect(Object.keys(network.findResources('AWS::EC2::SecurityGroupIngress', {
      Properties: { GroupId: { 'Fn::GetAtt': [Object.keys(network.findResources('AWS::EC2::SecurityGroup', { Properties: { GroupDescription: 'Unbound caching resolvers' } }))[0], 'GroupId'] } },
    }))).toEqual([]);
  });
});

describe('resolver addresses checked against the subnets at synth', () => {
  const build = (addresses: string[]) => {
    const staging = structuredClone(environments.staging!) as EnvConfigInput;
    staging.resolvers.addresses = addresses;
    return () => buildTestPlatform({ env: 'staging' }, { environments: { staging } });
  };

  it('rejects an address in the VPC but outside the AZ\'s private subnet', () => {
    expect(build(['10.20.0.53', '10.20.32.53'])).toThrow(ConfigError);
    expect(build(['10.20.0.53', '10.20.32.53'])).toThrow(/^config\/staging\.ts: resolvers\.addresses\[0\]: 10\.20\.0\.53 is outside the private subnet 10\.20\.16\.0\/20 of ap-northeast-1a; pick one between 10\.20\.16\.4 and 10\.20\.31\.254$/);
  });

  it('rejects the addresses AWS reserves in a subnet', () => {
    expect(build(['10.20.16.53', '10.20.32.2'])).toThrow(/^config\/staging\.ts: resolvers\.addresses\[1\]: 10\.20\.32\.2 is reserved by AWS in the private subnet 10\.20\.32\.0\/20 of ap-northeast-1c/);
  });
});
