/**
 * The names the host collector publishes and the alarms read: one place, so a rename cannot leave
 * an alarm watching a metric nobody sends.
 */
import { SERVICE } from '../../platform/service';

/** CloudWatch namespace of everything the EC2 hosts publish (agent procstat and the collector). */
export const HOST_NAMESPACE = 'MonSaaS/Hosts';

export type HostRole = 'redis' | 'resolver';

export const HostDimension = {
  environment: 'Environment',
  role: 'Role',
  host: 'Host',
  process: 'Process',
  flow: 'Flow',
  shard: 'Shard',
  /** The node's place in its shard's pair ("a" preferred, "b" standby): known from config, unlike instance ids. */
  node: 'Node',
} as const;

export const HostMetric = {
  processCount: 'ProcessCount',
  tcpRetransmittedSegments: 'TcpRetransmittedSegments',
  tcpSentSegments: 'TcpSentSegments',
  tcpSynRetransmits: 'TcpSynRetransmits',
  tcpFailedConnectionAttempts: 'TcpFailedConnectionAttempts',
  tcpTimeouts: 'TcpTimeouts',
  accountedBytes: 'AccountedBytes',
  accountedPackets: 'AccountedPackets',
  redisUp: 'RedisUp',
  redisUsedMemory: 'RedisUsedMemory',
  redisMemoryUsedPercent: 'RedisMemoryUsedPercent',
  redisConnectedClients: 'RedisConnectedClients',
  redisIsMaster: 'RedisIsMaster',
  redisMasterLinkUp: 'RedisMasterLinkUp',
  redisKeys: 'RedisKeys',
  /** 1 while this node holds the shard's virtual IP, i.e. keepalived made it MASTER. */
  vipHeld: 'VipHeld',
  // Published by the failover agent (hosts/failover-agent/metrics.ts, same names: a test checks).
  /** 1 while this node is MASTER but yields the VIP routes to its peer (split brain). */
  redisSplitBrain: 'RedisSplitBrain',
  /** 1 while this node stays fenced: demotion could not prove the peer holds its data. */
  redisDemotionUnproven: 'RedisDemotionUnproven',
  /** 1 while the node's Redis may become MASTER (synced since it started, leased master, or bootstrapped). */
  redisEligible: 'RedisEligible',
  unboundUp: 'UnboundUp',
  unboundQueries: 'UnboundQueries',
  unboundServfail: 'UnboundServfail',
  unboundNxdomain: 'UnboundNxdomain',
  unboundCacheHits: 'UnboundCacheHits',
  unboundCacheMisses: 'UnboundCacheMisses',
} as const;

/** iptables accounting rule names (iptables comments), published as the Flow dimension. */
export const AccountingFlow = {
  redisIn: 'redis-in',
  redisOut: 'redis-out',
  toAz: (az: string) => `to-az-${az}`,
  fromAz: (az: string) => `from-az-${az}`,
} as const;

/** Log group the agent writes the collector's embedded-metric-format events to (one per role). */
export function hostMetricsLogGroupName(environment: string, role: HostRole): string {
  return `/${SERVICE}/${environment}/host-metrics/${role}`;
}
