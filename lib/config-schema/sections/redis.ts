import { z } from 'zod';
import { documentationOnly } from '../documentation-only';
import { EC2_INSTANCE_TYPES, instanceArchitecture } from '../aws/ec2-instance-types';
import { cidrContains, cidrBlock, count, instanceType, intToIpv4, ipv4Address, parseCidr } from '../primitives';
import { redisRelaunchSchema } from './redis-relaunch';

export { instanceArchitecture } from '../aws/ec2-instance-types';

/**
 * The shard-balance alarm compares every shard's key count in one metric-math expression, and a
 * CloudWatch alarm's expression takes at most 10 metrics (a hard limit).
 */
export const MAX_SHARDS = 10;

export const redisSchema = z
  .strictObject({
    /** Number of shards; each shard is an active/standby pair of instances in two AZs. */
    shardCount: count('shards').max(MAX_SHARDS, `must be at most ${MAX_SHARDS}: the shard-balance alarm compares all shards in one CloudWatch metric-math expression, which takes at most 10 metrics; use larger instance types instead`),
    /**
     * The AZs the shard pairs are spread over, in order: shard i's node a in zone (i mod n), node b in
     * the next, so a pair never shares an AZ. Kept apart from the environment's `availabilityZones` on
     * purpose: adding an AZ to the VPC must move no node (a node's AZ fixes its subnet and address, so
     * moving it replaces it, empty). Adding a zone here is a deliberate rebalance, rolled by relaunch.
     */
    availabilityZones: z.array(z.string()).min(2, 'must list at least 2 AZs: the two nodes of a pair live in different AZs'),
    instanceType,
    /**
     * Pinned machine image (Amazon Linux 2023: SSM agent preinstalled; redis6, keepalived and nodejs22
     * from the distribution). Pinned by id so a deploy never replaces instances because a newer image
     * was published; upgrading is a reviewed change of this id (see README, "Redis shards").
     */
    ami: z.strictObject({
      id: z.string().regex(/^ami-[0-9a-f]{8,17}$/, 'must be an AMI id such as "ami-0123456789abcdef0"'),
      architecture: z.enum(['arm64', 'x86_64']),
      /** Human-readable image name, e.g. "al2023-ami-2023.9.20251110.1-kernel-6.1-arm64", for reviews. */
      name: documentationOnly(z.string().min(1), 'names the image of ami.id for reviewers; the id alone is deployed'),
    }),
    /**
     * Range the shard virtual IPs are taken from (shard i gets the range's (10 + i)-th address unless
     * `vips` names them). Must lie outside the VPC CIDR: VPC routes can only steer destinations the VPC does not own.
     */
    vipCidr: cidrBlock,
    /** Explicit VIP per shard (index = shard number); defaults to vipCidr's addresses 10, 11, ... */
    vips: z.array(ipv4Address).optional(),
    /** VRRP advertisement interval in milliseconds (keepalived accepts sub-second with VRRPv3). */
    advertIntervalMs: z.number().int().min(100, 'must be at least 100 ms').max(10000),
    /** While MASTER, the failover agent re-checks (and repairs) its routes this often. */
    reconcileIntervalS: z.number().int().min(1, 'must be at least 1 s').max(300, 'must be at most 300 s so a stray route is repaired within minutes'),
    /** Share of instance memory Redis may use for data before maxmemoryPolicy applies. */
    maxmemoryPercent: z.number().int().min(10).max(90),
    maxmemoryPolicy: z.enum(['noeviction', 'volatile-lru', 'allkeys-lru', 'volatile-ttl']),
    /** Root volume size in GiB (gp3, encrypted). */
    volumeGiB: z.number().int().min(8).max(16384, 'must be at most 16384 GiB (16 TiB, the gp3 volume limit)'),
    /** One node role being relaunched (new AMI); unset in steady state. See redis-relaunch.ts. */
    relaunch: redisRelaunchSchema.optional(),
  })
  .superRefine((cfg, ctx) => {
    const fail = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
    // The count's own rules report 0, fractions and too many; the rules below need a sane count.
    if (!Number.isInteger(cfg.shardCount) || cfg.shardCount < 1 || cfg.shardCount > MAX_SHARDS) return;
    const arch = instanceArchitecture(cfg.instanceType);
    if (EC2_INSTANCE_TYPES.has(cfg.instanceType) && arch !== cfg.ami.architecture) {
      fail(['ami', 'architecture'], `is ${cfg.ami.architecture} but ${cfg.instanceType} is ${arch}; pick an ${arch} AMI or a matching instance type`);
    }
    const vips = shardVipsOf(cfg);
    // One line per mistake: the first VIP outside the range and the first repeat are enough to fix it.
    const outside = vips.findIndex((vip) => !cidrContains(cfg.vipCidr, vip));
    if (outside >= 0) {
      fail(cfg.vips ? ['vips', outside] : ['vipCidr'], `VIP ${vips[outside]} of shard ${outside} lies outside vipCidr ${cfg.vipCidr}; widen vipCidr or pick VIPs inside it`);
    }
    const repeat = vips.findIndex((vip, i) => vips.indexOf(vip) !== i);
    if (repeat >= 0) fail(['vips', repeat], `repeats ${vips[repeat]} (shard ${vips.indexOf(vips[repeat]!)} has it); give every shard its own VIP`);
    if (cfg.vips && cfg.vips.length !== cfg.shardCount) {
      fail(['vips'], `lists ${cfg.vips.length} VIP(s) for ${cfg.shardCount} shard(s); list one per shard or remove vips`);
    }
  });
export type RedisConfig = z.infer<typeof redisSchema>;

/** Each shard's virtual IP, index = shard number. */
export function shardVipsOf(cfg: Pick<RedisConfig, 'shardCount' | 'vipCidr' | 'vips'>): string[] {
  if (cfg.vips) return [...cfg.vips];
  const range = parseCidr(cfg.vipCidr);
  if (!range) return [];
  return Array.from({ length: cfg.shardCount }, (_, i) => intToIpv4(range.network + 10 + i));
}
