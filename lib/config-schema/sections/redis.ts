import { z } from 'zod';
import { cidrContains, cidrBlock, count, instanceType, intToIpv4, ipv4Address, parseCidr } from '../primitives';

/** Graviton instance families carry a "g" right after the generation digit (r7g, t4g, m7gd, c8gn). */
export function instanceArchitecture(type: string): 'arm64' | 'x86_64' {
  return /^[a-z]+\d+g/.test(type) ? 'arm64' : 'x86_64';
}

export const redisSchema = z
  .object({
    /** Number of shards; each shard is an active/standby pair of instances in two AZs. */
    shardCount: count('shards'),
    instanceType,
    /**
     * Pinned machine image (Amazon Linux 2023: SSM agent preinstalled; redis6, keepalived and nodejs22
     * from the distribution). Pinned by id so a deploy never replaces instances because a newer image
     * was published; upgrading is a reviewed change of this id (see README, "Redis shards").
     */
    ami: z.object({
      id: z.string().regex(/^ami-[0-9a-f]{8,17}$/, 'must be an AMI id such as "ami-0123456789abcdef0"'),
      architecture: z.enum(['arm64', 'x86_64']),
      /** Human-readable image name, e.g. "al2023-ami-2023.9.20251110.1-kernel-6.1-arm64", for reviews. */
      name: z.string().min(1),
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
    volumeGiB: z.number().int().min(8),
  })
  .superRefine((cfg, ctx) => {
    const fail = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
    const arch = instanceArchitecture(cfg.instanceType);
    if (arch !== cfg.ami.architecture) {
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
