import { intToIpv4, parseCidr } from '../config-schema/primitives';

/** The subnet tiers, by the names every construct uses to place things (see PlatformVpc's SubnetTier). */
export type SubnetTierName = 'public' | 'private' | 'data';

/** Each tier's subnet size: NLB and NAT need little room; services, functions and hosts need a lot. */
export const TIER_PREFIX: Readonly<Record<SubnetTierName, number>> = { public: 24, private: 20, data: 24 };

/**
 * The VPC is cut into /20 blocks. Block 0 holds the public /24s and block 4 the data /24s, one per
 * AZ slot; every other block is one AZ slot's private /20. Block 4 is where the data tier sat when
 * production was first deployed with three AZs, so its subnets keep their CIDRs under this plan.
 */
const BLOCK_PREFIX = 20;
const PUBLIC_BLOCK = 0;
const DATA_BLOCK = 4;
/** /24s per /20 block: the most AZ slots the public and data blocks hold. */
const SLOTS_PER_BLOCK = 2 ** (TIER_PREFIX.public - BLOCK_PREFIX);

export interface PlannedSubnet {
  readonly tier: SubnetTierName;
  readonly availabilityZone: string;
  /** The AZ's position in config availabilityZones: its slot in the plan, fixed for the AZ's life. */
  readonly slot: number;
  readonly cidr: string;
}

/** How many AZ slots a VPC of this CIDR has room for (0 when it is too small or malformed). */
export function azSlots(vpcCidr: string): number {
  const vpc = parseCidr(vpcCidr);
  if (!vpc || vpc.prefix > BLOCK_PREFIX) return 0;
  const blocks = 2 ** (BLOCK_PREFIX - vpc.prefix);
  if (blocks <= DATA_BLOCK) return 0;
  return Math.min(SLOTS_PER_BLOCK, blocks - 2);
}

/**
 * Every subnet of the VPC, declared once from the VPC CIDR and the AZ list: a subnet's CIDR depends
 * only on its tier and its AZ's slot, so appending an AZ adds subnets and moves none. (The CDK
 * allocator packs tiers one after the other, so a new AZ shifted every later tier.) Throws when the
 * VPC has no room for the AZs; config validation reports that first, in one line.
 */
export function subnetPlan(vpcCidr: string, availabilityZones: readonly string[]): PlannedSubnet[] {
  const slots = azSlots(vpcCidr);
  if (availabilityZones.length > slots) {
    throw new Error(`subnet plan: ${vpcCidr} has room for ${slots} AZ(s), not ${availabilityZones.length}; use a /16 VPC (14 AZ slots)`);
  }
  const vpc = parseCidr(vpcCidr)!;
  const block = (index: number) => vpc.network + index * 2 ** (32 - BLOCK_PREFIX);
  const small = (blockIndex: number, slot: number) => `${intToIpv4(block(blockIndex) + slot * 2 ** (32 - TIER_PREFIX.public))}/${TIER_PREFIX.public}`;
  // Private slots take the blocks in order, skipping the public and data blocks.
  const privateBlocks = Array.from({ length: slots + 2 }, (_, i) => i).filter((i) => i !== PUBLIC_BLOCK && i !== DATA_BLOCK);
  return (['public', 'private', 'data'] as const).flatMap((tier) => availabilityZones.map((availabilityZone, slot) => ({
    tier,
    availabilityZone,
    slot,
    cidr: tier === 'public' ? small(PUBLIC_BLOCK, slot)
      : tier === 'data' ? small(DATA_BLOCK, slot)
        : `${intToIpv4(block(privateBlocks[slot]!))}/${TIER_PREFIX.private}`,
  })));
}

/** One tier's CIDRs in AZ order. */
export function tierCidrs(vpcCidr: string, availabilityZones: readonly string[], tier: SubnetTierName): string[] {
  return subnetPlan(vpcCidr, availabilityZones).filter((s) => s.tier === tier).map((s) => s.cidr);
}
