import type { EnvConfig } from '../config-schema/schema';
import { intToIpv4, parseCidr } from '../config-schema/primitives';
import { shardVipsOf } from '../config-schema/sections/redis';
import { tierCidrs } from './subnet-plan';

/** One node of a shard pair, with everything its rendered files need. */
export interface RedisNode {
  readonly shard: number;
  /** "a" is the preferred node (higher VRRP priority, initial route target); "b" its standby. */
  readonly role: 'a' | 'b';
  readonly name: string;
  readonly azIndex: number;
  readonly availabilityZone: string;
  readonly privateIp: string;
  readonly peerIp: string;
  readonly priority: number;
  readonly vip: string;
  readonly virtualRouterId: number;
}

export interface RedisShard {
  readonly index: number;
  readonly vip: string;
  readonly nodes: readonly [RedisNode, RedisNode];
}

/**
 * High priorities on purpose: a backup waits 3 adverts plus a skew of (256 - priority) / 256 adverts
 * before taking over, so 240 instead of 100 saves ~0.27 s of every failover at 500 ms adverts.
 */
export const PREFERRED_PRIORITY = 250;
export const STANDBY_PRIORITY = 240;
/** VRRP ids 1-255 are per broadcast domain; shards use 51, 52, ... */
const FIRST_VIRTUAL_ROUTER_ID = 51;
/** Nodes take fixed addresses near the top of their private subnet, away from where ENIs are usually placed. */
const HOST_OFFSET_FROM_END = 10;

/** The private subnets' CIDRs in AZ order, from the one subnet plan PlatformVpc builds the VPC with. */
export function privateSubnetCidrs(config: Pick<EnvConfig, 'availabilityZones' | 'network'>): string[] {
  return tierCidrs(config.network.vpcCidr, config.availabilityZones, 'private');
}

/**
 * Every shard with its two nodes: node a in zone (i mod n) of `redis.availabilityZones`, node b in the
 * next, so a pair never shares an AZ and adding an AZ to the environment moves no node.
 */
export function shardTopology(config: EnvConfig): RedisShard[] {
  const subnets = privateSubnetCidrs(config);
  const zones = config.redis.availabilityZones.map((az) => config.availabilityZones.indexOf(az));
  const azCount = zones.length;
  const vips = shardVipsOf(config.redis);
  return vips.map((vip, shard) => {
    const ipIn = (azIndex: number) => {
      const range = parseCidr(subnets[azIndex]!)!;
      return intToIpv4(range.end - HOST_OFFSET_FROM_END - shard);
    };
    const azA = zones[shard % azCount]!;
    const azB = zones[(shard + 1) % azCount]!;
    const node = (role: 'a' | 'b', azIndex: number, peerAz: number): RedisNode => ({
      shard,
      role,
      name: `redis-shard-${shard}-${role}`,
      azIndex,
      availabilityZone: config.availabilityZones[azIndex]!,
      privateIp: ipIn(azIndex),
      peerIp: ipIn(peerAz),
      priority: role === 'a' ? PREFERRED_PRIORITY : STANDBY_PRIORITY,
      vip,
      virtualRouterId: FIRST_VIRTUAL_ROUTER_ID + shard,
    });
    return { index: shard, vip, nodes: [node('a', azA, azB), node('b', azB, azA)] as const };
  });
}
