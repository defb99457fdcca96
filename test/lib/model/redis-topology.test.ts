import { describe, expect, it } from 'vitest';
import { environments } from '../../../config';
import { cidrContains } from '../../../lib/config-schema/primitives';
import { validateEnvConfig } from '../../../lib/config-schema/load';
import { privateSubnetCidrs, shardTopology } from '../../../lib/model/redis-topology';
import { defaultPlatform, ENVIRONMENTS } from '../../support/platform';

describe.each(ENVIRONMENTS)('%s shard topology', (name) => {
  const config = validateEnvConfig(`${name}.ts`, environments[name]);
  const shards = shardTopology(config);

  it('has one pair per shard, the two nodes in different AZs and each other\'s peer', () => {
    expect(shards).toHaveLength(config.redis.shardCount);
    for (const shard of shards) {
      const [a, b] = shard.nodes;
      expect(a.availabilityZone).not.toBe(b.availabilityZone);
      expect(a.peerIp).toBe(b.privateIp);
      expect(b.peerIp).toBe(a.privateIp);
      expect(a.priority).toBeGreaterThan(b.priority);
      expect(a.vip).toBe(shard.vip);
      expect(cidrContains(config.network.vpcCidr, a.vip)).toBe(false);
    }
  });

  it('gives every node a unique address inside its AZ\'s private subnet', () => {
    const subnets = privateSubnetCidrs(config);
    const ips = shards.flatMap((s) => s.nodes.map((n) => n.privateIp));
    expect(new Set(ips).size).toBe(ips.length);
    for (const node of shards.flatMap((s) => s.nodes)) expect(cidrContains(subnets[node.azIndex]!, node.privateIp)).toBe(true);
    expect(new Set(shards.map((s) => s.nodes[0].virtualRouterId)).size).toBe(shards.length);
  });

  it('computes the private subnets exactly as the VPC allocates them', () => {
    const vpc = defaultPlatform().env(name).network.vpc;
    expect(vpc.privateSubnets.map((s) => s.ipv4CidrBlock)).toEqual(privateSubnetCidrs(config));
  });
});
