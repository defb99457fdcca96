import { privateSubnetCidrs, shardTopology } from '../model/redis-topology';
import { availabilityZonesOf } from './aws/availability-zones';
import { instanceArchitecture } from './aws/ec2-instance-types';
import { intToIpv4, ipv4ToInt, parseCidr } from './primitives';
import type { EnvConfig } from './schema';
import { RESOLVER_IMAGE_ARCHITECTURE } from './sections/resolvers';

export type Fail = (path: (string | number)[], message: string) => void;

/** AWS accepts VPC CIDR blocks from /16 to /28. */
const VPC_PREFIX = { largest: 16, smallest: 28 } as const;

/**
 * Rules that span sections and need each section valid first (so a malformed value never cascades into
 * a second message): what AWS would refuse at deploy time, decided from the config alone.
 */
export function checkEnvironment(cfg: EnvConfig, fail: Fail): void {
  if (!checkAvailabilityZones(cfg, fail) || !checkRedisZones(cfg, fail)) return;
  checkCertificate(cfg, fail);
  checkImageArchitectures(cfg, fail);
  const subnets = checkVpcSize(cfg, fail);
  if (subnets) checkFixedAddresses(cfg, subnets, fail);
}

/** False when an AZ is not one of the region's (checks that build on the AZ list then stay quiet). */
function checkAvailabilityZones(cfg: EnvConfig, fail: Fail): boolean {
  const known = availabilityZonesOf(cfg.region);
  let valid = true;
  cfg.availabilityZones.forEach((az, i) => {
    if (az.startsWith(cfg.region) && !known.includes(az)) {
      fail(['availabilityZones', i], `"${az}" is not an AZ of ${cfg.region}; use ${known.join(', ')}`);
      valid = false;
    }
  });
  return valid;
}

/** The Redis pairs' zones must be AZs of this environment, each once (the topology indexes them). */
function checkRedisZones(cfg: EnvConfig, fail: Fail): boolean {
  const zones = cfg.redis.availabilityZones;
  for (const [i, az] of zones.entries()) {
    if (!cfg.availabilityZones.includes(az)) {
      fail(['redis', 'availabilityZones', i], `"${az}" is not one of the environment's availabilityZones (${cfg.availabilityZones.join(', ')}); list only those`);
      return false;
    }
    if (zones.indexOf(az) !== i) {
      fail(['redis', 'availabilityZones', i], `lists "${az}" twice; list each AZ once`);
      return false;
    }
  }
  return true;
}

function checkCertificate(cfg: EnvConfig, fail: Fail): void {
  const arn = cfg.edge.certificateArn;
  if (!arn) return;
  const [, , , region, account] = arn.split(':');
  if (region !== cfg.region) {
    fail(['edge', 'certificateArn'], `is in ${region} but the NLB is in ${cfg.region}; ACM certificates are regional: request or import the certificate in ${cfg.region}`);
  } else if (account !== cfg.account) {
    fail(['edge', 'certificateArn'], `belongs to account ${account}, not this environment's ${cfg.account}; a listener uses certificates of its own account: request it in ${cfg.account}`);
  }
}

function checkImageArchitectures(cfg: EnvConfig, fail: Fail): void {
  const resolverArch = instanceArchitecture(cfg.resolvers.instanceType);
  if (resolverArch !== RESOLVER_IMAGE_ARCHITECTURE) {
    fail(['resolvers', 'instanceType'], `${cfg.resolvers.instanceType} is ${resolverArch} but the resolvers boot the ${RESOLVER_IMAGE_ARCHITECTURE} Amazon Linux image; pick a Graviton type such as "t4g.small"`);
  }
}

/** The private subnets the plan gives each AZ, or undefined (reported) when the VPC cannot hold the plan. */
function checkVpcSize(cfg: EnvConfig, fail: Fail): string[] | undefined {
  const prefix = parseCidr(cfg.network.vpcCidr)!.prefix;
  if (prefix < VPC_PREFIX.largest || prefix > VPC_PREFIX.smallest) {
    fail(['network', 'vpcCidr'], `${cfg.network.vpcCidr} is a /${prefix}; AWS accepts VPC blocks from /${VPC_PREFIX.largest} to /${VPC_PREFIX.smallest}: use a /16 such as "10.20.0.0/16"`);
    return undefined;
  }
  const fits = (cidr: string) => {
    try {
      return privateSubnetCidrs({ ...cfg, network: { ...cfg.network, vpcCidr: cidr } });
    } catch {
      return undefined;
    }
  };
  const subnets = fits(cfg.network.vpcCidr);
  if (subnets) return subnets;
  let needed = prefix;
  const base = cfg.network.vpcCidr.split('/')[0];
  while (needed > VPC_PREFIX.largest && !fits(`${intToIpv4(alignDown(ipv4ToInt(base!)!, needed - 1))}/${needed - 1}`)) needed--;
  fail(['network', 'vpcCidr'], `${cfg.network.vpcCidr} is too small for the subnet plan (public /24, private /20 and data /24 in each of ${cfg.availabilityZones.length} AZs); use a /${needed - 1} or larger, e.g. a /16`);
  return undefined;
}

const alignDown = (address: number, prefix: number) => address - (address % 2 ** (32 - prefix));

/** Fixed private addresses must be usable in their subnet and distinct from every other fixed address. */
function checkFixedAddresses(cfg: EnvConfig, privateSubnets: readonly string[], fail: Fail): void {
  const taken = new Map<string, string>();
  for (const shard of shardTopology(cfg)) {
    for (const node of shard.nodes) taken.set(node.privateIp, `Redis node ${node.name}`);
  }
  cfg.resolvers.addresses.forEach((address, i) => {
    const subnet = privateSubnets[i];
    const path = ['resolvers', 'addresses', i];
    if (!subnet) return; // more resolvers than AZs is reported by the resolver rules
    const range = parseCidr(subnet)!;
    const ip = ipv4ToInt(address)!;
    // AWS keeps the first four addresses and the last one of every subnet.
    if (ip < range.network + 4 || ip >= range.end - 1) {
      const where = ip >= range.network && ip < range.end ? 'is reserved by AWS in' : 'is outside';
      fail(path, `${address} ${where} the private subnet ${subnet} of ${cfg.availabilityZones[i]}; pick one between ${intToIpv4(range.network + 4)} and ${intToIpv4(range.end - 2)}`);
      return;
    }
    const owner = taken.get(address);
    if (owner) {
      fail(path, `${address} is the fixed address of ${owner}; pick another address (Redis nodes take the top of each private subnet, from ${intToIpv4(range.end - 10)} down)`);
      return;
    }
    taken.set(address, `resolver ${i}`);
  });
  const own = new Set(cfg.resolvers.addresses);
  cfg.resolvers.upstreams.forEach((address, i) => {
    if (own.has(address)) fail(['resolvers', 'upstreams', i], `${address} is one of the resolvers themselves: queries would loop; name the upstream resolvers (or leave upstreams empty for the VPC resolver)`);
  });
  cfg.resolvers.internalZones.forEach((zone, z) => zone.servers.forEach((address, i) => {
    if (own.has(address)) fail(['resolvers', 'internalZones', z, 'servers', i], `${address} is one of the resolvers themselves: queries for ${zone.name} would loop; name the zone's authoritative servers`);
  }));
}
