import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { EnvConfigInput } from '../../lib/config-schema/schema';
import { classifyChanges, type Finding, type StackSet, type Template } from '../../scripts/impact/classify';
import { impactOf, significant, synthStacks, withTemplate } from './impact-fixtures';

/**
 * Routine changes an operator makes, each synthesized against the unchanged platform and classified
 * by the impact tool: what it replaces, interrupts or cannot execute, and whether the production
 * gate refuses it. One base synthesis per environment; bundling skipped (code changes are applied as
 * the new asset hashes they produce). docs/change-safety.md has the same table in prose.
 */

const nodes = (shards: number) => Array.from({ length: shards }, (_, s) => ['A', 'B'].map((n) => `redis Shard${s}/Node${n}/Instance (stateful)`)).flat();
const pairsDown = (shards: number) => Array.from({ length: shards }, (_, s) => `both nodes of Redis monsaas-production-redis shard ${s} (a, b) go down in one deploy`);
const resolvers = (count: number) => Array.from({ length: count }, (_, i) => `dns Resolvers/Resolver${i + 1}`);
const PRODUCTION_SHARDS = 4;

/** A different 64-hex asset hash, as a new build of the same asset produces. */
const rehash = (hash: string) => createHash('sha256').update(`${hash}:next`).digest('hex');
const ASSET_HASH = /[0-9a-f]{64}/g;

function rewrite(template: Template, edit: (json: string) => string): void {
  const next = JSON.parse(edit(JSON.stringify(template))) as Template;
  for (const key of Object.keys(template)) delete template[key];
  Object.assign(template, next);
}

function resourceOfType(template: Template, type: string, pathPart: string): Record<string, unknown> {
  const found = Object.values(template.Resources ?? {}).find((r) => r.Type === type && String(r.Metadata?.['aws:cdk:path']).includes(pathPart));
  if (!found) throw new Error(`no ${type} at ${pathPart}`);
  return found.Properties!;
}

describe('impact of routine production changes', () => {
  let base: StackSet;
  beforeAll(() => { base = synthStacks('production'); });
  const afterConfig = (mutate: (c: EnvConfigInput) => void) => impactOf(base, synthStacks('production', mutate));
  const afterTemplate = (part: string, change: (t: Template) => void) => impactOf(base, withTemplate(base, part, 'production', change));

  it('a synthesis of the same commit: no finding at all', () => {
    expect(afterConfig(() => {}).findings).toEqual([]);
  });

  it('another alarm e-mail: only new subscriptions', () => {
    const { findings, violations } = afterConfig((c) => { c.alarms.emails = [...(c.alarms.emails ?? []), 'dba@monsaas.example.com']; });
    expect(findings.map((f) => `${f.kind} ${f.resourceType}`)).toEqual(['created AWS::SNS::Subscription', 'created AWS::SNS::Subscription']);
    expect(violations).toEqual([]);
  });

  it('one more API task: one API resource updated in place (the desired count)', () => {
    const { findings, violations } = afterConfig((c) => { c.services.api.desiredCount = 4; });
    expect(findings.map((f) => [f.kind, f.path?.split('/')[0], f.properties])).toEqual([['updated', 'Api', ['DesiredCount']]]);
    expect(violations).toEqual([]);
  });

  it('bigger API tasks: a new task definition (ECS rolls the tasks), nothing stateful', () => {
    const { findings, violations } = afterConfig((c) => { c.services.api.cpu = 2048; c.services.api.memoryMiB = 4096; });
    expect(significant(findings, 'production')).toEqual(['replaced app Api/Task']);
    expect(violations).toEqual([]);
  });

  it('a new image tag: new task definitions for the services and the billing job', () => {
    const { findings, violations } = afterConfig((c) => { c.services.imageTag = 'v2026.12.02'; });
    expect(significant(findings, 'production')).toEqual(['replaced app Api/Task', 'replaced app Web/Task', 'replaced batch Billing/TaskDefinition']);
    expect(violations).toEqual([]);
  });

  it('a bigger database class: the instance is interrupted (a Multi-AZ failover), which the gate accepts', () => {
    const { findings, violations } = afterConfig((c) => { c.database.instanceType = 'r7g.xlarge'; });
    expect(significant(findings, 'production')).toEqual(['interrupted data Database/Instance (stateful)']);
    expect(violations).toEqual([]);
  });

  it('more database storage and backup days: in place', () => {
    const { findings } = afterConfig((c) => { c.database.allocatedStorageGiB = 300; c.database.backupRetentionDays = 21; });
    expect(significant(findings, 'production')).toEqual([]);
    expect(findings.map((f) => f.path)).toContain('Database/Instance/Resource');
  });

  describe('a PostgreSQL major upgrade (16 -> 17)', () => {
    let on16: StackSet;
    let on17: StackSet;
    beforeAll(() => {
      on16 = synthStacks('production', (c) => { c.database.postgresMajorVersion = '16'; });
      on17 = synthStacks('production', (c) => { c.database.postgresMajorVersion = '17'; });
    });

    it('upgrades in place: a parameter group of the new family, the instance interrupted, nothing unexecutable', () => {
      const { findings, violations } = impactOf(on16, on17);
      expect(significant(findings, 'production')).toEqual(['interrupted data Database/Instance (stateful)', 'replaced data Database/Parameters']);
      expect(violations).toEqual([]);
    });

    it('before the fix (no AllowMajorVersionUpgrade) it was unexecutable', () => {
      const without = (stacks: StackSet) => withTemplate(stacks, 'data', 'production', (t) => {
        delete resourceOfType(t, 'AWS::RDS::DBInstance', 'Database/Instance').AllowMajorVersionUpgrade;
      });
      const { violations } = impactOf(without(on16), without(on17));
      expect(violations).toEqual([expect.stringMatching(/^unexecutable: monsaas-production-data DatabaseInstance\w+: EngineVersion major 16 -> 17 without AllowMajorVersionUpgrade/)]);
    });
  });

  it('Kinesis 8 -> 16 shards: in place', () => {
    const { findings, violations } = afterConfig((c) => { c.tsdb.stream = { ...c.tsdb.stream, mode: 'PROVISIONED', shardCount: 16 }; });
    expect(findings.map((f) => `${f.kind} ${f.path}`)).toEqual(['updated Tsdb/MetricsStream/Resource']);
    expect(violations).toEqual([]);
  });

  it('Kinesis 8 -> 20 shards: unexecutable in one step, refused', () => {
    const { findings, violations } = afterConfig((c) => { c.tsdb.stream = { ...c.tsdb.stream, mode: 'PROVISIONED', shardCount: 20 }; });
    expect(significant(findings, 'production')).toEqual(['unexecutable data Tsdb/MetricsStream (stateful)']);
    expect(violations).toEqual(['unexecutable: monsaas-production-data TsdbMetricsStream97E22669: ShardCount 8 -> 20: UpdateShardCount allows at most doubling or halving per update; deploy 8 -> 16 first']);
  });

  it('the series table to provisioned capacity: in place', () => {
    const { findings, violations } = afterConfig((c) => {
      c.tsdb.table = { billing: 'PROVISIONED', readCapacity: { min: 5, max: 500, targetUtilizationPercent: 70 }, writeCapacity: { min: 100, max: 5000, targetUtilizationPercent: 70 } };
    });
    expect(findings.map((f) => `${f.kind} ${f.path}`)).toEqual(['updated Tsdb/SeriesTable/Resource']);
    expect(violations).toEqual([]);
  });

  it('writer memory and batch size: the function and its event source mapping in place', () => {
    const { findings } = afterConfig((c) => { c.tsdb.writer.memoryMiB = 2048; c.tsdb.writer.batchSize = 2000; });
    expect(findings.map((f) => `${f.kind} ${f.resourceType}`).sort()).toEqual(['updated AWS::Lambda::EventSourceMapping', 'updated AWS::Lambda::Function']);
  });

  it('a bigger Redis instance type: every node stopped, both of each pair, refused', () => {
    const { findings, violations } = afterConfig((c) => { c.redis.instanceType = 'r7g.xlarge'; });
    expect(significant(findings, 'production')).toEqual(nodes(PRODUCTION_SHARDS).map((n) => `interrupted ${n}`));
    expect(violations).toEqual(pairsDown(PRODUCTION_SHARDS));
  });

  // Host files reach running hosts through each host's apply association (issue 18), not user data.
  const applied = (findings: Finding[], part: string) => findings.filter((f) => f.stack.endsWith(`-${part}`) && f.resourceType === 'AWS::SSM::Association').map((f) => `${f.kind} ${f.path}`);

  it('a Redis setting (maxmemory, a host file): applied to the running nodes, none stopped', () => {
    const { findings, violations } = afterConfig((c) => { c.redis.maxmemoryPercent = 75; });
    expect(significant(findings, 'production')).toEqual([]);
    expect(applied(findings, 'redis')).toEqual(nodes(PRODUCTION_SHARDS).map((n) => `updated ${n.replace(/^redis /, '').replace('/Instance (stateful)', '/Apply/Association')}`));
    expect(violations).toEqual([]);
  });

  it('an unbound setting (negative-cache cap, a host file): applied to the running resolvers, none stopped', () => {
    const { findings, violations } = afterConfig((c) => { c.resolvers.cacheMaxNegativeTtlS = 10; });
    expect(significant(findings, 'production')).toEqual([]);
    expect(applied(findings, 'dns')).toHaveLength(3);
    expect(violations).toEqual([]);
  });

  it('a bigger resolver instance type: every resolver stopped in one deploy, refused', () => {
    const { findings, violations } = afterConfig((c) => { c.resolvers.instanceType = 't4g.medium'; });
    expect(significant(findings, 'production')).toEqual(resolvers(3).map((r) => `interrupted ${r}`));
    expect(violations).toEqual(['3 resolvers of monsaas-production-dns (1, 2, 3) go down in one deploy']);
  });

  it('one interface endpoint fewer: the endpoint is deleted, nothing stateful', () => {
    const { findings, violations } = afterConfig((c) => { c.network.interfaceEndpoints = c.network.interfaceEndpoints.filter((e) => e !== 'xray'); });
    expect(significant(findings, 'production')).toEqual(['destroyed network InterfaceEndpoints/xray']);
    expect(violations).toEqual([]);
  });

  it('longer log retention: log groups updated in place', () => {
    const { findings, violations } = afterConfig((c) => { c.network.flowLogRetentionDays = 180; c.logRetentionDays = 180; });
    expect(findings.length).toBeGreaterThan(1);
    expect(findings.every((f) => f.kind === 'updated' && f.resourceType === 'AWS::Logs::LogGroup')).toBe(true);
    expect(violations).toEqual([]);
  });

  it('a batch job at another hour: its schedule in place', () => {
    const { findings } = afterConfig((c) => { c.batch.retention.schedule = '30 4 * * ? *'; });
    expect(findings.map((f) => `${f.kind} ${f.resourceType}`)).toEqual(['updated AWS::Scheduler::Schedule']);
  });

  it('one more Redis shard: a new pair and its routes, the services told of its VIP, nothing existing stopped', () => {
    const { findings, violations } = afterConfig((c) => { c.redis.shardCount = 5; });
    expect(significant(findings, 'production')).toEqual(['replaced app Api/Task']);
    expect(findings.filter((f) => f.kind === 'created' && f.role?.kind === 'redis-node').map((f) => f.path)).toEqual(['Shard4/NodeA/Instance/Resource', 'Shard4/NodeB/Instance/Resource']);
    expect(violations).toEqual([]);
  });

  it('a new VPC CIDR: everything in the VPC replaced, protected instances unexecutable, refused', () => {
    const { findings, violations } = afterConfig((c) => {
      c.network.vpcCidr = '10.30.0.0/16';
      c.resolvers.addresses = c.resolvers.addresses.map((a) => a.replace(/^10\.10\./, '10.30.'));
    });
    expect(findings.find((f) => f.path === 'Network/Vpc/Resource')?.kind).toBe('replaced');
    expect(violations).toEqual(expect.arrayContaining([...pairsDown(PRODUCTION_SHARDS), '3 resolvers of monsaas-production-dns (1, 2, 3) go down in one deploy']));
    expect(violations.filter((v) => v.includes('while DisableApiTermination is on'))).toHaveLength(PRODUCTION_SHARDS * 2 + 3);
  });

  it('writer handler code: a new asset for that function only', () => {
    const { findings, violations } = afterTemplate('tsdb', (t) => {
      const code = resourceOfType(t, 'AWS::Lambda::Function', 'Writer/').Code as { S3Key: string };
      code.S3Key = code.S3Key.replace(ASSET_HASH, rehash);
    });
    expect(findings.map((f) => `${f.kind} ${f.path} ${f.properties.join()}`)).toEqual(['updated Writer/Handler/Function/Resource Code']);
    expect(violations).toEqual([]);
  });

  it('failover agent code: the new bundle is applied to the running nodes, none stopped', () => {
    const { findings, violations } = afterTemplate('redis', (t) => {
      const agentHash = JSON.stringify(t).match(new RegExp(`(${ASSET_HASH.source})\\.(?:js|zip)`))?.[1];
      if (!agentHash) throw new Error('no agent bundle in the Redis user data');
      rewrite(t, (json) => json.replaceAll(agentHash, rehash(agentHash)));
    });
    expect(significant(findings, 'production')).toEqual([]);
    expect(applied(findings, 'redis')).toHaveLength(PRODUCTION_SHARDS * 2);
    expect(violations).toEqual([]);
  });

  it('a dependency bump (every asset rebuilt): functions and host bundles updated in place, nothing stopped', () => {
    let current = base;
    for (const part of ['tsdb', 'batch', 'redis', 'data', 'dns']) current = withTemplate(current, part, 'production', (t) => rewrite(t, (json) => json.replace(ASSET_HASH, rehash)));
    const { findings, violations } = impactOf(base, current);
    expect(significant(findings, 'production')).toEqual([]);
    expect(findings.filter((f) => f.kind === 'updated' && f.resourceType === 'AWS::Lambda::Function').length).toBeGreaterThanOrEqual(8);
    expect(applied(findings, 'redis')).toHaveLength(PRODUCTION_SHARDS * 2);
    expect(applied(findings, 'dns')).toHaveLength(3);
    expect(violations).toEqual([]);
  });

  it('a refactor that renames the series table\'s construct: the table leaves the stack (kept) and an empty one appears, refused', () => {
    const { findings, violations } = afterTemplate('data', (t) => {
      const id = Object.entries(t.Resources!).find(([, r]) => String(r.Metadata?.['aws:cdk:path']).includes('Tsdb/SeriesTable/'))![0];
      rewrite(t, (json) => json.replaceAll(`"${id}"`, '"TsdbSeriesTableV2"'));
    });
    // The exporter reads the table's stream: its event source moves to the new table's at deploy time.
    expect(significant(findings, 'production')).toEqual([
      'orphaned data Tsdb/SeriesTable (stateful)',
      'replaced tsdb Exporter/Handler/Function/DynamoDBEventSource:monsaasproductiondataTsdbSeriesTableDC3392DA',
    ]);
    expect(findings.find((f) => f.stack === 'monsaas-production-tsdb')).toMatchObject({ deployTime: true });
    expect(findings.find((f) => f.logicalId === 'TsdbSeriesTableV2')?.kind).toBe('created');
    expect(violations).toEqual([expect.stringMatching(/^stateful orphaned: monsaas-production-data TsdbSeriesTable\w+ \(AWS::DynamoDB::GlobalTable\)$/)]);
  });

  it('two new global secondary indexes at once: unexecutable, refused', () => {
    const { violations } = afterTemplate('data', (t) => {
      const table = resourceOfType(t, 'AWS::DynamoDB::GlobalTable', 'Tsdb/SeriesTable/');
      const index = (name: string) => ({ IndexName: name, KeySchema: [{ AttributeName: 'window', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' } });
      table.GlobalSecondaryIndexes = [index('by-window'), index('by-window-2')];
    });
    expect(violations).toEqual([expect.stringMatching(/^unexecutable: .*2 global secondary index changes in one update \(\+by-window, \+by-window-2\)/)]);
  });
});

/** The VPC as it was before the subnet plan: CDK's allocator packs the tiers one after the other. */
function packedVpc(azs: string[]): StackSet {
  const app = new App({ context: { 'aws:cdk:enable-path-metadata': true, 'availability-zones:account=111111111111:region=ap-northeast-1': ['ap-northeast-1a', 'ap-northeast-1c', 'ap-northeast-1d'] } });
  const stack = new Stack(app, 'monsaas-staging-network', { env: { account: '111111111111', region: 'ap-northeast-1' } });
  new ec2.Vpc(stack, 'Vpc', {
    ipAddresses: ec2.IpAddresses.cidr('10.20.0.0/16'), availabilityZones: azs, natGateways: 1,
    subnetConfiguration: [
      { name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
      { name: 'private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 20 },
      { name: 'data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 },
    ],
  });
  const template = app.synth().getStackByName(stack.stackName).template as Template;
  return new Map([[stack.stackName, { stackName: stack.stackName, template }]]);
}

describe('impact of routine staging changes', () => {
  it('before the subnet plan, a third AZ moved the data subnets and its private subnet overlapped them: unexecutable', () => {
    const findings = classifyChanges(packedVpc(['ap-northeast-1a', 'ap-northeast-1c']), packedVpc(['ap-northeast-1a', 'ap-northeast-1c', 'ap-northeast-1d']));
    expect(findings.filter((f) => f.kind === 'unexecutable').map((f) => f.reason)).toEqual([
      expect.stringMatching(/^new subnet 10\.20\.48\.0\/20 overlaps VpcdataSubnet1Subnet\w+ 10\.20\.48\.0\/24, VpcdataSubnet2Subnet\w+ 10\.20\.49\.0\/24, which still exist while it is created: the create fails/),
    ]);
    expect(findings.filter((f) => f.kind === 'replaced' && f.resourceType === 'AWS::EC2::Subnet').map((f) => f.path)).toEqual(['Vpc/dataSubnet1/Subnet', 'Vpc/dataSubnet2/Subnet']);
  });

  let base: StackSet;
  beforeAll(() => { base = synthStacks('staging'); });

  it('a longer Kinesis replay window: the stream and the writer\'s record age limit in place', () => {
    const { findings } = impactOf(base, synthStacks('staging', (c) => { c.tsdb.stream.retentionHours = 48; }));
    expect(findings.map((f) => `${f.kind} ${f.resourceType}`).sort()).toEqual(['updated AWS::Kinesis::Stream', 'updated AWS::Lambda::EventSourceMapping']);
  });

  it('the subnet plan\'s own first deploy moves staging\'s data subnets: its database subnet group cannot follow, refused', () => {
    // Staging as deployed before the plan: CDK had packed its data /24s right after two private /20s.
    const packed = withTemplate(base, 'network', 'staging', (t) => {
      for (const r of Object.values(t.Resources!)) {
        if (r.Type === 'AWS::EC2::Subnet') r.Properties!.CidrBlock = { '10.20.64.0/24': '10.20.48.0/24', '10.20.65.0/24': '10.20.49.0/24' }[r.Properties!.CidrBlock as string] ?? r.Properties!.CidrBlock;
      }
    });
    const { findings, violations } = impactOf(packed, base);
    expect(findings.filter((f) => f.kind === 'replaced' && f.resourceType === 'AWS::EC2::Subnet').map((f) => f.path)).toEqual(['Network/Vpc/dataSubnet1/Subnet', 'Network/Vpc/dataSubnet2/Subnet']);
    expect(violations).toEqual([expect.stringMatching(/^unexecutable: monsaas-staging-data DatabaseInstanceSubnetGroup\w+: keeps none of its subnets while DatabaseInstance\w+ runs in one of them/)]);
  });

  it('a third AZ: subnets created, no subnet moved, nothing stateful or unexecutable', () => {
    const { findings } = impactOf(base, synthStacks('staging', (c) => { c.availabilityZones.push('ap-northeast-1d'); }));
    const network = findings.filter((f) => f.stack === 'monsaas-staging-network');
    expect(network.filter((f) => f.resourceType === 'AWS::EC2::Subnet').map((f) => `${f.kind} ${f.path}`).sort()).toEqual([
      'created Network/Vpc/dataSubnet3/Subnet', 'created Network/Vpc/privateSubnet3/Subnet', 'created Network/Vpc/publicSubnet3/Subnet',
    ]);
    expect(network.filter((f) => f.kind !== 'created' && f.kind !== 'updated')).toEqual([]);
    expect(findings.filter((f) => f.kind === 'unexecutable' || (f.stateful && f.kind !== 'interrupted' && f.role === undefined))).toEqual([]);
    // Hosts: the Redis pairs keep their zones (redis.availabilityZones) and host files reach running
    // hosts as bundles, so no instance is interrupted or replaced.
    const remaining = significant(findings, 'staging').filter((f) => !f.startsWith('replaced data Database/Rotation'));
    expect(remaining).toEqual([]);
  });
});
