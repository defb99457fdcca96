import { z } from 'zod';
import { cidrBlock, count, instanceType } from '../primitives';

export const redisSchema = z.object({
  /** Number of shards; each shard is an active/standby pair of instances in two AZs. */
  shardCount: count('shards'),
  instanceType,
  /**
   * Range the shard virtual IPs are taken from (shard i gets the i-th address + 10).
   * Must lie outside the VPC CIDR: VPC routes can only steer destinations the VPC does not own.
   */
  vipCidr: cidrBlock,
  /** VRRP advertisement interval in milliseconds (keepalived accepts sub-second with VRRPv3). */
  advertIntervalMs: z.number().int().min(100, 'must be at least 100 ms').max(10000),
  /** Share of instance memory Redis may use for data before maxmemoryPolicy applies. */
  maxmemoryPercent: z.number().int().min(10).max(90),
  maxmemoryPolicy: z.enum(['noeviction', 'volatile-lru', 'allkeys-lru', 'volatile-ttl']),
  /** Root volume size in GiB (gp3, encrypted). */
  volumeGiB: z.number().int().min(8),
});
export type RedisConfig = z.infer<typeof redisSchema>;
