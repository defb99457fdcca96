import { describe, expect, it } from 'vitest';
import { classifyChanges, type Finding, type StackSet, type Template } from '../../scripts/impact/classify';
import { formatFinding } from '../../scripts/impact/format';
import { gateViolations } from '../../scripts/impact/gate';

/** Each rule of the classifier on the smallest templates that show it (realistic changes: impact-changes.test.ts). */

type Resources = NonNullable<Template['Resources']>;
const STACK = 'monsaas-test-part';
const stacks = (...entries: Array<[string, Template, boolean?]>): StackSet =>
  new Map(entries.map(([stackName, template, terminationProtection]) => [stackName, { stackName, template, terminationProtection }]));
const one = (resources: Resources, outputs?: Template['Outputs']): StackSet => stacks([STACK, { Resources: resources, ...(outputs ? { Outputs: outputs } : {}) }]);
const at = (path: string) => ({ 'aws:cdk:path': `${STACK}/${path}` });
const kinds = (findings: Finding[]) => findings.map((f) => `${f.kind} ${f.logicalId}`);
const withKind = (findings: Finding[], kind: Finding['kind']) => findings.filter((f) => f.kind === kind);

const instance = (props: Record<string, unknown>, path = 'Host/Resource') => ({ Type: 'AWS::EC2::Instance', Properties: { ImageId: 'ami-1', InstanceType: 't4g.small', ...props }, Metadata: at(path) });
const table = (props: Record<string, unknown>) => ({ Type: 'AWS::DynamoDB::Table', Properties: { KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], ...props } });
const gsi = (name: string, key = 'g') => ({ IndexName: name, KeySchema: [{ AttributeName: key, KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } });

describe('impact classification', () => {
  it('reports nothing for identical templates, and ignores metadata and CDK version reporting', () => {
    const base = one({ Host: instance({}) });
    expect(classifyChanges(base, base)).toEqual([]);
    expect(classifyChanges(base, one({ Host: { ...instance({}), Metadata: at('Moved/Resource') } }))).toEqual([]);
    const reporting = (analytics: string) => one({ Host: instance({}), CDKMetadata: { Type: 'AWS::CDK::Metadata', Properties: { Analytics: analytics } } });
    expect(classifyChanges(reporting('v2:deflate64:a'), reporting('v2:deflate64:b'))).toEqual([]);
  });

  it('classifies creation, update without interruption, deletion and retention', () => {
    const base = one({
      Kept: { Type: 'AWS::SNS::Topic', Properties: { DisplayName: 'a' } },
      Gone: { Type: 'AWS::SNS::Topic', Properties: {} },
      Retained: { Type: 'AWS::SNS::Topic', Properties: {}, DeletionPolicy: 'Retain' },
    });
    const current = one({ Kept: { Type: 'AWS::SNS::Topic', Properties: { DisplayName: 'b' } }, New: { Type: 'AWS::SNS::Topic', Properties: {} } });
    expect(kinds(classifyChanges(base, current))).toEqual(['destroyed Gone', 'orphaned Retained', 'updated Kept', 'created New']);
  });

  it('calls a stop-and-start EC2 property an interruption, not a possible replacement, and a new AMI a replacement', () => {
    const base = one({ Host: instance({}) });
    const [interrupted] = classifyChanges(base, one({ Host: instance({ UserData: 'new' }) }));
    expect(interrupted).toMatchObject({ kind: 'interrupted', properties: ['UserData'], stateful: false });
    expect(classifyChanges(base, one({ Host: instance({ InstanceType: 't4g.large' }) }))[0]!.kind).toBe('interrupted');
    expect(classifyChanges(base, one({ Host: instance({ Monitoring: true }) }))[0]!.kind).toBe('updated');
    expect(classifyChanges(base, one({ Host: instance({ ImageId: 'ami-2' }) }))[0]).toMatchObject({ kind: 'replaced', properties: ['ImageId'] });
  });

  it('flags replaced stateful resources and Redis nodes, and knows node and resolver roles from the construct path', () => {
    const base = one({
      Table: table({}),
      NodeA: instance({}, 'Shard3/NodeB/Instance/Resource'),
      Dns: instance({}, 'Resolvers/Resolver2/Resource'),
    });
    const current = one({
      Table: table({ KeySchema: [{ AttributeName: 'other', KeyType: 'HASH' }] }),
      NodeA: instance({ ImageId: 'ami-2' }, 'Shard3/NodeB/Instance/Resource'),
      Dns: instance({ ImageId: 'ami-2' }, 'Resolvers/Resolver2/Resource'),
    });
    const findings = classifyChanges(base, current);
    expect(findings.map((f) => [f.logicalId, f.kind, f.stateful, f.role])).toEqual([
      ['NodeA', 'replaced', true, { kind: 'redis-node', shard: 3, node: 'b' }],
      ['Table', 'replaced', true, undefined],
      ['Dns', 'replaced', false, { kind: 'resolver', index: 2 }],
    ]);
    expect(formatFinding(findings[0]!)).toBe(`REPLACED      ${STACK}  Shard3/NodeB/Instance/Resource (AWS::EC2::Instance, stateful, Redis shard 3 node b): is replaced (new physical resource) by ImageId`);
  });

  it('judges RDS modifications by what RDS does: class and engine restart it, retention days and storage do not', () => {
    const db = (props: Record<string, unknown>) => ({ Type: 'AWS::RDS::DBInstance', Properties: { Engine: 'postgres', EngineVersion: '16', DBInstanceClass: 'db.t4g.medium', BackupRetentionPeriod: 7, AllocatedStorage: '50', ...props } });
    const base = one({ Db: db({}) });
    expect(classifyChanges(base, one({ Db: db({ DBInstanceClass: 'db.r7g.large' }) }))[0]!.kind).toBe('interrupted');
    expect(classifyChanges(base, one({ Db: db({ BackupRetentionPeriod: 14, AllocatedStorage: '100' }) }))[0]!.kind).toBe('updated');
    expect(classifyChanges(base, one({ Db: db({ BackupRetentionPeriod: 0 }) }))[0]!.kind).toBe('interrupted');
    expect(classifyChanges(base, one({ Db: db({ DBSubnetGroupName: 'other' }) }))[0]).toMatchObject({ kind: 'replaced', stateful: true });
  });

  it('propagates a replacement to every Ref and GetAtt of it, marked deploy-time, through to interruptions', () => {
    const base = one({
      Secret: { Type: 'AWS::SecretsManager::Secret', Properties: { Description: 'a' } },
      Host: instance({ UserData: { 'Fn::Join': ['', ['secret=', { Ref: 'Secret' }]] } }),
      Topic: { Type: 'AWS::SNS::Topic', Properties: { DisplayName: { 'Fn::GetAtt': ['Secret', 'Id'] } } },
    });
    const current = structuredClone(base);
    // A new name replaces a secret; nothing else in the template changes.
    current.get(STACK)!.template.Resources!.Secret!.Properties = { Description: 'a', Name: 'renamed' };
    const findings = classifyChanges(base, current);
    expect(findings.find((f) => f.logicalId === 'Secret')).toMatchObject({ kind: 'replaced', deployTime: false });
    expect(findings.find((f) => f.logicalId === 'Host')).toMatchObject({ kind: 'interrupted', deployTime: true, properties: ['UserData'] });
    expect(findings.find((f) => f.logicalId === 'Host')!.reason).toContain('at deploy time: Secret is replaced');
    expect(findings.find((f) => f.logicalId === 'Topic')).toMatchObject({ kind: 'updated', deployTime: true });
  });

  it('sees a new launch template version reach the instances that name LatestVersionNumber', () => {
    const lt = (tokens: string) => ({ Type: 'AWS::EC2::LaunchTemplate', Properties: { LaunchTemplateData: { MetadataOptions: { HttpTokens: tokens } } } });
    const host = instance({ LaunchTemplate: { LaunchTemplateId: { Ref: 'Lt' }, Version: { 'Fn::GetAtt': ['Lt', 'LatestVersionNumber'] } } });
    const findings = classifyChanges(one({ Lt: lt('optional'), Host: host }), one({ Lt: lt('required'), Host: host }));
    expect(kinds(findings)).toEqual(['replaced Host', 'updated Lt']);
    expect(findings[0]).toMatchObject({ deployTime: true, properties: ['LaunchTemplate'] });
  });

  it('follows Fn::GetStackOutput of this app into the stacks that read a changed output', () => {
    const producer = (cidr: string): Template => ({
      Resources: { Subnet: { Type: 'AWS::EC2::Subnet', Properties: { VpcId: 'vpc-1', CidrBlock: cidr } } },
      Outputs: { SubnetOut: { Value: { Ref: 'Subnet' } } },
    });
    const consumer: Template = { Resources: { Group: { Type: 'AWS::RDS::DBSubnetGroup', Properties: { DBSubnetGroupDescription: 'd', SubnetIds: [{ 'Fn::GetStackOutput': { StackName: 'monsaas-test-network', OutputName: 'SubnetOut' } }] } } } };
    const findings = classifyChanges(
      stacks(['monsaas-test-network', producer('10.0.1.0/24')], ['monsaas-test-data', consumer]),
      stacks(['monsaas-test-network', producer('10.0.2.0/24')], ['monsaas-test-data', structuredClone(consumer)]),
    );
    expect(findings.find((f) => f.stack === 'monsaas-test-data')).toMatchObject({ kind: 'updated', logicalId: 'Group', deployTime: true });
    expect(findings.find((f) => f.stack === 'monsaas-test-data')!.reason).toContain('output SubnetOut of monsaas-test-network changes');
  });

  describe('what CloudFormation cannot execute', () => {
    const refusals = (base: StackSet, current: StackSet) => withKind(classifyChanges(base, current), 'unexecutable').map((f) => f.reason);

    it('a replacement that keeps a custom name', () => {
      const base = one({ T: table({ TableName: 'series' }) });
      expect(refusals(base, one({ T: table({ TableName: 'series', KeySchema: [{ AttributeName: 'x', KeyType: 'HASH' }] }) }))[0]).toMatch(/keeps its custom name TableName="series"/);
      expect(refusals(base, one({ T: table({ TableName: 'series-v2', KeySchema: [{ AttributeName: 'x', KeyType: 'HASH' }] }) }))).toEqual([]);
    });

    it('a replacement that keeps a fixed private IP or a fixed primary network interface', () => {
      const base = one({ Host: instance({ PrivateIpAddress: '10.0.0.5', SubnetId: 's-1' }) });
      expect(refusals(base, one({ Host: instance({ PrivateIpAddress: '10.0.0.5', SubnetId: 's-1', ImageId: 'ami-2' }) }))[0]).toMatch(/fixed private IP 10\.0\.0\.5/);
      const eni = { Eni: { Type: 'AWS::EC2::NetworkInterface', Properties: { SubnetId: 's-1' } } };
      const node = (image: string) => instance({ ImageId: image, NetworkInterfaces: [{ DeviceIndex: '0', NetworkInterfaceId: { Ref: 'Eni' } }] });
      expect(refusals(one({ ...eni, Host: node('ami-1') }), one({ ...eni, Host: node('ami-2') }))[0]).toMatch(/primary network interface/);
    });

    it('deleting or replacing a termination- or deletion-protected resource', () => {
      const base = one({ Host: instance({ DisableApiTermination: true }), Db: { Type: 'AWS::RDS::DBInstance', Properties: { DeletionProtection: true, Engine: 'postgres' } } });
      const current = one({ Host: instance({ DisableApiTermination: true, ImageId: 'ami-2' }) });
      const reasons = refusals(base, current);
      expect(reasons).toHaveLength(2);
      expect(reasons.join('\n')).toMatch(/is deleted while DeletionProtection is on/);
      expect(reasons.join('\n')).toMatch(/is replaced \(the old one deleted\) while DisableApiTermination is on/);
    });

    it('removing a termination-protected stack', () => {
      const base = stacks([STACK, { Resources: { T: { Type: 'AWS::SNS::Topic', Properties: {} } } }, true], ['monsaas-test-other', { Resources: {} }]);
      const findings = classifyChanges(base, stacks(['monsaas-test-other', { Resources: {} }]));
      expect(kinds(findings)).toEqual(['unexecutable (stack)', 'destroyed T']);
    });

    it('resharding a Kinesis stream beyond x2 or /2 in one step', () => {
      const stream = (shards: number) => one({ S: { Type: 'AWS::Kinesis::Stream', Properties: { ShardCount: shards } } });
      expect(refusals(stream(4), stream(8))).toEqual([]);
      expect(refusals(stream(4), stream(2))).toEqual([]);
      expect(refusals(stream(4), stream(9))[0]).toBe('ShardCount 4 -> 9: UpdateShardCount allows at most doubling or halving per update; deploy 4 -> 8 first');
      expect(refusals(stream(8), stream(3))[0]).toMatch(/deploy 8 -> 4 first/);
    });

    it('more than one global secondary index change in one update', () => {
      const base = one({ T: table({ GlobalSecondaryIndexes: [gsi('a')] }) });
      expect(refusals(base, one({ T: table({ GlobalSecondaryIndexes: [gsi('a'), gsi('b')] }) }))).toEqual([]);
      expect(refusals(base, one({ T: table({ GlobalSecondaryIndexes: [gsi('a'), gsi('b'), gsi('c')] }) }))[0]).toMatch(/^2 global secondary index changes in one update \(\+b, \+c\)/);
      expect(refusals(base, one({ T: table({ GlobalSecondaryIndexes: [gsi('a', 'other')] }) }))[0]).toMatch(/~a \(delete and create\)/);
    });

    it('a PostgreSQL major upgrade without AllowMajorVersionUpgrade, with a parameter group of the old family, or a downgrade', () => {
      const db = (version: string, extra: Record<string, unknown> = {}, family = 'postgres16') => one({
        Params: { Type: 'AWS::RDS::DBParameterGroup', Properties: { Family: family, Description: 'p', Parameters: {} } },
        Db: { Type: 'AWS::RDS::DBInstance', Properties: { Engine: 'postgres', EngineVersion: version, DBParameterGroupName: { Ref: 'Params' }, ...extra } },
      });
      expect(refusals(db('16'), db('16.4'))).toEqual([]);
      expect(refusals(db('16'), db('17'))[0]).toMatch(/major 16 -> 17 without AllowMajorVersionUpgrade/);
      expect(refusals(db('16'), db('17', { AllowMajorVersionUpgrade: true }))[0]).toMatch(/parameter group Params of family postgres16/);
      expect(refusals(db('16'), db('17', { AllowMajorVersionUpgrade: true }, 'postgres17'))).toEqual([]);
      expect(refusals(db('17', {}, 'postgres17'), db('16'))[0]).toMatch(/cannot downgrade/);
    });

    it('a database subnet group that keeps none of the subnets its database runs in', () => {
      const group = (...ids: string[]) => ({ Type: 'AWS::RDS::DBSubnetGroup', Properties: { DBSubnetGroupDescription: 'd', SubnetIds: ids.map((id) => ({ Ref: id })) } });
      const db = { Type: 'AWS::RDS::DBInstance', Properties: { Engine: 'postgres', DBSubnetGroupName: { Ref: 'Group' } } };
      const subnets = { A: { Type: 'AWS::EC2::Subnet', Properties: { VpcId: 'v', CidrBlock: '10.0.0.0/24' } }, B: { Type: 'AWS::EC2::Subnet', Properties: { VpcId: 'v', CidrBlock: '10.0.1.0/24' } }, C: { Type: 'AWS::EC2::Subnet', Properties: { VpcId: 'v', CidrBlock: '10.0.2.0/24' } } };
      const base = one({ ...subnets, Db: db, Group: group('A', 'B') });
      expect(refusals(base, one({ ...subnets, Db: db, Group: group('A', 'B', 'C') }))).toEqual([]);
      expect(refusals(base, one({ ...subnets, Db: db, Group: group('C') }))[0]).toMatch(/^keeps none of its subnets while Db runs in one of them/);
      // Replaced subnets count as gone (deploy-time): the old allocator's third AZ did exactly this.
      const moved = { ...subnets, A: { ...subnets.A, Properties: { VpcId: 'v', CidrBlock: '10.0.8.0/24' } }, B: { ...subnets.B, Properties: { VpcId: 'v', CidrBlock: '10.0.9.0/24' } } };
      expect(refusals(base, one({ ...moved, Db: db, Group: group('A', 'B') }))).toEqual([expect.stringMatching(/^keeps none of its subnets while Db runs/)]);
    });

    it('a new subnet overlapping a subnet that still exists', () => {
      const subnet = (cidr: string) => ({ Type: 'AWS::EC2::Subnet', Properties: { VpcId: { Ref: 'Vpc' }, CidrBlock: cidr } });
      const base = one({ A: subnet('10.0.16.0/20'), B: subnet('10.0.32.0/24') });
      expect(refusals(base, one({ A: subnet('10.0.16.0/20'), B: subnet('10.0.32.0/24'), C: subnet('10.0.33.0/24') }))).toEqual([]);
      // CDK's old allocator on a new AZ: the next private /20 lands on the data /24s.
      const shifted = refusals(base, one({ A: subnet('10.0.16.0/20'), B: subnet('10.0.48.0/24'), C: subnet('10.0.32.0/20') }));
      expect(shifted).toEqual([expect.stringMatching(/^new subnet 10\.0\.32\.0\/20 overlaps B 10\.0\.32\.0\/24, which still exist/)]);
    });
  });

  describe('the production deploy gate', () => {
    const node = (shard: number, n: string, image = 'ami-1') => instance({ UserData: image }, `Shard${shard}/Node${n}/Instance/Resource`);
    const resolver = (i: number, data = 'a') => instance({ UserData: data }, `Resolvers/Resolver${i}/Resource`);

    it('passes one node per pair and one resolver per deploy', () => {
      const base = one({ A0: node(0, 'A'), B0: node(0, 'B'), A1: node(1, 'A'), R1: resolver(1), R2: resolver(2) });
      const current = one({ A0: node(0, 'A', 'x'), B0: node(0, 'B'), A1: node(1, 'A', 'x'), R1: resolver(1, 'b'), R2: resolver(2) });
      expect(gateViolations(classifyChanges(base, current))).toEqual([]);
    });

    it('refuses both nodes of one pair, two resolvers, a stateful replacement and anything unexecutable', () => {
      const base = one({ A0: node(0, 'A'), B0: node(0, 'B'), R1: resolver(1), R2: resolver(2), T: table({ TableName: 'series' }) });
      const current = one({ A0: node(0, 'A', 'x'), B0: node(0, 'B', 'x'), R1: resolver(1, 'b'), R2: resolver(2, 'b'), T: table({ TableName: 'series', KeySchema: [{ AttributeName: 'x', KeyType: 'HASH' }] }) });
      expect(gateViolations(classifyChanges(base, current))).toEqual([
        expect.stringMatching(/^unexecutable: monsaas-test-part T: is replaced but keeps its custom name/),
        'stateful replaced: monsaas-test-part T (AWS::DynamoDB::Table)',
        'both nodes of Redis monsaas-test-part shard 0 (a, b) go down in one deploy',
        '2 resolvers of monsaas-test-part (1, 2) go down in one deploy',
      ]);
    });
  });
});
